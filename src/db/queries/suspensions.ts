import { and, eq, exists, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sessions, users } from "../schema";
import { auditUserAction } from "./audit-log";

/**
 * All of the conditions. Drizzle's `and` is typed as possibly nothing (undefined), and a target
 * condition that could be nothing would match every user.
 */
const allOf = (...conditions: SQL[]): SQL => sql`(${sql.join(conditions, sql` and `)})`;

export interface SuspensionChange {
  userId: string;
  actorId: string;
  reason: string;
  now: number;
}

/**
 * Suspends a user (never an admin) and ends every session of theirs, with its audit row, in one
 * batch: all of it or none of it. The row's detail records how many live sessions it ended.
 * @returns false when nothing was done: no such user, an admin, or already suspended.
 */
export async function suspendUser(db: D1Database, change: SuspensionChange): Promise<boolean> {
  const orm = drizzle(db);
  const suspendable = allOf(eq(users.id, change.userId), eq(users.role, "user"), isNull(users.suspendedAt));
  const liveSessions = sql`(SELECT COUNT(*) FROM ${sessions} WHERE ${sessions.userId} = ${users.id}
    AND ${sessions.revokedAt} IS NULL AND ${sessions.expiresAt} > ${change.now})`;
  const [audited] = await orm.batch([
    auditUserAction(
      orm,
      { actorId: change.actorId, action: "user.suspend", reason: change.reason, now: change.now },
      suspendable,
      sql`json_object('username', ${users.username}, 'sessionsRevoked', ${liveSessions})`,
    ),
    orm.update(users).set({ suspendedAt: change.now, suspendedReason: change.reason }).where(suspendable),
    // Only once the user is suspended: a refused call (an admin) must not end anyone's sessions.
    orm
      .update(sessions)
      .set({ revokedAt: change.now })
      .where(
        and(
          eq(sessions.userId, change.userId),
          isNull(sessions.revokedAt),
          exists(
            orm
              .select({ one: sql`1` })
              .from(users)
              .where(and(eq(users.id, change.userId), isNotNull(users.suspendedAt))),
          ),
        ),
      ),
  ]);
  return audited.length === 1;
}

/**
 * Lifts a suspension, with its audit row, in one batch. Sessions ended by the suspension stay
 * ended: the user logs in again.
 * @returns false when nothing was done: no such user, or not suspended.
 */
export async function unsuspendUser(db: D1Database, change: SuspensionChange): Promise<boolean> {
  const orm = drizzle(db);
  const suspended = allOf(eq(users.id, change.userId), isNotNull(users.suspendedAt));
  const [audited] = await orm.batch([
    auditUserAction(
      orm,
      { actorId: change.actorId, action: "user.unsuspend", reason: change.reason, now: change.now },
      suspended,
      sql`json_object('username', ${users.username})`,
    ),
    orm.update(users).set({ suspendedAt: null, suspendedReason: null }).where(suspended),
  ]);
  return audited.length === 1;
}
