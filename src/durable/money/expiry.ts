import { assertHoldOf, expireOverdue, type Hold, isOverdue, untouched } from "./hold";
import type { Balance } from "./ledger";
import type { Change, HoldResult } from "./results";

/**
 * Expiry happens twice, and both agree: readers see an overdue hold as expired at once
 * (`effectiveHolds`, `effectiveBalance`), and the alarm's sweep (`expireDueHolds`) later writes
 * the release. Writers never act on an overdue hold either: settle, post and reserve expire it.
 */

/** Releases an active hold at or past its `expiresAt`; before that, or once resolved, nothing. */
export function expireHold(balance: Balance, hold: Hold, now: number): HoldResult {
  assertHoldOf(balance, hold);
  if (hold.status !== "active") return untouched(balance, hold, "already_resolved");
  if (!isOverdue(hold, now)) return untouched(balance, hold, "not_due");
  return expireOverdue(balance, hold, now);
}

/** The holds as a reader should see them at `now`. */
export function effectiveHolds(holds: readonly Hold[], now: number): Hold[] {
  return holds.map((hold): Hold => (isOverdue(hold, now) ? { ...hold, status: "expired" } : hold));
}

/** The balance as a reader should see it at `now`: overdue holds of its currency count as available. */
export function effectiveBalance(balance: Balance, holds: readonly Hold[], now: number): Balance {
  const overdue = holds
    .filter((hold) => hold.currency === balance.currency && isOverdue(hold, now))
    .reduce((sum, hold) => sum + hold.amount, 0);
  return overdue === 0
    ? balance
    : { ...balance, available: balance.available + overdue, held: balance.held - overdue };
}

/** The alarm's sweep over one currency's holds: expires every overdue one in a single change. */
export function expireDueHolds(balance: Balance, holds: readonly Hold[], now: number): Change {
  const sweep: Change = { ok: true, effect: "unchanged", balance, holds: [], transfers: [], entries: [] };
  for (const hold of holds) {
    if (hold.currency !== balance.currency || !isOverdue(hold, now)) continue;
    const expiry = expireOverdue(sweep.balance, hold, now);
    sweep.effect = "applied";
    sweep.balance = expiry.balance;
    sweep.holds.push(...expiry.holds);
    sweep.transfers.push(...expiry.transfers);
    sweep.entries.push(...expiry.entries);
  }
  return sweep;
}

/** When the alarm should next sweep: the earliest expiry among active holds, or null. */
export function nextExpiry(holds: readonly Hold[]): number | null {
  let next: number | null = null;
  for (const hold of holds) {
    if (hold.status !== "active" || hold.expiresAt === null) continue;
    if (next === null || hold.expiresAt < next) next = hold.expiresAt;
  }
  return next;
}
