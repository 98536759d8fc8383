import { escrowAccount, externalAccount } from "./accounts";
import {
  assertHoldOf,
  expireOverdue,
  type Hold,
  type HoldPurpose,
  holdTransfer,
  isOverdue,
  moved,
  ownAccount,
  untouched,
} from "./hold";
import { type Balance, isMoney, type Transfer } from "./ledger";
import type { HoldChange, HoldResult } from "./results";
import { assertSafeId, transferIds } from "./transfer-ids";

/**
 * "Make sure I hold at least `atLeast` for this": a bid's commitment, a buy-now price, a withdrawal.
 * `reservationId` names this instruction; it becomes the id of a hold it creates, and the
 * reservation's transfer is `reserve:<reservationId>` whether it creates or raises.
 */
export interface ReserveRequest {
  reservationId: string;
  purpose: HoldPurpose;
  /** Required for an auction's holds (bid, buy_now, second_chance), null for withdrawals. */
  auctionId: string | null;
  atLeast: number;
  now: number;
  expiresAt: number | null;
}

export interface SettleRequest {
  /** What stays held: 0 voids the hold. */
  keep: number;
  /** The hold version this instruction was decided on; null applies to whatever is current. */
  version: number | null;
  now: number;
}

export interface PostRequest {
  /** Paid out of the hold; the rest returns to available. */
  amount: number;
  now: number;
  /**
   * The payment's transfer id when the other side fixed it (an order's `order:<id>:pay`, which
   * the room records in escrow too); by default `post:<holdId>`.
   */
  paymentId?: string;
}

function checkRequest(request: ReserveRequest, existing: Hold | null): void {
  assertSafeId(request.reservationId);
  if ((request.purpose === "withdrawal") !== (request.auctionId === null)) {
    throw new Error("money: withdrawal holds have no auction; bid and buy_now holds have one");
  }
  if (existing && request.purpose === "withdrawal")
    throw new Error("money: a withdrawal always gets its own hold");
  if (existing && existing.auctionId !== request.auctionId) {
    throw new Error(
      `money: hold ${existing.id} belongs to auction ${existing.auctionId}, not ${request.auctionId}`,
    );
  }
}

function create(balance: Balance, request: ReserveRequest): HoldResult {
  if (balance.available < request.atLeast) {
    return { ok: false, code: "INSUFFICIENT_FUNDS", available: balance.available, needed: request.atLeast };
  }
  const hold: Hold = {
    id: request.reservationId,
    purpose: request.purpose,
    auctionId: request.auctionId,
    currency: balance.currency,
    amount: request.atLeast,
    status: "active",
    version: 1,
    createdAt: request.now,
    updatedAt: request.now,
    expiresAt: request.expiresAt,
  };
  const reserve = holdTransfer(
    hold,
    transferIds.reserve(request.reservationId),
    "hold",
    ownAccount(balance, "available"),
    ownAccount(balance, "held"),
    request.atLeast,
  );
  return moved(balance, hold, [reserve]);
}

function afterExpiry(expiry: HoldChange, next: HoldResult): HoldResult {
  if (!next.ok) return next;
  return {
    ...next,
    holds: [...expiry.holds, ...next.holds],
    transfers: [...expiry.transfers, ...next.transfers],
    entries: [...expiry.entries, ...next.entries],
  };
}

/**
 * Holds at least `atLeast` for (this user, `request.auctionId`), given the user's one active hold
 * there (or null): creates a hold, leaves a covering one alone, or raises a smaller one by the
 * difference. Funds are checked against available only; an overdue hold expires first.
 */
