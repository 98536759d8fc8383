import { and, desc, eq, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { alias } from "drizzle-orm/sqlite-core";
import { type Keyset, pastKeyset } from "../keyset";
import { orders, users } from "../schema";

/** An order as the broker projects it (every field the room's event carries that a list needs). */
export type OrderRow = Omit<typeof orders.$inferSelect, "lastSeq">;

/**
 * Upserts one order's row from a room's order event. SQL text, like the catalog's upsert (see
 * catalog.ts): it joins the broker's batch; the `last_seq` guard makes a late or redelivered
 * event harmless.
 */
export function upsertOrder(db: D1Database, seq: number, o: OrderRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO orders (id, auction_id, buyer_id, seller_id, status, price, fee, currency, title, paid_at,
         updated_at, last_seq)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
       ON CONFLICT(id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
         title = excluded.title, last_seq = excluded.last_seq
       WHERE excluded.last_seq > orders.last_seq`,
    )
    .bind(
      o.id,
      o.auctionId,
      o.buyerId,
      o.sellerId,
      o.status,
      o.price,
      o.fee,
      o.currency,
      o.title,
      o.paidAt,
      o.updatedAt,
      seq,
    );
}

/** An order's own columns as the lists show them (the projection's bookkeeping left out). */
const ORDER_COLUMNS = {
  id: orders.id,
  auctionId: orders.auctionId,
  status: orders.status,
  price: orders.price,
  fee: orders.fee,
  currency: orders.currency,
  title: orders.title,
  paidAt: orders.paidAt,
  updatedAt: orders.updatedAt,
};

export interface MyOrdersQuery {
  userId: string;
  role: "buyer" | "seller" | null;
  status: OrderRow["status"] | null;
  after: Keyset | null;
  limit: number;
}

/** The user's orders (as buyer, seller or either), most recently changed first, past `after`. */
export async function listMyOrders(db: D1Database, q: MyOrdersQuery): Promise<OrderRow[]> {
  const mine =
    q.role === "buyer"
      ? eq(orders.buyerId, q.userId)
      : q.role === "seller"
        ? eq(orders.sellerId, q.userId)
        : or(eq(orders.buyerId, q.userId), eq(orders.sellerId, q.userId));
  return drizzle(db)
    .select({ ...ORDER_COLUMNS, buyerId: orders.buyerId, sellerId: orders.sellerId })
    .from(orders)
    .where(
      and(
        mine,
        q.status ? eq(orders.status, q.status) : undefined,
        q.after ? pastKeyset(orders.updatedAt, orders.id, q.after, "desc") : undefined,
      ),
    )
    .orderBy(desc(orders.updatedAt), desc(orders.id))
    .limit(q.limit)
    .all();
}

export interface OrdersQuery {
  status: OrderRow["status"] | null;
  after: Keyset | null;
  limit: number;
}

export interface Party {
  id: string;
  username: string | null;
  nickname: string | null;
}

export type OrderWithParties = Omit<OrderRow, "buyerId" | "sellerId"> & { buyer: Party; seller: Party };

const buyers = alias(users, "buyer");
const sellers = alias(users, "seller");

/**
 * Every order (the administrators' view, SPEC §9), optionally in one status — `disputed` is the
 * queue they work through — most recently changed first, past `after`, with who bought and sold.
 */
export async function listOrders(db: D1Database, q: OrdersQuery): Promise<OrderWithParties[]> {
  const rows = await drizzle(db)
    .select({
      ...ORDER_COLUMNS,
      buyerId: orders.buyerId,
      buyerUsername: buyers.username,
      buyerNickname: buyers.nickname,
      sellerId: orders.sellerId,
      sellerUsername: sellers.username,
      sellerNickname: sellers.nickname,
    })
    .from(orders)
    .leftJoin(buyers, eq(buyers.id, orders.buyerId))
    .leftJoin(sellers, eq(sellers.id, orders.sellerId))
    .where(
      and(
        q.status ? eq(orders.status, q.status) : undefined,
        q.after ? pastKeyset(orders.updatedAt, orders.id, q.after, "desc") : undefined,
      ),
    )
    .orderBy(desc(orders.updatedAt), desc(orders.id))
    .limit(q.limit)
    .all();
  return rows.map(
    ({ buyerId, buyerUsername, buyerNickname, sellerId, sellerUsername, sellerNickname, ...order }) => ({
      ...order,
      buyer: { id: buyerId, username: buyerUsername, nickname: buyerNickname },
      seller: { id: sellerId, username: sellerUsername, nickname: sellerNickname },
    }),
  );
}
