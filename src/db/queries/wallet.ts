import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type Keyset, pastKeyset } from "../keyset";
import { paymentEvents, topUps, withdrawals } from "../schema";

export type TopUpRow = typeof topUps.$inferSelect;
export type WithdrawalRow = typeof withdrawals.$inferSelect;

export async function findTopUp(db: D1Database, id: string): Promise<TopUpRow | undefined> {
  return drizzle(db).select().from(topUps).where(eq(topUps.id, id)).get();
}

export async function findTopUpByKey(db: D1Database, userId: string, key: string) {
  return drizzle(db)
    .select()
    .from(topUps)
    .where(and(eq(topUps.userId, userId), eq(topUps.idempotencyKey, key)))
    .get();
}

/** Inserts a pending top-up; false when the (user, key) pair was taken by a concurrent request. */
export async function insertTopUp(db: D1Database, row: TopUpRow): Promise<boolean> {
  const inserted = await drizzle(db)
    .insert(topUps)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: topUps.id });
  return inserted.length === 1;
}

export async function paymentEventSeen(db: D1Database, id: string): Promise<boolean> {
  const row = await drizzle(db)
    .select({ id: paymentEvents.id })
    .from(paymentEvents)
    .where(eq(paymentEvents.id, id))
    .get();
  return row !== undefined;
}

/**
 * Records the provider's event and the top-up's outcome together. The status only leaves
 * `pending` (the Wallet already decided the outcome once; this is its projection).
 */
export async function recordPayment(
  db: D1Database,
  event: { id: string; topUpId: string; type: string },
  status: "succeeded" | "failed",
  now: number,
): Promise<void> {
  const orm = drizzle(db);
  await orm.batch([
    orm
      .update(topUps)
      .set({ status, decidedAt: now })
      .where(and(eq(topUps.id, event.topUpId), eq(topUps.status, "pending"))),
    orm
      .insert(paymentEvents)
      .values({ id: event.id, topUpId: event.topUpId, type: event.type, receivedAt: now })
      .onConflictDoNothing(),
  ]);
}

export type WithdrawalStatus = WithdrawalRow["status"];

export async function findWithdrawal(db: D1Database, id: string): Promise<WithdrawalRow | undefined> {
  return drizzle(db).select().from(withdrawals).where(eq(withdrawals.id, id)).get();
}

/** Withdrawals newest first, optionally of one status, after the keyset `after`. */
export async function listWithdrawals(
  db: D1Database,
  options: { status: WithdrawalStatus | undefined; after: Keyset | null; limit: number },
): Promise<WithdrawalRow[]> {
  return drizzle(db)
    .select()
    .from(withdrawals)
    .where(
      and(
        options.status ? eq(withdrawals.status, options.status) : undefined,
        options.after ? pastKeyset(withdrawals.createdAt, withdrawals.id, options.after, "desc") : undefined,
      ),
    )
    .orderBy(desc(withdrawals.createdAt), desc(withdrawals.id))
    .limit(options.limit)
    .all();
}

/**
 * Projects the Wallet's outcome: the status only leaves `requested` (the Wallet decided it once),
 * so a repeat keeps the first resolution time. Returns the row as it now is.
 */
export async function recordWithdrawalOutcome(
  db: D1Database,
  id: string,
  status: "completed" | "rejected",
  now: number,
): Promise<WithdrawalRow | undefined> {
  const orm = drizzle(db);
  await orm
    .update(withdrawals)
    .set({ status, resolvedAt: now })
    .where(and(eq(withdrawals.id, id), eq(withdrawals.status, "requested")));
  return findWithdrawal(db, id);
}
