import { createRoute } from "@hono/zod-openapi";
import type { OrderAction } from "../../../durable/auction-room";
import { currentUser, requireUser } from "../../middleware/auth";
import { createRouter, jsonContent, problems, sessionSecurity } from "../../openapi";
import { roomError } from "../../room-failure";
import { auctionRoom } from "../../room-stub";
import { AuctionIdParam } from "../../schemas/auction";
import { DisputeBody, OrderSchema, ShipBody } from "../../schemas/order";

const getOrder = createRoute({
  method: "get",
  path: "/{id}/order",
  operationId: "getOrder",
  tags: ["Orders"],
  summary: "The sale's order",
  description:
    "For the buyer, the seller or an administrator; anyone else (and an auction without a sale) gets 404 ORDER_NOT_FOUND. " +
    "After a second-chance sale, each party sees (and acts on) the latest order they are party to: the first buyer " +
    "their refunded order, the seller and the new buyer the new one; an administrator the latest.",
  security: sessionSecurity,
  middleware: [requireUser] as const,
  request: { params: AuctionIdParam },
  responses: { 200: jsonContent(OrderSchema, "The order"), ...problems(401, 404) },
});

const STRANGERS =
  "Another party is 403 FORBIDDEN; the order in another state 409 ORDER_STATE; anyone else 404 ORDER_NOT_FOUND.";

function actionRoute(path: string, operationId: string, summary: string, description: string) {
  return createRoute({
    method: "post",
    path: `/{id}/order/${path}`,
    operationId,
    tags: ["Orders"],
    summary,
    description: `${description} ${STRANGERS}`,
    security: sessionSecurity,
    middleware: [requireUser] as const,
    request: { params: AuctionIdParam },
    responses: {
      200: jsonContent(OrderSchema, "The order after the step"),
      ...problems(400, 401, 403, 404, 409),
    },
  });
}

const ship = createRoute({
  method: "post",
  path: "/{id}/order/ship",
  operationId: "shipOrder",
  tags: ["Orders"],
  summary: "Ship the order (seller)",
  description: `While paid; carrier and tracking number are optional. ${STRANGERS}`,
  security: sessionSecurity,
  middleware: [requireUser] as const,
  request: {
    params: AuctionIdParam,
    body: { required: true, content: { "application/json": { schema: ShipBody } } },
  },
  responses: {
    200: jsonContent(OrderSchema, "The shipped order"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

const dispute = createRoute({
  method: "post",
  path: "/{id}/order/dispute",
  operationId: "disputeOrder",
  tags: ["Orders"],
  summary: "Dispute the order (buyer)",
  description:
    "While shipped, or while paid once the ship deadline (`shipBy`) has passed: the money stays in escrow " +
    `until an administrator resolves it. ${STRANGERS}`,
  security: sessionSecurity,
  middleware: [requireUser] as const,
  request: {
    params: AuctionIdParam,
    body: { required: true, content: { "application/json": { schema: DisputeBody } } },
  },
  responses: {
    200: jsonContent(OrderSchema, "The disputed order"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

const confirm = actionRoute(
  "confirm",
  "confirmOrder",
  "Confirm receipt (buyer)",
  "While shipped: the payout is released to the seller.",
);
const cancel = actionRoute(
  "cancel",
  "cancelOrder",
  "Cancel the order (seller)",
  "Before shipping: the buyer is refunded in full.",
);

/** `/auctions/{id}/order` (SPEC §8): read it, and each party's steps. */
export const orderRouter = createRouter()
  .openapi(getOrder, async (c) => {
    const me = currentUser(c);
    const result = await auctionRoom(c.env, c.req.valid("param").id).order(me.id, me.role === "admin");
    if (!result.ok) throw roomError(result);
    return c.json(OrderSchema.parse(result.order), 200);
  })
  .openapi(ship, async (c) => {
    const { carrier, trackingNumber } = c.req.valid("json");
    const action = {
      kind: "ship",
      shipment: { carrier: carrier ?? null, trackingNumber: trackingNumber ?? null },
    } as const;
    return c.json(await act(c.env, c.req.valid("param").id, currentUser(c), action), 200);
  })
  .openapi(confirm, async (c) =>
    c.json(await act(c.env, c.req.valid("param").id, currentUser(c), { kind: "confirm" }), 200),
  )
  .openapi(dispute, async (c) => {
    const { reason } = c.req.valid("json");
    return c.json(
      await act(c.env, c.req.valid("param").id, currentUser(c), { kind: "dispute", reason }),
      200,
    );
  })
  .openapi(cancel, async (c) =>
    c.json(await act(c.env, c.req.valid("param").id, currentUser(c), { kind: "cancel" }), 200),
  );

/** One step on the auction's order, as the caller; the order after it, or the room's refusal. */
export async function act(
  env: Env,
  auctionId: string,
  user: { id: string; role: string },
  action: OrderAction,
) {
  const result = await auctionRoom(env, auctionId).orderAction({
    userId: user.id,
    isAdmin: user.role === "admin",
    action,
  });
  if (!result.ok) throw roomError(result);
  return OrderSchema.parse(result.order);
}
