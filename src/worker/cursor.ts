import { z } from "zod";
import { ApiError } from "./errors";

/**
 * Keyset cursors: the sort key and id of the last item, base64url-encoded JSON. Opaque to
 * clients; a tampered cursor is a 400, never a 500.
 */
const CursorSchema = z.tuple([z.union([z.number(), z.string()]), z.string()]);
export type Cursor = z.infer<typeof CursorSchema>;

export function encodeCursor(key: number | string, id: string): string {
  return btoa(JSON.stringify([key, id]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (cursor === undefined) return null;
  try {
    return CursorSchema.parse(JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/"))));
  } catch {
    throw new ApiError("INVALID_CURSOR", "The cursor is not one this API issued.");
  }
}

/**
 * A page out of rows fetched with `limit + 1`: the extra row only tells that there is a next page,
 * whose cursor is the key and id of this page's last row.
 */
export function keysetPage<Row, Item>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => [number | string, string],
  itemOf: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(itemOf),
    nextCursor: rows.length > limit && last ? encodeCursor(...keyOf(last)) : null,
  };
}
