import { and, eq, gt, inArray, min } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { uploads } from "../schema";

export type UploadRow = typeof uploads.$inferSelect;

/** How many photos one user may upload within a sliding window. */
export interface UploadQuota {
  limit: number;
  windowMs: number;
}

export type UploadRecorded = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Records a new upload unless its owner already has `quota.limit` uploads younger than the window,
 * in ONE statement: parallel uploads are counted one by one (a count, then an insert, would let a
 * burst through). Refused, it says when the oldest upload in the window leaves it.
 */
export async function recordUpload(
  db: D1Database,
  row: UploadRow,
  quota: UploadQuota,
): Promise<UploadRecorded> {
  const since = row.createdAt - quota.windowMs;
  // SQL text: drizzle has no INSERT … SELECT … WHERE without a source table.
  const inserted = await db
    .prepare(
      `INSERT INTO uploads (key, user_id, content_type, size, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5
       WHERE (SELECT count(*) FROM uploads WHERE user_id = ?2 AND created_at > ?6) < ?7`,
    )
    .bind(row.key, row.userId, row.contentType, row.size, row.createdAt, since, quota.limit)
    .run();
  if (inserted.meta.changes === 1) return { ok: true };
  const oldest = await drizzle(db)
    .select({ createdAt: min(uploads.createdAt) })
    .from(uploads)
    .where(and(eq(uploads.userId, row.userId), gt(uploads.createdAt, since)))
    .get();
  const leavesAt = (oldest?.createdAt ?? row.createdAt) + quota.windowMs;
  return { ok: false, retryAfterMs: Math.max(leavesAt - row.createdAt, 1) };
}

/** Forgets an upload whose object never reached the bucket. */
export async function deleteUpload(db: D1Database, key: string): Promise<void> {
  await drizzle(db).delete(uploads).where(eq(uploads.key, key));
}

/** Which of `keys` are uploads of `userId` (the others are someone else's, or nobody's). */
export async function ownedUploadKeys(
  db: D1Database,
  userId: string,
  keys: readonly string[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await drizzle(db)
    .select({ key: uploads.key })
    .from(uploads)
    .where(and(eq(uploads.userId, userId), inArray(uploads.key, [...keys])))
    .all();
  return new Set(rows.map((r) => r.key));
}
