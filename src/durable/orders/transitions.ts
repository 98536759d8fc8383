import { completedMoney, type MoneyMove, paidMoney, refundedMoney } from "./money";
import { feeOf, type Order, type OrderRole, type OrderTerms, type Shipment } from "./order";

/**
 * The order's transitions (SPEC §8), pure: who may do what in which state, and the money each
 * moves. A wrong actor is FORBIDDEN (403), a wrong state ORDER_STATE (409); the room commits an
 * accepted transition with its events in one transaction.
 */

export type OrderRefusal =
  | { ok: false; code: "FORBIDDEN"; detail: string }
  | { ok: false; code: "ORDER_STATE"; detail: string };

export type OrderChange = { ok: true; next: Order; money: MoneyMove[] } | OrderRefusal;

const forbidden = (detail: string): OrderRefusal => ({ ok: false, code: "FORBIDDEN", detail });
const wrongState = (order: Order, action: string): OrderRefusal => ({
  ok: false,
  code: "ORDER_STATE",
  detail: `The order is ${order.status}; it cannot be ${action}.`,
});

/** The sale's order, paid at once from the winner's hold. */
export function openOrder(
  sale: { id: string; auctionId: string; buyerId: string; sellerId: string; currency: string; price: number },
  terms: Pick<OrderTerms, "feeBps" | "funded">,
  now: number,
): { order: Order; money: MoneyMove[] } {
  const order: Order = {
    ...sale,
    fee: feeOf(sale.price, terms.feeBps),
    funded: terms.funded,
    status: "paid",
    paidAt: now,
    shippedAt: null,
    completedAt: null,
    disputedAt: null,
    refundedAt: null,
    shipment: null,
    disputeReason: null,
    resolution: null,
    updatedAt: now,
  };
  return { order, money: paidMoney(order) };
}

export function ship(order: Order, role: OrderRole, shipment: Shipment, now: number): OrderChange {
  if (role !== "seller") return forbidden("Only the seller ships the order.");
  if (order.status !== "paid") return wrongState(order, "shipped");
  return {
    ok: true,
    next: { ...order, status: "shipped", shippedAt: now, shipment, updatedAt: now },
    money: [],
  };
}

function completed(order: Order, resolution: Order["resolution"], now: number): OrderChange {
  const next: Order = { ...order, status: "completed", completedAt: now, resolution, updatedAt: now };
  return { ok: true, next, money: completedMoney(next) };
}

function refunded(order: Order, resolution: Order["resolution"], now: number): OrderChange {
  const next: Order = { ...order, status: "refunded", refundedAt: now, resolution, updatedAt: now };
  return { ok: true, next, money: refundedMoney(next) };
}

/** The buyer has the item: the payout is released to the seller. */
export function confirm(order: Order, role: OrderRole, now: number): OrderChange {
  if (role !== "buyer") return forbidden("Only the buyer confirms receipt.");
  if (order.status !== "shipped") return wrongState(order, "confirmed");
  return completed(order, "buyer_confirmed", now);
}

/** When the order completes by itself (shipped, and the buyer said nothing), or null. */
export function autoConfirmAt(order: Order, terms: Pick<OrderTerms, "autoConfirmMs">): number | null {
  return order.status === "shipped" && order.shippedAt !== null
    ? order.shippedAt + terms.autoConfirmMs
    : null;
}

/** The alarm's turn: completes a shipped order once its time has come; null when not (yet) due. */
export function autoConfirm(
  order: Order,
  terms: Pick<OrderTerms, "autoConfirmMs">,
  now: number,
): OrderChange | null {
  const at = autoConfirmAt(order, terms);
  return at !== null && now >= at ? completed(order, "auto_confirmed", now) : null;
}

/** The buyer disputes: once shipped, or while paid but not shipped past the ship deadline. */
export function dispute(
  order: Order,
  role: OrderRole,
  reason: string,
  terms: Pick<OrderTerms, "shipDeadlineMs">,
  now: number,
): OrderChange {
  if (role !== "buyer") return forbidden("Only the buyer disputes an order.");
  const overdue = order.status === "paid" && now >= order.paidAt + terms.shipDeadlineMs;
  if (order.status !== "shipped" && !overdue) {
    return order.status === "paid"
      ? {
          ok: false,
          code: "ORDER_STATE",
          detail: "A paid order can be disputed once its ship deadline has passed.",
        }
      : wrongState(order, "disputed");
  }
  const next: Order = {
    ...order,
    status: "disputed",
    disputedAt: now,
    disputeReason: reason,
    updatedAt: now,
  };
  return { ok: true, next, money: [] };
}

/** The seller cannot send it after all: before shipping, the buyer is refunded. */
export function cancelBySeller(order: Order, role: OrderRole, now: number): OrderChange {
  if (role !== "seller") return forbidden("Only the seller cancels an order.");
  if (order.status !== "paid") return wrongState(order, "cancelled");
  return refunded(order, "seller_cancelled", now);
}

/** An administrator settles a dispute: refund the buyer, or release the payout to the seller. */
export function resolveDispute(
  order: Order,
  role: OrderRole,
  outcome: "refund" | "release",
  now: number,
): OrderChange {
  if (role !== "admin") return forbidden("Only an administrator resolves disputes.");
  if (order.status !== "disputed") return wrongState(order, "resolved");
  return outcome === "refund"
    ? refunded(order, "admin_refunded", now)
    : completed(order, "admin_released", now);
}
