import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** Escapes LIKE wildcards so a search for "100%" means the text "100%". */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * `column` contains `q`, ignoring ASCII case (SQLite's LIKE). Drizzle's `like` has no ESCAPE
 * clause, which a search for a literal % or _ needs.
 */
export function containsText(column: SQLiteColumn, q: string): SQL {
  return sql`${column} LIKE ${likePattern(q)} ESCAPE '\\'`;
}
