import { createRoute, z } from "@hono/zod-openapi";
import { listMyOrders, type OrderRow } from "../../../db/queries/orders";
import { decodeCursor, keysetPage } from "../../cursor";
import { currentUser, requireUser } from "../../middleware/auth";
import { createRouter, jsonContent, problems, sessionSecurity } from "../../openapi";
import { PageQuery, pageOf } from "../../schemas/auction";

const MyOrderSchema = z
  .object({
    id: z.string().openapi({
      description:
        "The order's id: the auction's for the sale at the hammer, `<auctionId>.<n>` for a second-chance sale.",
    }),
    auctionId: z.string(),
    title: z.string(),
    role: z.enum(["buyer", "seller"]),
    status: z.enum(["paid", "shipped", "completed", "disputed", "refunded"]),
    price: z.number().int(),
    currency: z.string(),
    paidAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("MyOrder");

const myOrders = createRoute({
  method: "get",
  path: "/orders",
  operationId: "listMyOrders",
  tags: ["Orders"],
  summary: "My orders, as buyer or seller",
  description:
    "Most recently changed first. `GET /auctions/{auctionId}/order` has the whole order. The list follows the " +
    "orders within about a second (it is projected from their events).",
  security: sessionSecurity,
  middleware: [requireUser] as const,
  request: {
    query: z.object({
      ...PageQuery,
      role: z.enum(["buyer", "seller"]).optional(),
      status: z.enum(["paid", "shipped", "completed", "disputed", "refunded"]).optional(),
    }),
  },
  responses: {
    200: jsonContent(pageOf(MyOrderSchema, "MyOrderPage"), "A page of orders"),
    ...problems(400, 401),
  },
});

/** `/me/orders` (SPEC §8), from the broker's orders projection. */
export const myOrdersRouter = createRouter().openapi(myOrders, async (c) => {
  const me = currentUser(c);
  const { limit, cursor, role, status } = c.req.valid("query");
  const rows = await listMyOrders(c.env.DB, {
    userId: me.id,
    role: role ?? null,
    status: status ?? null,
    after: decodeCursor(cursor),
    limit: limit + 1,
  });
  const item = (row: OrderRow) => ({
    id: row.id,
    auctionId: row.auctionId,
    title: row.title,
    role: row.buyerId === me.id ? ("buyer" as const) : ("seller" as const),
    status: row.status,
    price: row.price,
    currency: row.currency,
    paidAt: new Date(row.paidAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  });
  return c.json(
    keysetPage(rows, limit, (row) => [row.updatedAt, row.id], item),
    200,
  );
});
