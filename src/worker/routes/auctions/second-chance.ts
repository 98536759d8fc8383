import { createRoute } from "@hono/zod-openapi";
import { withFunds } from "../../funds/with-funds";
import { currentUser, requireActiveUser, requireUser } from "../../middleware/auth";
import { createRouter, jsonContent, problems, sessionSecurity } from "../../openapi";
import { replyBody, roomError } from "../../room-failure";
import { auctionRoom } from "../../room-stub";
import { AuctionIdParam } from "../../schemas/auction";
import { OrderSchema } from "../../schemas/order";
import { SecondChanceBody, SecondChanceOfferSchema } from "../../schemas/second-chance";

const WHO =
  "Only the bidder it was made to answers it (the seller or an administrator: 403 FORBIDDEN; anyone else, " +
  "or no offer: 404 SECOND_CHANCE_NOT_FOUND). An offer no longer open is 409 SECOND_CHANCE_STATE.";

const getOffer = createRoute({
  method: "get",
  path: "/{id}/second-chance",
  operationId: "getSecondChanceOffer",
  tags: ["Orders"],
  summary: "The second-chance offer",
  description:
    "The seller and administrators see the latest offer, a bidder the one made to them; anyone else (and an " +
    "auction without offers) gets 404 SECOND_CHANCE_NOT_FOUND.",
  security: sessionSecurity,
  middleware: [requireUser] as const,
  request: { params: AuctionIdParam },
  responses: { 200: jsonContent(SecondChanceOfferSchema, "The offer"), ...problems(401, 404) },
});

const makeOffer = createRoute({
  method: "post",
  path: "/{id}/second-chance",
  operationId: "offerSecondChance",
  tags: ["Orders"],
  summary: "Offer the item to another bidder (seller)",
  description:
    "When the sale fell through — the order was refunded (cancelled before shipping, or refunded after a " +
    "dispute) or the auction ended unsold under its reserve — the seller may offer the item to a bidder, named " +
    "by their handle in the bid history, at that bidder's highest bid. They have 48 hours to accept. Checked in " +
    "order: 404 AUCTION_NOT_FOUND; not the seller: 403 FORBIDDEN; nothing to offer (auction running, order " +
    "standing, no bids, more than 60 days since it fell through) or another offer still open: 409 " +
    "SECOND_CHANCE_STATE; no bidder with that handle: 422 UNKNOWN_BIDDER; a previous buyer, or a bidder offered " +
    "it before: 422 BIDDER_NOT_ELIGIBLE.",
  security: sessionSecurity,
  middleware: [requireActiveUser] as const,
  request: {
    params: AuctionIdParam,
    body: { required: true, content: { "application/json": { schema: SecondChanceBody } } },
  },
  responses: {
    201: jsonContent(SecondChanceOfferSchema, "The offer, open for 48 hours"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

const accept = createRoute({
  method: "post",
  path: "/{id}/second-chance/accept",
  operationId: "acceptSecondChanceOffer",
  tags: ["Orders"],
  summary: "Accept the offer (bidder)",
  description:
    "The price is held on your wallet and paid into escrow: the item's next order opens `paid`, as a sale does. " +
    "Your wallet must hold the price (unless the deployment sets BIDS_REQUIRE_FUNDS=false): else 422 " +
    "INSUFFICIENT_FUNDS with `available` and `needed`, and the offer stays open. Accepting again answers the " +
    `same order. A suspended account cannot accept: 403 ACCOUNT_SUSPENDED. ${WHO}`,
  security: sessionSecurity,
  middleware: [requireActiveUser] as const,
  request: { params: AuctionIdParam },
  responses: {
    201: jsonContent(OrderSchema, "The new order"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

const decline = createRoute({
  method: "post",
  path: "/{id}/second-chance/decline",
  operationId: "declineSecondChanceOffer",
  tags: ["Orders"],
  summary: "Decline the offer (bidder)",
  description: `The seller is told and may offer the item to another bidder. Declining again answers the same. ${WHO}`,
  security: sessionSecurity,
  middleware: [requireUser] as const,
  request: { params: AuctionIdParam },
  responses: {
    200: jsonContent(SecondChanceOfferSchema, "The declined offer"),
    ...problems(400, 401, 403, 404, 409),
  },
});

/** `/auctions/{id}/second-chance` (issue 11): the seller's offer and the bidder's answer. */
export const secondChanceRouter = createRouter()
  .openapi(getOffer, async (c) => {
    const me = currentUser(c);
    const room = auctionRoom(c.env, c.req.valid("param").id);
    const result = await room.secondChanceOffer(me.id, me.role === "admin");
    if (!result.ok) throw roomError(result);
    return c.json(SecondChanceOfferSchema.parse(result.offer), 200);
  })
  .openapi(makeOffer, async (c) => {
    const me = currentUser(c);
    const room = auctionRoom(c.env, c.req.valid("param").id);
    const result = await room.offerSecondChance(me.id, c.req.valid("json").bidderHandle);
    if (!result.ok) throw roomError(result);
    return c.json(SecondChanceOfferSchema.parse(result.offer), 201);
  })
  .openapi(accept, async (c) => {
    const me = currentUser(c);
    const auctionId = c.req.valid("param").id;
    const room = auctionRoom(c.env, auctionId);
    const reply = await withFunds({
      env: c.env,
      userId: me.id,
      auctionId,
      purpose: "second_chance",
      commitment: null,
      movedCode: "SECOND_CHANCE_STATE",
      send: (hold) => room.acceptSecondChance({ userId: me.id, isAdmin: me.role === "admin", hold }),
    });
    return c.json(OrderSchema.parse(replyBody(reply)), 201);
  })
  .openapi(decline, async (c) => {
    const me = currentUser(c);
    const room = auctionRoom(c.env, c.req.valid("param").id);
    const result = await room.declineSecondChance(me.id, me.role === "admin");
    if (!result.ok) throw roomError(result);
    return c.json(SecondChanceOfferSchema.parse(result.offer), 200);
  });
