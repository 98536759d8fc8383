import { createRoute, z } from "@hono/zod-openapi";
import type { BidReply } from "../../../durable/auction-room/results";
import { sha256Hex } from "../../../shared/crypto";
import type { Assert, SameShape } from "../../../shared/type-checks";
import { decodeCursor, encodeCursor } from "../../cursor";
import { ApiError } from "../../errors";
import { rememberMinimum } from "../../funds/auction-hints";
import { withFunds } from "../../funds/with-funds";
import { currentUser, requireActiveUser } from "../../middleware/auth";
import {
  createRouter,
  IdempotencyKeyHeader,
  jsonContent,
  optionalSessionSecurity,
  problems,
  sessionSecurity,
} from "../../openapi";
import { replyBody, roomError } from "../../room-failure";
import { auctionRoom } from "../../room-stub";
import { AuctionIdParam, Money, PageQuery, pageOf } from "../../schemas/auction";

const PlaceBidBody = z
  .strictObject({
    amount: Money.optional().openapi({ description: "Bid exactly this much now." }),
    maxAmount: Money.optional().openapi({
      description: "Let the system bid for you, one increment at a time, up to this.",
    }),
  })
  .refine((b) => b.amount === undefined || b.maxAmount === undefined || b.maxAmount >= b.amount, {
    message: "must be at least amount",
    path: ["maxAmount"],
  })
  .openapi("PlaceBid");

const BidReplySchema = z
  .object({
    bid: z.object({
      id: z.string(),
      amount: z.number().int(),
      maxAmount: z.number().int().openapi({ description: "Your own maximum; nobody else ever sees it." }),
      kind: z.enum(["manual", "proxy"]),
      placedAt: z.string(),
    }),
    result: z.enum(["leading", "outbid", "max_raised"]),
    auction: z.object({
      currentPrice: z.number().int(),
      bidCount: z.number().int(),
      leaderIsYou: z.boolean(),
      minimumNextBid: z.number().int(),
      reserveMet: z.boolean(),
      endsAt: z.string(),
      extended: z.boolean(),
    }),
  })
  .openapi("BidReply");

/**
 * The documented reply and the room's `BidReply` are one shape, checked here at compile time, so
 * a bid's answer is the room's stored text as it is: the hot path does not validate it again.
 */
export type BidReplyMatchesItsSchema = Assert<SameShape<z.infer<typeof BidReplySchema>, BidReply>>;

const HistoryItemSchema = z
  .object({
    id: z.string(),
    amount: z.number().int(),
    kind: z.enum(["manual", "proxy"]),
    bidder: z.object({ handle: z.string().openapi({ example: "b***7" }) }),
    placedAt: z.string(),
  })
  .openapi("HistoryItem");

const placeBid = createRoute({
  method: "post",
  path: "/{id}/bids",
  operationId: "placeBid",
  tags: ["Bidding"],
  summary: "Place a bid",
  description:
    "`{amount}` bids exactly that; `{maxAmount}` is a proxy bid; both bid now and defend up to the max; `{}` bids the minimum. " +
    "Checked in order: AUCTION_NOT_FOUND, AUCTION_NOT_OPEN, SELLER_CANNOT_BID, BID_TOO_LOW, BID_AT_OR_ABOVE_BUY_NOW, RATE_LIMITED, MAX_NOT_RAISED, " +
    "then (unless the deployment sets BIDS_REQUIRE_FUNDS=false) INSUFFICIENT_FUNDS (422, with `available` and `needed`): your wallet must hold the bid's commitment — the larger of amount and maxAmount, for `{}` the minimum. " +
    "The money stays held while you lead and returns when you are outbid. " +
    "Before any of them, a bid that waited more than 500 ms for the busy auction is refused unprocessed: 503 OVERLOADED with Retry-After. " +
    "A suspended account cannot bid: 403 ACCOUNT_SUSPENDED, checked before the auction is asked.",
  security: sessionSecurity,
  middleware: [requireActiveUser] as const,
  request: {
    params: AuctionIdParam,
    headers: IdempotencyKeyHeader,
    body: { required: true, content: { "application/json": { schema: PlaceBidBody } } },
  },
  responses: {
    201: jsonContent(BidReplySchema, "The bid was accepted"),
    ...problems(400, 401, 403, 404, 409, 422, 429, 503),
  },
});

const bidHistory = createRoute({
  method: "get",
  path: "/{id}/bids",
  operationId: "getBidHistory",
  security: optionalSessionSecurity,
  tags: ["Bidding"],
  summary: "Bid history, newest first",
  description: "Bidders appear as stable anonymised handles, the caller as `you`. No maximum is ever shown.",
  request: { params: AuctionIdParam, query: z.object(PageQuery) },
  responses: {
    200: jsonContent(pageOf(HistoryItemSchema, "HistoryPage"), "A page of bids"),
    ...problems(400, 404),
  },
});

function historyCursor(cursor: string | undefined): number | null {
  const decoded = decodeCursor(cursor);
  if (decoded === null) return null;
  if (typeof decoded[0] !== "number")
    throw new ApiError("INVALID_CURSOR", "The cursor is not one this API issued.");
  return decoded[0];
}

/** `/auctions/{id}/bids`: place a bid, read the history. */
export const bidsRouter = createRouter()
  .openapi(placeBid, async (c) => {
    const me = currentUser(c);
    const body = c.req.valid("json");
    const auctionId = c.req.valid("param").id;
    const room = auctionRoom(c.env, auctionId);
    const amount = body.amount ?? null;
    const maxAmount = body.maxAmount ?? null;
    const idempotencyKey = c.req.valid("header")["idempotency-key"] ?? null;
    const requestHash = await sha256Hex(JSON.stringify([amount, maxAmount]));
    const reply = await withFunds({
      env: c.env,
      userId: me.id,
      auctionId,
      purpose: "bid",
      commitment: amount === null && maxAmount === null ? null : Math.max(amount ?? 0, maxAmount ?? 0),
      movedCode: "BID_TOO_LOW",
      send: (hold) =>
        room.placeBid({
          bidderId: me.id,
          amount,
          maxAmount,
          idempotencyKey,
          requestHash,
          hold,
          sentAt: Date.now(),
        }),
    });
    const placed = replyBody(reply) as BidReply;
    rememberMinimum(auctionId, placed.auction.minimumNextBid, placed.auction.currentPrice);
    return c.json(placed, 201);
  })
  .openapi(bidHistory, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const result = await auctionRoom(c.env, c.req.valid("param").id).history(
      c.get("user")?.id ?? null,
      limit,
      historyCursor(cursor),
    );
    if (!result.ok) throw roomError(result);
    return c.json(
      {
        items: result.items,
        nextCursor: result.nextCursor === null ? null : encodeCursor(result.nextCursor, ""),
      },
      200,
    );
  });
