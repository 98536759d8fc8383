import { createRoute, z } from "@hono/zod-openapi";
import { appendKeyedAudit } from "../../../db/queries/audit-log";
import { listOrders, type OrderWithParties } from "../../../db/queries/orders";
import { decodeCursor, keysetPage } from "../../cursor";
import { currentUser } from "../../middleware/auth";
import { createRouter, jsonContent, problems, sessionSecurity } from "../../openapi";
import { roomError } from "../../room-failure";
import { auctionRoom } from "../../room-stub";
import { PageQuery, pageOf } from "../../schemas/auction";
import { OrderSchema, ResolveBody } from "../../schemas/order";

const ORDER_STATUSES = ["paid", "shipped", "completed", "disputed", "refunded"] as const;

/** A user as an administrator needs them on an order (null names: the account is gone from D1). */
const PartySchema = z.object({
  id: z.string(),
  username: z.string().nullable(),
  nickname: z.string().nullable(),
});

const AdminOrderSchema = z
  .object({
    id: z.string().openapi({
      description: "The order's id: the auction's, or `<auctionId>.<n>` for a second-chance sale.",
    }),
    auctionId: z.string().openapi({ description: "Resolve with `POST /admin/orders/{auctionId}/resolve`." }),
    title: z.string(),
    status: z.enum(ORDER_STATUSES),
    price: z.number().int(),
    fee: z.number().int(),
    currency: z.string(),
    buyer: PartySchema,
    seller: PartySchema,
    paidAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("AdminOrder");

const listRoute = createRoute({
  method: "get",
  path: "/orders",
  operationId: "listOrders",
  tags: ["Admin"],
  summary: "Orders, most recently changed first",
  description:
    "`status=disputed` is the queue of disputes to resolve. From the orders projection, which follows the " +
    "orders within about a second; `GET /auctions/{auctionId}/order` has the whole order (the dispute's reason).",
  security: sessionSecurity,
  request: { query: z.object({ status: z.enum(ORDER_STATUSES).optional(), ...PageQuery }) },
  responses: {
    200: jsonContent(pageOf(AdminOrderSchema, "AdminOrderPage"), "A page of orders"),
    ...problems(400, 401, 403),
  },
});

const orderView = (row: OrderWithParties) => ({
  ...row,
  paidAt: new Date(row.paidAt).toISOString(),
  updatedAt: new Date(row.updatedAt).toISOString(),
});

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

/** `/admin/orders` (SPEC §9): administrators list orders (the disputes) and settle a dispute. */
export const adminOrdersRouter = createRouter()
  .openapi(listRoute, async (c) => {
    const { status, limit, cursor } = c.req.valid("query");
    const rows = await listOrders(c.env.DB, {
      status: status ?? null,
      after: decodeCursor(cursor),
      limit: limit + 1,
    });
    return c.json(
      keysetPage(rows, limit, (row) => [row.updatedAt, row.id], orderView),
      200,
    );
  })
  .openapi(resolveRoute, async (c) => {
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
