import { and, eq, gt, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sessions, users } from "../schema";

export async function insertSession(
  db: D1Database,
  session: { id: string; userId: string; tokenHash: string; createdAt: number; expiresAt: number },
): Promise<void> {
  await drizzle(db).insert(sessions).values(session);
}

export async function revokeSession(db: D1Database, tokenHash: string, now: number): Promise<void> {
  await drizzle(db).update(sessions).set({ revokedAt: now }).where(eq(sessions.tokenHash, tokenHash));
}

/** A session that is neither revoked nor expired at `now`. */
const live = (tokenHash: string, now: number) =>
  and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now));

/** The user of the live session with this token hash, and when the session expires. */
export async function findLiveSessionUser(db: D1Database, tokenHash: string, now: number) {
  return drizzle(db)
    .select({
      id: users.id,
      username: users.username,
      nickname: users.nickname,
      createdAt: users.createdAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(live(tokenHash, now))
    .get();
}

/** Whether the session with this token hash is live at `now`, read from D1 (no cache). */
export async function isSessionLive(db: D1Database, tokenHash: string, now: number): Promise<boolean> {
  const row = await drizzle(db).select({ id: sessions.id }).from(sessions).where(live(tokenHash, now)).get();
  return row !== undefined;
}
