import { createRoute } from "@hono/zod-openapi";
import { auditAuctionCancel } from "../../../db/queries/audit-log";
import type { AdminCancellation } from "../../../durable/auction-room/state";
import { currentUser } from "../../middleware/auth";
import { createRouter, jsonContent, problems, sessionSecurity } from "../../openapi";
import { roomError } from "../../room-failure";
import { auctionRoom } from "../../room-stub";
import { AdminReasonBody } from "../../schemas/admin";
import { AuctionIdParam, AuctionSchema } from "../../schemas/auction";

const cancelRoute = createRoute({
  method: "post",
  path: "/auctions/{id}/cancel",
  operationId: "cancelAuctionAsAdmin",
  tags: ["Admin"],
  summary: "Cancel any auction, even with bids",
  description:
    "Allowed while the auction is scheduled or open; a closed or cancelled one is 409 AUCTION_NOT_OPEN. " +
    "Room sockets get a `cancelled` frame; bidders and watchers get an `auction_cancelled` message, and so " +
    "does the seller, with the reason. Audited once, even when the request is retried.",
  security: sessionSecurity,
  request: {
    params: AuctionIdParam,
    body: { required: true, content: { "application/json": { schema: AdminReasonBody } } },
  },
  responses: {
    200: jsonContent(AuctionSchema, "The cancelled auction"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

/**
 * The cancellation's audit row. The room has committed by now and D1 cannot join its transaction,
 * so the row is written after, keyed by the auction: a retry writes it only if it is missing, with
 * the facts the room recorded the first time (who, why, when), not the retry's.
 */
function audit(db: D1Database, auctionId: string, sellerId: string, title: string, c: AdminCancellation) {
  return auditAuctionCancel(db, {
    actorId: c.adminId,
    auctionId,
    reason: c.reason,
    detail: { sellerId, title, previousStatus: c.previousStatus, bidCount: c.bidCount, bidders: c.bidders },
    at: c.at,
  });
}

/** `/admin/auctions`: an administrator's cancellation (SPEC §9). */
export const adminAuctionsRouter = createRouter().openapi(cancelRoute, async (c) => {
  const { id } = c.req.valid("param");
  const { reason } = c.req.valid("json");
  const room = auctionRoom(c.env, id);
  const result = await room.cancelByAdmin({ adminId: currentUser(c).id, reason });
  if (!result.ok) {
    if (result.cancellation) {
      const view = await room.snapshot(null);
      if (view) await audit(c.env.DB, id, view.sellerId, view.title, result.cancellation);
    }
    throw roomError(result);
  }
  await audit(c.env.DB, id, result.view.sellerId, result.view.title, result.cancellation);
  return c.json(AuctionSchema.parse(result.view), 200);
});
