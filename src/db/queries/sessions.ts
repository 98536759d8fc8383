import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sessions, users } from "../schema";

/**
 * Starts a session, unless the user is suspended: one INSERT … SELECT, so a suspension that
 * commits while the login checks the password (which takes a while) cannot be slipped past.
 * @returns false when the user is suspended (or gone), and nothing was written.
 */
export async function insertSessionUnlessSuspended(
  db: D1Database,
  session: { id: string; userId: string; tokenHash: string; createdAt: number; expiresAt: number },
): Promise<boolean> {
  const orm = drizzle(db);
  const inserted = await orm
    .insert(sessions)
    .select(
      orm
        .select({
          id: sql<string>`${session.id}`.as("id"),
          userId: users.id,
          tokenHash: sql<string>`${session.tokenHash}`.as("token_hash"),
          createdAt: sql<number>`${session.createdAt}`.as("created_at"),
          expiresAt: sql<number>`${session.expiresAt}`.as("expires_at"),
          revokedAt: sql<null>`null`.as("revoked_at"),
        })
        .from(users)
        .where(and(eq(users.id, session.userId), isNull(users.suspendedAt))),
    )
    .returning({ id: sessions.id });
  return inserted.length === 1;
}

export async function revokeSession(db: D1Database, tokenHash: string, now: number): Promise<void> {
  await drizzle(db).update(sessions).set({ revokedAt: now }).where(eq(sessions.tokenHash, tokenHash));
}

/** A session that is neither revoked nor expired at `now`. */
const live = (tokenHash: string, now: number) =>
  and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now));

/**
 * The user of the live session with this token hash, their role and suspension, and when the
 * session expires. A suspension ends the user's sessions too; the flag covers a suspension made
 * without that (an operator's SQL).
 */
export async function findLiveSessionUser(db: D1Database, tokenHash: string, now: number) {
  return drizzle(db)
    .select({
      id: users.id,
      username: users.username,
      nickname: users.nickname,
      createdAt: users.createdAt,
      role: users.role,
      suspendedAt: users.suspendedAt,
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
