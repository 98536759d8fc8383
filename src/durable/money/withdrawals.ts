import type { Hold } from "./hold";
import { postHold, reserveHold, settleHold } from "./holds";
import type { Balance } from "./ledger";
import type { HoldResult } from "./results";

/**
 * A withdrawal is a hold with no auction and no expiry: requesting it takes the money out of
 * available at once (so it cannot also be bid with), an admin's completion posts it to external,
 * a rejection voids it.
 */
export function requestWithdrawal(
  balance: Balance,
  request: { withdrawalId: string; amount: number; now: number },
): HoldResult {
  return reserveHold(balance, null, {
    reservationId: request.withdrawalId,
    purpose: "withdrawal",
    auctionId: null,
    atLeast: request.amount,
    now: request.now,
    expiresAt: null,
  });
}

function assertWithdrawal(hold: Hold): void {
  if (hold.purpose !== "withdrawal")
    throw new Error(`money: hold ${hold.id} is a ${hold.purpose} hold, not a withdrawal`);
}

export function completeWithdrawal(balance: Balance, hold: Hold, request: { now: number }): HoldResult {
  assertWithdrawal(hold);
  return postHold(balance, hold, { amount: hold.amount, now: request.now });
}

export function rejectWithdrawal(balance: Balance, hold: Hold, request: { now: number }): HoldResult {
  assertWithdrawal(hold);
  return settleHold(balance, hold, { keep: 0, version: null, now: request.now });
}
