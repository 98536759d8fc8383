import { escrowAccount, feesAccount, userAccount } from "../money/accounts";
import type { Transfer, TransferKind } from "../money/ledger";
import type { Order } from "./order";

/**
 * The money of an order (SPEC §8), as transfers with ids fixed by the order, so each is applied
 * once wherever it is delivered from. Escrow (`escrow:<auctionId>`) belongs to the room, which
 * records its side as the order changes; each user account belongs to that user's Wallet, which
 * applies its side when the broker hands it over (`wallet` names it; null: the room alone).
 */
export type OrderTransferKind = Extract<
  TransferKind,
  "payment" | "payout_pending" | "payout_release" | "payout_reversal" | "refund" | "platform_fee"
>;

/** An order's transfer: always about its auction, never a hold's own. */
export type OrderTransfer = Transfer & { kind: OrderTransferKind; auctionId: string; holdId: null };

export interface MoneyMove {
  transfer: OrderTransfer;
  wallet: string | null;
}

export const orderTransferIds = {
  pay: (orderId: string) => `order:${orderId}:pay`,
  pending: (orderId: string) => `order:${orderId}:pending`,
  release: (orderId: string) => `order:${orderId}:release`,
  fee: (orderId: string) => `order:${orderId}:fee`,
  reverse: (orderId: string) => `order:${orderId}:reverse`,
  refund: (orderId: string) => `order:${orderId}:refund`,
} as const;

function move(
  order: Order,
  id: string,
  kind: OrderTransferKind,
  debit: Transfer["debit"],
  credit: Transfer["credit"],
  amount: number,
  wallet: string | null,
): MoneyMove[] {
  if (amount === 0) return [];
  const transfer: OrderTransfer = {
    id,
    kind,
    debit,
    credit,
    amount,
    currency: order.currency,
    auctionId: order.auctionId,
    holdId: null,
  };
  return [{ transfer, wallet }];
}

const payout = (order: Order) => order.price - order.fee;
const buyer = (order: Order, account: "available" | "held") =>
  userAccount(order.buyerId, order.currency, account);
const sellerPending = (order: Order) => userAccount(order.sellerId, order.currency, "pendingPayout");
const sellerAvailable = (order: Order) => userAccount(order.sellerId, order.currency, "available");

/** Paid: the buyer's hold pays the price into escrow; the seller sees price − fee as pending. */
export function paidMoney(order: Order): MoneyMove[] {
  if (!order.funded) return [];
  const escrow = escrowAccount(order.auctionId);
  const ids = orderTransferIds;
  return [
    ...move(order, ids.pay(order.id), "payment", buyer(order, "held"), escrow, order.price, order.buyerId),
    ...move(
      order,
      ids.pending(order.id),
      "payout_pending",
      escrow,
      sellerPending(order),
      payout(order),
      order.sellerId,
    ),
  ];
}

/** Completed: the seller's pending payout becomes available; the fee leaves escrow for the platform. */
export function completedMoney(order: Order): MoneyMove[] {
  if (!order.funded) return [];
  const ids = orderTransferIds;
  return [
    ...move(
      order,
      ids.release(order.id),
      "payout_release",
      sellerPending(order),
      sellerAvailable(order),
      payout(order),
      order.sellerId,
    ),
    ...move(
      order,
      ids.fee(order.id),
      "platform_fee",
      escrowAccount(order.auctionId),
      feesAccount(order.currency),
      order.fee,
      null,
    ),
  ];
}

/** Refunded: the seller's pending payout goes back to escrow, and escrow back to the buyer. */
export function refundedMoney(order: Order): MoneyMove[] {
  if (!order.funded) return [];
  const escrow = escrowAccount(order.auctionId);
  const ids = orderTransferIds;
  return [
    ...move(
      order,
      ids.reverse(order.id),
      "payout_reversal",
      sellerPending(order),
      escrow,
      payout(order),
      order.sellerId,
    ),
    ...move(
      order,
      ids.refund(order.id),
      "refund",
      escrow,
      buyer(order, "available"),
      order.price,
      order.buyerId,
    ),
  ];
}