export function reserveHold(balance: Balance, existing: Hold | null, request: ReserveRequest): HoldResult {
  const prior = existing?.status === "active" ? existing : null;
  checkRequest(request, prior);
  if (!isMoney(request.atLeast)) return { ok: false, code: "INVALID_AMOUNT", amount: request.atLeast };
  if (prior === null) return create(balance, request);
  assertHoldOf(balance, prior);
  if (isOverdue(prior, request.now)) {
    const expiry = expireOverdue(balance, prior, request.now);
    return afterExpiry(expiry, create(expiry.balance, request));
  }
  if (prior.amount >= request.atLeast) return untouched(balance, prior, "unchanged");
  const difference = request.atLeast - prior.amount;
  if (balance.available < difference) {
    return { ok: false, code: "INSUFFICIENT_FUNDS", available: balance.available, needed: difference };
  }
  const raised: Hold = {
    ...prior,
    amount: request.atLeast,
    version: prior.version + 1,
    updatedAt: request.now,
  };
  const raise = holdTransfer(
    raised,
    transferIds.reserve(request.reservationId),
    "hold_raise",
    ownAccount(balance, "available"),
    ownAccount(balance, "held"),
    difference,
  );
  return moved(balance, raised, [raise]);
}

/**
 * Lowers an active hold to `keep`, returning the difference to available; `keep` = 0 voids it.
 * An instruction for an older version does nothing, so it can never undo a newer raise.
 */
export function settleHold(balance: Balance, hold: Hold, request: SettleRequest): HoldResult {
  assertHoldOf(balance, hold);
  if (hold.status !== "active") return untouched(balance, hold, "already_resolved");
  if (isOverdue(hold, request.now)) return expireOverdue(balance, hold, request.now);
  if (request.version !== null && request.version !== hold.version)
    return untouched(balance, hold, "stale_version");
  const { keep } = request;
  if (!Number.isInteger(keep) || keep < 0) return { ok: false, code: "INVALID_AMOUNT", amount: keep };
  if (keep > hold.amount) return { ok: false, code: "EXCEEDS_HOLD", held: hold.amount, requested: keep };
  if (keep === hold.amount) return untouched(balance, hold, "unchanged");
  const next: Hold = { ...hold, version: hold.version + 1, updatedAt: request.now };
  const [held, available] = [ownAccount(balance, "held"), ownAccount(balance, "available")];
  if (keep === 0) {
    const voided: Hold = { ...next, status: "voided" };
    return moved(balance, voided, [
      holdTransfer(hold, transferIds.void(hold.id), "hold_void", held, available, hold.amount),
    ]);
  }
  const lowered: Hold = { ...next, amount: keep };
  const release = holdTransfer(
    hold,
    transferIds.settle(hold.id, hold.version),
    "hold_release",
    held,
    available,
    hold.amount - keep,
  );
  return moved(balance, lowered, [release]);
}

/**
 * Pays `amount` out of an active hold — a bid or buy-now hold into the auction's escrow, a
 * withdrawal to external — and returns the rest to available. The hold is then posted.
 */
export function postHold(balance: Balance, hold: Hold, request: PostRequest): HoldResult {
  assertHoldOf(balance, hold);
  if (hold.status !== "active") return untouched(balance, hold, "already_resolved");
  if (isOverdue(hold, request.now)) return expireOverdue(balance, hold, request.now);
  if (!isMoney(request.amount)) return { ok: false, code: "INVALID_AMOUNT", amount: request.amount };
  if (request.amount > hold.amount) {
    return { ok: false, code: "EXCEEDS_HOLD", held: hold.amount, requested: request.amount };
  }
  const held = ownAccount(balance, "held");
  const payment: Transfer =
    hold.auctionId === null
      ? holdTransfer(
          hold,
          transferIds.post(hold.id),
          "withdrawal",
          held,
          externalAccount(hold.currency),
          request.amount,
        )
      : holdTransfer(
          hold,
          request.paymentId ?? transferIds.post(hold.id),
          "payment",
          held,
          escrowAccount(hold.auctionId),
          request.amount,
        );
  const rest = hold.amount - request.amount;
  const transfers =
    rest === 0
      ? [payment]
      : [
          payment,
          holdTransfer(
            hold,
            transferIds.postRest(hold.id),
            "hold_release",
            held,
            ownAccount(balance, "available"),
            rest,
          ),
        ];
  const posted: Hold = { ...hold, status: "posted", version: hold.version + 1, updatedAt: request.now };
  return moved(balance, posted, transfers);
}
