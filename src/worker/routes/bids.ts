import { createRoute, z } from "@hono/zod-openapi";
import type { StoredReply } from "../../durable/auction-room/results";
import { sha256Hex } from "../../shared/crypto";
import { catalogAuction } from "../catalog-query";
import { decodeCursor, encodeCursor } from "../cursor";
import { ApiError } from "../errors";
import { currentUser, requireUser } from "../middleware/auth";
import { bearerSecurity, createRouter, IdempotencyKeyHeader, jsonContent, problems } from "../openapi";
import { roomError } from "../room-failure";
import { AuctionIdParam, AuctionSchema, Money, PageQuery, pageOf } from "../schemas/auction";
import { auctionRoom } from "./auctions";

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

const HistoryItemSchema = z
  .object({
    id: z.string(),
    amount: z.number().int(),
    kind: z.enum(["manual", "proxy"]),
    bidder: z.object({ handle: z.string().openapi({ example: "b***7" }) }),
    placedAt: z.string(),
  })
  .openapi("HistoryItem");

const PurchaseSchema = z.object({ price: z.number().int(), auction: AuctionSchema }).openapi("Purchase");

const MyBidSchema = z
  .object({
    state: z.enum(["leading", "outbid", "won", "lost"]),
    lastBidAt: z.string(),
    auction: AuctionSchema,
  })
  .openapi("MyBid");

const placeBid = createRoute({
  method: "post",
  path: "/auctions/{id}/bids",
  tags: ["Bidding"],
  summary: "Place a bid",
  description:
    "`{amount}` bids exactly that; `{maxAmount}` is a proxy bid; both bid now and defend up to the max; `{}` bids the minimum. " +
    "Checked in order: AUCTION_NOT_FOUND, AUCTION_NOT_OPEN, SELLER_CANNOT_BID, BID_TOO_LOW, BID_AT_OR_ABOVE_BUY_NOW, RATE_LIMITED. " +
    "Before any of them, a bid that waited more than 500 ms for the busy auction is refused unprocessed: 503 OVERLOADED with Retry-After.",
  security: bearerSecurity,
  middleware: [requireUser] as const,
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

const buyNow = createRoute({
  method: "post",
  path: "/auctions/{id}/buy-now",
  tags: ["Bidding"],
  summary: "Buy now",
  description:
    "While the auction is open and below its buy-now price, it closes at once, sold to the caller.",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  request: { params: AuctionIdParam, headers: IdempotencyKeyHeader },
  responses: {
    201: jsonContent(PurchaseSchema, "Bought"),
    ...problems(401, 403, 404, 409, 422, 503),
  },
});

const bidHistory = createRoute({
  method: "get",
  path: "/auctions/{id}/bids",
  tags: ["Bidding"],
  summary: "Bid history, newest first",
  description: "Bidders appear as stable anonymised handles, the caller as `you`. No maximum is ever shown.",
  request: { params: AuctionIdParam, query: z.object(PageQuery) },
  responses: {
    200: jsonContent(pageOf(HistoryItemSchema, "HistoryPage"), "A page of bids"),
    ...problems(400, 404),
  },
});

const myBids = createRoute({
  method: "get",
  path: "/me/bids",
  tags: ["Bidding"],
  summary: "Auctions I bid on, with my state",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  request: { query: z.object(PageQuery) },
  responses: {
    200: jsonContent(pageOf(MyBidSchema, "MyBidPage"), "A page, most recent bid first"),
    ...problems(400, 401),
  },
});

/**
 * The body of a stored room reply, or the failure as a problem. First answers and replays take
 * the same path from the same stored text, so a replay is byte-identical.
 */
function replyBody(reply: StoredReply): unknown {
  if (!reply.ok) throw roomError(reply);
  return JSON.parse(reply.body);
}

function historyCursor(cursor: string | undefined): number | null {
  const decoded = decodeCursor(cursor);
  if (decoded === null) return null;
  if (typeof decoded[0] !== "number")
    throw new ApiError("INVALID_CURSOR", "The cursor is not one this API issued.");
  return decoded[0];
}

export const bidsRouter = createRouter()
  .openapi(placeBid, async (c) => {
    const me = currentUser(c);
    const body = c.req.valid("json");
    const reply = await auctionRoom(c.env, c.req.valid("param").id).placeBid({
      bidderId: me.id,
      amount: body.amount ?? null,
      maxAmount: body.maxAmount ?? null,
      idempotencyKey: c.req.valid("header")["idempotency-key"] ?? null,
      requestHash: await sha256Hex(JSON.stringify([body.amount ?? null, body.maxAmount ?? null])),
      sentAt: Date.now(),
    });
    return c.json(BidReplySchema.parse(replyBody(reply)), 201);
  })
  .openapi(buyNow, async (c) => {
    const me = currentUser(c);
    const reply = await auctionRoom(c.env, c.req.valid("param").id).buyNow({
      buyerId: me.id,
      idempotencyKey: c.req.valid("header")["idempotency-key"] ?? null,
      requestHash: "buy-now",
      sentAt: Date.now(),
    });
    return c.json(PurchaseSchema.parse(replyBody(reply)), 201);
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
  })
  .openapi(myBids, async (c) => {
    const me = currentUser(c);
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor);
    const { results } = await c.env.DB.prepare(
      `SELECT b.auction_id, b.last_bid_at, a.status, a.leader_id, a.winner_id, a.summary
       FROM auction_bidders b JOIN auctions a ON a.id = b.auction_id
       WHERE b.user_id = ?1 ${after ? "AND (b.last_bid_at < ?2 OR (b.last_bid_at = ?2 AND b.auction_id < ?3))" : ""}
       ORDER BY b.last_bid_at DESC, b.auction_id DESC LIMIT ?4`,
    )
      .bind(me.id, after?.[0] ?? 0, after?.[1] ?? "", limit + 1)
      .all<{
        auction_id: string;
        last_bid_at: number;
        status: string;
        leader_id: string | null;
        winner_id: string | null;
        summary: string;
      }>();
    const page = results.slice(0, limit);
    const serverTime = new Date().toISOString();
    const items = page.map((row) => {
      const finished = row.status === "closed" || row.status === "cancelled";
      const state = finished
        ? row.winner_id === me.id
          ? "won"
          : "lost"
        : row.leader_id === me.id
          ? "leading"
          : "outbid";
      const auction = catalogAuction(row, me.id, serverTime);
      return { state, lastBidAt: new Date(row.last_bid_at).toISOString(), auction } as const;
    });
    const last = page.at(-1);
    return c.json(
      {
        items,
        nextCursor: results.length > limit && last ? encodeCursor(last.last_bid_at, last.auction_id) : null,
      },
      200,
    );
  });
