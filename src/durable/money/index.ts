/**
 * The money rules (SPEC §8): a double-entry ledger with two-phase holds, as pure functions of the
 * state they are given. The Wallet object loads a currency's balance row and the holds concerned,
 * calls one of these inside its storage transaction, checks the returned transfers against its
 * unique table (`classifyReplay`) and writes what came back.
 */
export {
  type AccountName,
  escrowAccount,
  externalAccount,
  feesAccount,
  userAccount,
  userAccountPrefix,
  WALLET_ACCOUNTS,
  type WalletAccount,
} from "./accounts";
export {
  type CreditRequest,
  credit,
  creditPending,
  type DebitRequest,
  debit,
  type PendingRequest,
  releasePending,
  reversePending,
} from "./balances";
export { effectiveBalance, effectiveHolds, expireDueHolds, expireHold, nextExpiry } from "./expiry";
export { type Hold, type HoldPurpose, type HoldStatus, isOverdue } from "./hold";
export {
  type PostRequest,
  postHold,
  type ReserveRequest,
  reserveHold,
  type SettleRequest,
  settleHold,
} from "./holds";
export { checkWallet, type Problem, type ProblemRule, type WalletState } from "./invariants";
export {
  BALANCE_LIMIT,
  type Balance,
  type Entry,
  emptyBalance,
  isMoney,
  MAX_MONEY,
  type Transfer,
  type TransferKind,
} from "./ledger";
export { type OrderSideTransfer, orderTransferSide } from "./order-transfers";
export type { Change, Effect, HoldChange, HoldResult, MoneyResult, Refusal, RefusalCode } from "./results";
export { type Following, followRoom, type RoomInstruction, type RoomWord } from "./room-instructions";
export { classifyReplay, type Replay, sameTransfer, transferIds } from "./transfer-ids";
export { completeWithdrawal, rejectWithdrawal, requestWithdrawal } from "./withdrawals";
