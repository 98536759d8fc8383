import { createRoute, z } from "@hono/zod-openapi";
import { appendKeyedAudit } from "../../../db/queries/audit-log";
import { currentUser } from "../../middleware/auth";
import { createRouter, jsonContent, problems, sessionSecurity } from "../../openapi";
import { roomError } from "../../room-failure";
import { auctionRoom } from "../../room-stub";
import { OrderSchema, ResolveBody } from "../../schemas/order";

const resolveRoute = createRoute({
  method: "post",
  path: "/orders/{auctionId}/resolve",
  operationId: "resolveOrderDispute",
  tags: ["Admin"],
  summary: "Resolve a disputed order",
  description:
    "`refund`: the escrow goes back to the buyer; `release`: the order completes and the seller is paid. " +
    "Only a disputed order: else 409 ORDER_STATE. Audited once, even when the request is retried.",
  security: sessionSecurity,
  request: {
    params: z.object({ auctionId: z.string().openapi({ example: "auc_0123456789abcdefghij" }) }),
    body: { required: true, content: { "application/json": { schema: ResolveBody } } },
  },
  responses: {
    200: jsonContent(OrderSchema, "The resolved order"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

/** `/admin/orders` (SPEC §9): an administrator settles a dispute. */
export const adminOrdersRouter = createRouter().openapi(resolveRoute, async (c) => {
  const { auctionId } = c.req.valid("param");
  const { outcome, reason } = c.req.valid("json");
  const me = currentUser(c);
  const room = auctionRoom(c.env, auctionId);
  const result = await room.orderAction({
    userId: me.id,
    isAdmin: true,
    action: { kind: "resolve", outcome, reason },
  });
  const audit = (resolution: string) =>
    appendKeyedAudit(c.env.DB, {
      actorId: me.id,
      action: "order.resolve",
      reason,
      now: Date.now(),
      target: { type: "auction", id: auctionId },
      detail: { outcome, resolution },
      dedupeKey: `order.resolve:${auctionId}`,
    });
  if (!result.ok) {
    // A retry after the room resolved it but before the row was written: write the row now.
    if (result.code === "ORDER_STATE") {
      const current = await room.order(me.id, true);
      const resolution = current.ok ? current.order.resolution : null;
      if (resolution === "admin_refunded" || resolution === "admin_released") await audit(resolution);
    }
    throw roomError(result);
  }
  await audit(result.order.resolution ?? outcome);
  return c.json(OrderSchema.parse(result.order), 200);
});
