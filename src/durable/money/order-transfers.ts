import { credit, creditPending, releasePending, reversePending } from "./balances";
import type { Hold } from "./hold";
import { postHold } from "./holds";
import type { Balance, Transfer } from "./ledger";
import type { HoldResult, MoneyResult } from "./results";

/** An order's transfer as the room fixed it (durable/orders/money.ts): about one auction, no hold of its own. */
export type OrderSideTransfer = Transfer & { auctionId: string };

/**
 * A user's side of an order's transfer (SPEC §8), given their balance and their active hold on
 * the auction: the buyer's payment posts the hold into escrow (the rest released), the seller's
 * pending payout is credited, released or reversed, the buyer's refund credited. A refusal
 * (no hold to pay from, not enough pending) means an earlier step has not arrived yet: the caller
 * tries again later.
 */
export function orderTransferSide(
  balance: Balance,
  hold: Hold | null,
  transfer: OrderSideTransfer,
  now: number,
): MoneyResult | HoldResult | { ok: false; code: "NO_HOLD" } {
  const { id: transferId, amount, auctionId } = transfer;
  switch (transfer.kind) {
    case "payment":
      return hold
        ? postHold(balance, hold, { amount, now, paymentId: transferId })
        : { ok: false, code: "NO_HOLD" };
    case "payout_pending":
      return creditPending(balance, { transferId, amount, auctionId });
    case "payout_release":
      return releasePending(balance, { transferId, amount, auctionId });
    case "payout_reversal":
      return reversePending(balance, { transferId, amount, auctionId });
    case "refund":
      return credit(balance, { transferId, kind: "refund", amount, auctionId });
    default:
      throw new Error(`money: ${transfer.kind} is not a user's side of an order`);
  }
}
