import { type AccountName, userAccount } from "./accounts";
import { applyTransfers, type Balance, type Hold, type Transfer, type TransferKind } from "./ledger";
import type { Effect, HoldChange } from "./results";

export type { Hold, HoldPurpose, HoldStatus } from "./ledger";

import { transferIds } from "./transfer-ids";

/** Past its expiry while still active: every reader and writer treats it as expired. */
export function isOverdue(hold: Hold, now: number): boolean {
  return hold.status === "active" && hold.expiresAt !== null && now >= hold.expiresAt;
}

export function assertHoldOf(balance: Balance, hold: Hold): void {
  if (hold.currency !== balance.currency) {
    throw new Error(`money: hold ${hold.id} is in ${hold.currency}, the balance in ${balance.currency}`);
  }
}

export function ownAccount(balance: Balance, account: "available" | "held"): AccountName {
  return userAccount(balance.userId, balance.currency, account);
}

export function holdTransfer(
  hold: Hold,
  id: string,
  kind: TransferKind,
  debit: AccountName,
  credit: AccountName,
  amount: number,
): Transfer {
  return {
    id,
    kind,
    debit,
    credit,
    amount,
    currency: hold.currency,
    auctionId: hold.auctionId,
    holdId: hold.id,
  };
}

/** The hold as it becomes, and the transfers that get it there, applied to the balance. */
export function moved(
  balance: Balance,
  hold: Hold,
  transfers: Transfer[],
  effect: Effect = "applied",
): HoldChange {
  const after = applyTransfers(balance, transfers);
  return { ok: true, effect, balance: after.balance, hold, holds: [hold], transfers, entries: after.entries };
}

/** Nothing to write; `effect` says why. */
export function untouched(balance: Balance, hold: Hold, effect: Effect): HoldChange {
  return { ok: true, effect, balance, hold, holds: [], transfers: [], entries: [] };
}

/** Releases an overdue hold in full; callers check `isOverdue` first. */
export function expireOverdue(balance: Balance, hold: Hold, now: number): HoldChange {
  const expired: Hold = { ...hold, status: "expired", version: hold.version + 1, updatedAt: now };
  const release = holdTransfer(
    hold,
    transferIds.expire(hold.id),
    "hold_expire",
    ownAccount(balance, "held"),
    ownAccount(balance, "available"),
    hold.amount,
  );
  return moved(balance, expired, [release], "expired");
}
