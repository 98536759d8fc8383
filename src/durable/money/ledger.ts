import type { TransferKind } from "../../shared/transfer-kinds";
import { MAX_MONEY } from "../auction-terms";
import { type AccountName, userAccount, WALLET_ACCOUNTS, type WalletAccount } from "./accounts";

export { MAX_MONEY, type TransferKind };

/**
 * One user's figures in one currency. `held` is the sum of that user's active holds;
 * `pendingPayout` is sale proceeds not yet released. All are integers in the minor unit.
 */
export interface Balance {
  userId: string;
  currency: string;
  available: number;
  held: number;
  pendingPayout: number;
}

/** An immutable move of `amount` from `debit` to `credit`; `id` is its idempotency key. */
export interface Transfer {
  id: string;
  kind: TransferKind;
  debit: AccountName;
  credit: AccountName;
  amount: number;
  currency: string;
  auctionId: string | null;
  holdId: string | null;
}

/** One transfer's effect on one of the owner's accounts: `amount` is signed, `balanceAfter` that account's figure after it. */
export interface Entry {
  transferId: string;
  currency: string;
  account: WalletAccount;
  amount: number;
  balanceAfter: number;
}

/**
 * The most one user may own in one currency across their accounts: beyond it a JavaScript
 * number stops counting every unit.
 */
export const BALANCE_LIMIT = Number.MAX_SAFE_INTEGER;

export function emptyBalance(userId: string, currency: string): Balance {
  return { userId, currency, available: 0, held: 0, pendingPayout: 0 };
}

/** A transfer amount: a whole number of minor units, 1 to MAX_MONEY. */
export function isMoney(amount: number): boolean {
  return Number.isInteger(amount) && amount >= 1 && amount <= MAX_MONEY;
}

export function totalOf(balance: Balance): number {
  return balance.available + balance.held + balance.pendingPayout;
}

/** Which of the user's accounts in `currency` a ledger name is, if any. */
export function ownerAccount(userId: string, currency: string, name: AccountName): WalletAccount | null {
  return WALLET_ACCOUNTS.find((account) => userAccount(userId, currency, account) === name) ?? null;
}

/**
 * Applies transfers, in order, to the owner's balance: the figures after, and one entry per owner
 * account each transfer touches (debit side first). The rules check funds before calling this, so
 * a figure going negative here is a bug in the rules, not a refusal.
 */
export function applyTransfers(
  balance: Balance,
  transfers: readonly Transfer[],
): { balance: Balance; entries: Entry[] } {
  let figures = balance;
  const entries: Entry[] = [];
  for (const transfer of transfers) {
    if (transfer.currency !== balance.currency)
      throw new Error(`money: transfer ${transfer.id} is not in ${balance.currency}`);
    const legs: [AccountName, number][] = [
      [transfer.debit, -transfer.amount],
      [transfer.credit, transfer.amount],
    ];
    let touched = false;
    for (const [name, amount] of legs) {
      const account = ownerAccount(balance.userId, balance.currency, name);
      if (account === null) continue;
      touched = true;
      const after = figures[account] + amount;
      if (after < 0) throw new Error(`money: transfer ${transfer.id} takes ${account} below zero`);
      figures = { ...figures, [account]: after };
      entries.push({
        transferId: transfer.id,
        currency: balance.currency,
        account,
        amount,
        balanceAfter: after,
      });
    }
    if (!touched)
      throw new Error(`money: transfer ${transfer.id} touches none of ${balance.userId}'s accounts`);
  }
  return { balance: figures, entries };
}

export type HoldPurpose = "bid" | "buy_now" | "second_chance" | "withdrawal";
export type HoldStatus = "active" | "posted" | "voided" | "expired";

/**
 * A pending transfer available → held (TigerBeetle's two-phase transfer). It keeps its id while it
 * is raised or lowered; `version` grows with every change so a later instruction can name the
 * state it was decided on. It resolves exactly once: posted, voided or expired. `amount` is what
 * was held when it last changed (a posted hold's payment is in its `post:` transfer).
 * Times are epoch milliseconds.
 */
export interface Hold {
  id: string;
  purpose: HoldPurpose;
  /** Null only for withdrawals. */
  auctionId: string | null;
  currency: string;
  amount: number;
  status: HoldStatus;
  version: number;
  createdAt: number;
  updatedAt: number;
  /** Null: never expires (withdrawals wait for an admin). Fixed when the hold is created. */
  expiresAt: number | null;
}
