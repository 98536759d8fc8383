import type { Problem, TransferKind, WalletAccount } from "../money";

/** A money movement in one currency, as the API and the Wallet's callers see it. */
export interface MoneyRequest {
  amount: number;
  currency: string;
}

export interface TopUpRequest extends MoneyRequest {
  topUpId: string;
}

export interface BalanceView {
  currency: string;
  available: number;
  held: number;
  pendingPayout: number;
}

export interface HoldView {
  id: string;
  auctionId: string | null;
  amount: number;
  createdAt: number;
}

export interface WalletSummary {
  balances: BalanceView[];
  holds: HoldView[];
}

export interface EntryView {
  id: string;
  transferId: string;
  kind: TransferKind;
  account: WalletAccount;
  /** Signed: what the entry added to (or took from) `account`. */
  amount: number;
  currency: string;
  auctionId: string | null;
  balanceAfter: number;
  createdAt: number;
}

export interface EntryPage {
  items: EntryView[];
  /** The `seq` to pass for the next (older) page, or null at the end. */
  nextCursor: number | null;
}

/**
 * The worker's reservation for a bid, a buy-now or a second-chance acceptance (SPEC §8): hold at
 * least `atLeast` for the auction.
 */
export interface BidReservationRequest {
  auctionId: string;
  currency: string;
  atLeast: number;
  purpose: "bid" | "buy_now" | "second_chance";
}

/** A reservation made: its number on the auction and the user's hold there afterwards. */
export type Reserved = { ok: true; reservation: number; holdAmount: number; available: number };

/** `applied` false: the same instruction was applied before (a replay); nothing was written. */
export type Done = { ok: true; applied: boolean; balance: BalanceView };

export type WithdrawalStatus = "requested" | "completed" | "rejected";
export type WithdrawalDone = {
  ok: true;
  applied: boolean;
  status: WithdrawalStatus;
  amount: number;
  currency: string;
};

export type WalletRefusal =
  | { ok: false; code: "INSUFFICIENT_FUNDS"; available: number; needed: number }
  | { ok: false; code: "INVALID_AMOUNT"; amount: number }
  | { ok: false; code: "BALANCE_LIMIT"; limit: number }
  | { ok: false; code: "TRANSFER_CONFLICT"; transferId: string }
  | { ok: false; code: "TOP_UP_STATE"; status: "succeeded" | "failed" }
  | { ok: false; code: "WITHDRAWAL_NOT_FOUND" }
  | { ok: false; code: "WITHDRAWAL_STATE"; status: WithdrawalStatus };

export type { Problem };
