/**
 * The `live_offline` list (schema.ts): written by each user's UserHub, read by the broker with
 * the unread counts (broker-writes.ts) to skip pushes no socket would receive.
 */

/** The user's hub holds no live socket since `since` (epoch ms). */
export async function markOffline(db: D1Database, userId: string, since: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO live_offline (user_id, since) VALUES (?1, ?2)
       ON CONFLICT(user_id) DO UPDATE SET since = excluded.since`,
    )
    .bind(userId, since)
    .run();
}

/** The user's hub holds a live socket again: push to it. */
export async function markOnline(db: D1Database, userId: string): Promise<void> {
  await db.prepare("DELETE FROM live_offline WHERE user_id = ?1").bind(userId).run();
}
