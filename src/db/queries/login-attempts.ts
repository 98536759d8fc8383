import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { loginAttempts } from "../schema";

/** Attempts allowed within the window before the username is locked. */
export const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60 * 1000;
const FIRST_LOCK_MS = 60 * 1000;
const MAX_LOCK_MS = 15 * 60 * 1000;

export type AttemptReservation = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Reserves one login attempt for `username` before its password is checked, in ONE statement,
 * so N guesses sent in parallel count as N (a read-then-write let 30 parallel guesses through
 * unthrottled). Every reserved attempt counts as a failure until a success clears the count.
 *
 * The MAX_FAILURES-th attempt in the window is still checked, but it locks the username while it
 * is (1 min); once a lock ends one more attempt is checked and locks again for twice as long, up to
 * 15 min: online guessing gets slow without locking the real owner out for long. A locked username
 * is refused without its count changing.
 */
export async function reserveAttempt(
  db: D1Database,
  username: string,
  now: number,
): Promise<AttemptReservation> {
  const stale = sql`${now} - ${loginAttempts.windowStartedAt} > ${WINDOW_MS}`;
  const failures = sql`CASE WHEN ${stale} THEN 1 ELSE ${loginAttempts.failures} + 1 END`;
  // The lock for the attempt just counted: from the MAX_FAILURES-th on, 1 min doubling to 15.
  const lockFor = (count: typeof failures | number) =>
    sql`CASE WHEN ${count} >= ${MAX_FAILURES}
          THEN ${now} + MIN(${FIRST_LOCK_MS} * (1 << MIN(${count} - ${MAX_FAILURES}, 20)), ${MAX_LOCK_MS})
          ELSE NULL END`;
  const reserved = await drizzle(db)
    .insert(loginAttempts)
    .values({
      username,
      failures: 1,
      windowStartedAt: now,
      lockedUntil: MAX_FAILURES <= 1 ? now + FIRST_LOCK_MS : null,
    })
    .onConflictDoUpdate({
      target: loginAttempts.username,
      set: {
        failures,
        windowStartedAt: sql`CASE WHEN ${stale} THEN ${now} ELSE ${loginAttempts.windowStartedAt} END`,
        lockedUntil: lockFor(failures),
      },
      setWhere: sql`${loginAttempts.lockedUntil} IS NULL OR ${loginAttempts.lockedUntil} <= ${now}`,
    })
    .returning({ failures: loginAttempts.failures })
    .get();
  if (reserved) return { allowed: true };
  const row = await drizzle(db)
    .select({ lockedUntil: loginAttempts.lockedUntil })
    .from(loginAttempts)
    .where(eq(loginAttempts.username, username))
    .get();
  return { allowed: false, retryAfterMs: Math.max((row?.lockedUntil ?? now) - now, 1) };
}

/** A successful login forgets the username's attempts. */
export async function clearAttempts(db: D1Database, username: string): Promise<void> {
  await drizzle(db).delete(loginAttempts).where(eq(loginAttempts.username, username));
}
