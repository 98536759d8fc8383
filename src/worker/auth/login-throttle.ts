import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { loginAttempts } from "../../db/schema";

/** Failures allowed within the window before the username is locked. */
export const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60 * 1000;
const FIRST_LOCK_MS = 60 * 1000;
const MAX_LOCK_MS = 15 * 60 * 1000;

/** Milliseconds until the username may try again, or 0 when it may try now. */
export async function lockedForMs(db: D1Database, username: string, now: number): Promise<number> {
  const row = await drizzle(db)
    .select()
    .from(loginAttempts)
    .where(eq(loginAttempts.username, username))
    .get();
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil - now : 0;
}

/**
 * Counts a failed login. From the MAX_FAILURES-th failure in the window the username is locked,
 * the lock doubling with each further failure (1 min … 15 min), which makes online guessing slow
 * without locking the real owner out for long.
 */
export async function recordFailure(db: D1Database, username: string, now: number): Promise<void> {
  const orm = drizzle(db);
  const row = await orm.select().from(loginAttempts).where(eq(loginAttempts.username, username)).get();
  const fresh = !row || now - row.windowStartedAt > WINDOW_MS;
  const failures = fresh ? 1 : row.failures + 1;
  const windowStartedAt = fresh ? now : row.windowStartedAt;
  const lockedUntil =
    failures >= MAX_FAILURES
      ? now + Math.min(FIRST_LOCK_MS * 2 ** (failures - MAX_FAILURES), MAX_LOCK_MS)
      : null;
  await orm
    .insert(loginAttempts)
    .values({ username, failures, windowStartedAt, lockedUntil })
    .onConflictDoUpdate({ target: loginAttempts.username, set: { failures, windowStartedAt, lockedUntil } });
}

export async function clearFailures(db: D1Database, username: string): Promise<void> {
  await drizzle(db).delete(loginAttempts).where(eq(loginAttempts.username, username));
}
