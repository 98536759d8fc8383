import { gt, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** The (sort key, id) of the last row a page ended on, as the API's cursor carries it. */
export type Keyset = readonly [key: number | string, id: string];

/**
 * Rows strictly past `after` in `(key, id)` order: `key ≥ k AND (key > k OR id > i)` (mirrored for
 * descending). With the query ordered by (key, id), a page walks on from where the last one ended
 * instead of an OFFSET re-reading every earlier row, and stays stable while rows are added. The
 * bound on the key alone is what lets SQLite seek an index on (…, key) instead of filtering: the
 * hand-written SQL got it by binding `k` once as `?2`, which drizzle's `?` parameters cannot.
 */
export function pastKeyset(
  key: SQLiteColumn,
  id: SQLiteColumn,
  after: Keyset,
  direction: "asc" | "desc",
): SQL {
  const [k, i] = after;
  const [atOrPast, past] = direction === "asc" ? [gte, gt] : [lte, lt];
  // Drizzle's `and`/`or` are typed as possibly empty (undefined); the template needs no cast.
  return sql`(${atOrPast(key, k)} and (${past(key, k)} or ${past(id, i)}))`;
}
