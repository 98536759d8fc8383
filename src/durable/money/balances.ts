import { type AccountName, escrowAccount, externalAccount, userAccount } from "./accounts";
import {
  applyTransfers,
  BALANCE_LIMIT,
  type Balance,
  isMoney,
  type Transfer,
  type TransferKind,
  totalOf,
} from "./ledger";
import type { MoneyResult } from "./results";

/**
 * Money entering available: a top-up or a positive adjustment from `external:<cur>`, or a refund
 * from the auction's escrow.
 */
export type CreditRequest =
  | { transferId: string; kind: "top_up" | "adjustment"; amount: number }
  | { transferId: string; kind: "refund"; amount: number; auctionId: string };

/** Money leaving available for `external:<cur>`: a negative admin adjustment. */
export interface DebitRequest {
  transferId: string;
  kind: "adjustment";
  amount: number;
}

/** A move between pendingPayout and the auction's escrow or available (the orders' payouts). */
export interface PendingRequest {
  transferId: string;
  amount: number;
  auctionId: string;
}

function transfer(
  balance: Balance,
  id: string,
  kind: TransferKind,
  debit: AccountName,
  credit: AccountName,
  amount: number,
  auctionId: string | null,
): Transfer {
  return { id, kind, debit, credit, amount, currency: balance.currency, auctionId, holdId: null };
}

function applied(balance: Balance, moved: Transfer): MoneyResult {
  const after = applyTransfers(balance, [moved]);
  return {
    ok: true,
    effect: "applied",
    balance: after.balance,
    holds: [],
    transfers: [moved],
    entries: after.entries,
  };
}

/** Money in, past nothing but the balance limit. */
export function credit(balance: Balance, request: CreditRequest): MoneyResult {
  if (!isMoney(request.amount)) return { ok: false, code: "INVALID_AMOUNT", amount: request.amount };
  if (totalOf(balance) + request.amount > BALANCE_LIMIT)
    return { ok: false, code: "BALANCE_LIMIT", limit: BALANCE_LIMIT };
  const from =
    request.kind === "refund" ? escrowAccount(request.auctionId) : externalAccount(balance.currency);
  const auctionId = request.kind === "refund" ? request.auctionId : null;
  const to = userAccount(balance.userId, balance.currency, "available");
  return applied(
    balance,
    transfer(balance, request.transferId, request.kind, from, to, request.amount, auctionId),
  );
}

/** Money out of available; never below zero (held money is not available). */
export function debit(balance: Balance, request: DebitRequest): MoneyResult {
  if (!isMoney(request.amount)) return { ok: false, code: "INVALID_AMOUNT", amount: request.amount };
  if (balance.available < request.amount) {
    return { ok: false, code: "INSUFFICIENT_FUNDS", available: balance.available, needed: request.amount };
  }
  const from = userAccount(balance.userId, balance.currency, "available");
  return applied(
    balance,
    transfer(
      balance,
      request.transferId,
      request.kind,
      from,
      externalAccount(balance.currency),
      request.amount,
      null,
    ),
  );
}

/** A sale's proceeds, escrow → pendingPayout, shown to the seller until the order completes. */
export function creditPending(balance: Balance, request: PendingRequest): MoneyResult {
  if (!isMoney(request.amount)) return { ok: false, code: "INVALID_AMOUNT", amount: request.amount };
  if (totalOf(balance) + request.amount > BALANCE_LIMIT)
    return { ok: false, code: "BALANCE_LIMIT", limit: BALANCE_LIMIT };
  const to = userAccount(balance.userId, balance.currency, "pendingPayout");
  const from = escrowAccount(request.auctionId);
  return applied(
    balance,
    transfer(balance, request.transferId, "payout_pending", from, to, request.amount, request.auctionId),
  );
}

function fromPending(
  balance: Balance,
  request: PendingRequest,
  kind: TransferKind,
  to: AccountName,
): MoneyResult {
  if (!isMoney(request.amount)) return { ok: false, code: "INVALID_AMOUNT", amount: request.amount };
  if (balance.pendingPayout < request.amount) {
    return {
      ok: false,
      code: "INSUFFICIENT_PENDING",
      pendingPayout: balance.pendingPayout,
      needed: request.amount,
    };
  }
  const from = userAccount(balance.userId, balance.currency, "pendingPayout");
  return applied(
    balance,
    transfer(balance, request.transferId, kind, from, to, request.amount, request.auctionId),
  );
}

/** The order completed: pendingPayout → available. */
export function releasePending(balance: Balance, request: PendingRequest): MoneyResult {
  return fromPending(
    balance,
    request,
    "payout_release",
    userAccount(balance.userId, balance.currency, "available"),
  );
}

/** The order was refunded after the seller was credited: pendingPayout → the auction's escrow. */
export function reversePending(balance: Balance, request: PendingRequest): MoneyResult {
  return fromPending(balance, request, "payout_reversal", escrowAccount(request.auctionId));
}
