import { and, desc, eq, lt, notExists, type SQL, sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { drizzle } from "drizzle-orm/d1";
import { auditLog, users } from "../schema";

/** What admins do, as `<target type>.<verb>`. */
export type AuditAction =
  | "user.suspend"
  | "user.unsuspend"
  | "auction.cancel"
  | "wallet.adjust"
  | "withdrawal.complete"
  | "withdrawal.reject"
  | "order.resolve";

export interface AuditEntry {
  actorId: string;
  action: AuditAction;
  reason: string;
  now: number;
}

/**
 * The audit half of an admin action on a user, for the same `db.batch` as the change: one row
 * for the user matched by `target` (none when it matches nobody). Written as INSERT … SELECT so
 * the change and its row are decided by the same condition inside one transaction; `detail` is a
 * JSON expression read from that user's row (and may read what the change is about to alter).
 */
export function auditUserAction(orm: DrizzleD1Database, entry: AuditEntry, target: SQL, detail: SQL) {
  return orm
    .insert(auditLog)
    .select(
      orm
        .select({
          // NULL into an INTEGER PRIMARY KEY: SQLite assigns the next id.
          id: sql<number>`null`.as("id"),
          actorId: sql<string>`${entry.actorId}`.as("actor_id"),
          action: sql<string>`${entry.action}`.as("action"),
          targetType: sql<string>`'user'`.as("target_type"),
          targetId: users.id,
          reason: sql<string>`${entry.reason}`.as("reason"),
          detail: sql<string>`${detail}`.as("detail"),
          createdAt: sql<number>`${entry.now}`.as("created_at"),
          // The change shares this row's transaction, so no retry can write it twice: no key.
          dedupeKey: sql<string | null>`null`.as("dedupe_key"),
        })
        .from(users)
        .where(target),
    )
    .returning({ id: auditLog.id });
}

/**
 * The audit row of an administrator's cancellation of an auction, written after the room answered
 * (D1 cannot share a transaction with a Durable Object). An auction is cancelled at most once, so
 * (`auction.cancel`, auction id) identifies the row: the INSERT … WHERE NOT EXISTS is one atomic
 * statement, and a retried request writes the row only if the first attempt lost it.
 * @returns whether this call wrote it.
 */
export async function auditAuctionCancel(
  db: D1Database,
  entry: { actorId: string; auctionId: string; reason: string; detail: Record<string, unknown>; at: number },
): Promise<boolean> {
  const orm = drizzle(db);
  const action: AuditAction = "auction.cancel";
  const written = await orm
    .insert(auditLog)
    .select(
      orm
        .select({
          id: sql<number>`null`.as("id"),
          actorId: sql<string>`${entry.actorId}`.as("actor_id"),
          action: sql<string>`${action}`.as("action"),
          targetType: sql<string>`'auction'`.as("target_type"),
          targetId: sql<string>`${entry.auctionId}`.as("target_id"),
          reason: sql<string>`${entry.reason}`.as("reason"),
          detail: sql<string>`${JSON.stringify(entry.detail)}`.as("detail"),
          createdAt: sql<number>`${entry.at}`.as("created_at"),
          // The same key the money actions use, so the unique index backs the NOT EXISTS.
          dedupeKey: sql<string>`${`${action}:${entry.auctionId}`}`.as("dedupe_key"),
        })
        .from(sql`(SELECT 1)`)
        .where(
          notExists(
            orm
              .select({ one: sql`1` })
              .from(auditLog)
              .where(
                and(
                  eq(auditLog.action, action),
                  eq(auditLog.targetType, "auction"),
                  eq(auditLog.targetId, entry.auctionId),
                ),
              ),
          ),
        ),
    )
    .returning({ id: auditLog.id });
  return written.length === 1;
}

/**
 * The audit row of an admin action whose change another object (a Wallet) made and confirmed.
 * It cannot share a D1 transaction with that change, so it is written after it, keyed: a retry of
 * the same action (after a failure between the change and this row) writes no second row.
 */
export async function appendKeyedAudit(
  db: D1Database,
  entry: AuditEntry & {
    target: { type: "user" | "withdrawal" | "auction"; id: string };
    detail: Record<string, unknown>;
    dedupeKey: string;
  },
): Promise<void> {
  await drizzle(db)
    .insert(auditLog)
    .values({
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.target.type,
      targetId: entry.target.id,
      reason: entry.reason,
      detail: JSON.stringify(entry.detail),
      createdAt: entry.now,
      dedupeKey: entry.dedupeKey,
    })
    .onConflictDoNothing();
}

/** Audit rows newest first (the order they were appended), before the row `beforeId`. */
export async function listAuditLog(db: D1Database, options: { beforeId: number | null; limit: number }) {
  return drizzle(db)
    .select({
      id: auditLog.id,
      actorId: auditLog.actorId,
      // Actors are never deleted; the left join only keeps a row readable if one ever were.
      actorUsername: users.username,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      reason: auditLog.reason,
      detail: auditLog.detail,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(options.beforeId === null ? undefined : lt(auditLog.id, options.beforeId))
    .orderBy(desc(auditLog.id))
    .limit(options.limit)
    .all();
}
