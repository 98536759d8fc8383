import { decodeCursor, encodeCursor } from "./cursor";
import { AuctionSchema } from "./schemas/auction";

/**
 * An auction as listed from the catalog projection, for `viewerId`: the summary the AuctionRoom
 * wrote (viewer-neutral, no reserve) with `leaderIsYou` and a fresh `serverTime`. The one place
 * list, watchlist and my-bids build their items; parsing re-checks the stored shape.
 */
export function catalogAuction(
  row: { summary: string; leader_id: string | null },
  viewerId: string | null,
  serverTime: string,
) {
  return AuctionSchema.parse({
    ...JSON.parse(row.summary),
    leaderIsYou: viewerId !== null && row.leader_id === viewerId,
    serverTime,
  });
}

export type CatalogSort = "ending_soon" | "newest" | "price_asc" | "price_desc";

export interface CatalogFilter {
  status?: string | undefined;
  q?: string | undefined;
  category?: string | undefined;
  sellerId?: string | undefined;
  sort: CatalogSort;
  limit: number;
  cursor?: string | undefined;
  /** The signed-in caller, for `leaderIsYou`. */
  viewerId: string | null;
}

const ORDER: Record<CatalogSort, { column: string; direction: "ASC" | "DESC" }> = {
  ending_soon: { column: "ends_at", direction: "ASC" },
  newest: { column: "created_at", direction: "DESC" },
  price_asc: { column: "current_price", direction: "ASC" },
  price_desc: { column: "current_price", direction: "DESC" },
};

/** Escapes LIKE wildcards so a search for "100%" means the text "100%". */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * One page of the catalog projection with keyset pagination on (sort column, id): stable under
 * inserts, and each page is an index range scan rather than an OFFSET.
 */
export async function listCatalog(db: D1Database, filter: CatalogFilter) {
  const { column, direction } = ORDER[filter.sort];
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.status) {
    where.push("status = ?");
    params.push(filter.status);
  }
  if (filter.category) {
    where.push("category = ?");
    params.push(filter.category);
  }
  if (filter.sellerId) {
    where.push("seller_id = ?");
    params.push(filter.sellerId);
  }
  if (filter.q) {
    where.push("title LIKE ? ESCAPE '\\'");
    params.push(likePattern(filter.q));
  }
  const cursor = decodeCursor(filter.cursor);
  if (cursor) {
    const cmp = direction === "ASC" ? ">" : "<";
    where.push(`(${column} ${cmp} ? OR (${column} = ? AND id ${cmp} ?))`);
    params.push(cursor[0], cursor[0], cursor[1]);
  }
  const sql = `SELECT id, summary, leader_id, ${column} AS sort_key FROM auctions
    ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY ${column} ${direction}, id ${direction} LIMIT ?`;
  const { results } = await db
    .prepare(sql)
    .bind(...params, filter.limit + 1)
    .all<{ id: string; summary: string; leader_id: string | null; sort_key: number }>();
  const page = results.slice(0, filter.limit);
  const serverTime = new Date().toISOString();
  const last = page.at(-1);
  return {
    items: page.map((row) => catalogAuction(row, filter.viewerId, serverTime)),
    nextCursor: results.length > filter.limit && last ? encodeCursor(last.sort_key, last.id) : null,
  };
}
