import { type CatalogFilter, listCatalog } from "../db/queries/catalog";
import { decodeCursor, keysetPage } from "./cursor";
import { AuctionSchema } from "./schemas/auction";

/**
 * An auction as listed from the catalog projection, for `viewerId`: the summary the AuctionRoom
 * wrote (viewer-neutral, no reserve) with `leaderIsYou` and a fresh `serverTime`. The one place
 * list, watchlist and my-bids build their items; parsing re-checks the stored shape.
 */
export function catalogAuction(
  row: { summary: string; leaderId: string | null },
  viewerId: string | null,
  serverTime: string,
) {
  return AuctionSchema.parse({
    ...JSON.parse(row.summary),
    leaderIsYou: viewerId !== null && row.leaderId === viewerId,
    serverTime,
  });
}

/** One page of the catalog for `viewerId` (for `leaderIsYou`), after the API cursor `cursor`. */
export async function catalogPage(
  db: D1Database,
  filter: Omit<CatalogFilter, "after" | "limit">,
  page: { limit: number; cursor: string | undefined; viewerId: string | null },
) {
  const rows = await listCatalog(db, { ...filter, limit: page.limit + 1, after: decodeCursor(page.cursor) });
  const serverTime = new Date().toISOString();
  return keysetPage(
    rows,
    page.limit,
    (row) => [row.sortKey, row.id],
    (row) => catalogAuction(row, page.viewerId, serverTime),
  );
}
