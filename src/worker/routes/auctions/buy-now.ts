import { createRoute, z } from "@hono/zod-openapi";
import { withFunds } from "../../funds/with-funds";
import { currentUser, requireActiveUser } from "../../middleware/auth";
import { createRouter, IdempotencyKeyHeader, jsonContent, problems, sessionSecurity } from "../../openapi";
import { replyBody } from "../../room-failure";
import { auctionRoom } from "../../room-stub";
import { AuctionIdParam, AuctionSchema } from "../../schemas/auction";

const PurchaseSchema = z.object({ price: z.number().int(), auction: AuctionSchema }).openapi("Purchase");

const buyNow = createRoute({
  method: "post",
  path: "/{id}/buy-now",
  operationId: "buyNow",
  tags: ["Bidding"],
  summary: "Buy now",
  description:
    "While the auction is open and below its buy-now price, it closes at once, sold to the caller. " +
    "A suspended account cannot buy: 403 ACCOUNT_SUSPENDED. Your wallet must hold the buy-now price " +
    "(unless the deployment sets BIDS_REQUIRE_FUNDS=false): else 422 INSUFFICIENT_FUNDS with `available` and `needed`.",
  security: sessionSecurity,
  middleware: [requireActiveUser] as const,
  request: { params: AuctionIdParam, headers: IdempotencyKeyHeader },
  responses: {
    201: jsonContent(PurchaseSchema, "Bought"),
    ...problems(401, 403, 404, 409, 422, 503),
  },
});

/** `/auctions/{id}/buy-now`. */
export const buyNowRouter = createRouter().openapi(buyNow, async (c) => {
  const me = currentUser(c);
  const auctionId = c.req.valid("param").id;
  const room = auctionRoom(c.env, auctionId);
  const idempotencyKey = c.req.valid("header")["idempotency-key"] ?? null;
  const reply = await withFunds({
    env: c.env,
    userId: me.id,
    auctionId,
    purpose: "buy_now",
    commitment: null,
    movedCode: "BUY_NOW_UNAVAILABLE",
    send: (hold) =>
      room.buyNow({ buyerId: me.id, idempotencyKey, requestHash: "buy-now", hold, sentAt: Date.now() }),
  });
  return c.json(PurchaseSchema.parse(replyBody(reply)), 201);
});
