/**
 * An order (SPEC §8 "Orders"): what a sale becomes. It lives in the sold auction's room, next to
 * the auction's state, and changes only by the transitions in transitions.ts.
 */

export type OrderStatus = "paid" | "shipped" | "completed" | "disputed" | "refunded";

export interface Shipment {
  carrier: string | null;
  trackingNumber: string | null;
}

export interface Order {
  /** The auction's id for the sale at the hammer; a later sale of the same item gets its own. */
  id: string;
  auctionId: string;
  buyerId: string;
  sellerId: string;
  currency: string;
  /** The final price: what the buyer paid into escrow. */
  price: number;
  /** The platform's fee, kept from the seller's payout. */
  fee: number;
  /**
   * Whether money moves with the order: false where bids need no funds (BIDS_REQUIRE_FUNDS =
   * "false"), so the buyer holds nothing to pay from — the order still runs, settled outside.
   */
  funded: boolean;
  status: OrderStatus;
  /** Epoch ms of each step, null until it happens. */
  paidAt: number;
  shippedAt: number | null;
  completedAt: number | null;
  disputedAt: number | null;
  refundedAt: number | null;
  shipment: Shipment | null;
  disputeReason: string | null;
  /** How it ended: confirmed by the buyer, by time, by an administrator; or refunded by whom. */
  resolution:
    | "buyer_confirmed"
    | "auto_confirmed"
    | "admin_released"
    | "admin_refunded"
    | "seller_cancelled"
    | null;
  updatedAt: number;
}

/** Who is acting on an order, as the room sees the caller. */
export type OrderRole = "buyer" | "seller" | "admin" | "other";

export function roleOf(order: Order, userId: string, isAdmin: boolean): OrderRole {
  if (userId === order.buyerId) return "buyer";
  if (userId === order.sellerId) return "seller";
  return isAdmin ? "admin" : "other";
}

/**
 * Which of the item's orders (oldest first) a user sees and acts on: the latest they are the
 * buyer or the seller of — a buyer whose order was refunded keeps seeing theirs after a
 * second-chance sale opened the next — else, for an administrator, the latest; null for others.
 */
export function orderFor(orders: readonly Order[], userId: string, isAdmin: boolean): Order | null {
  const own = orders.findLast((o) => o.buyerId === userId || o.sellerId === userId);
  return own ?? (isAdmin ? (orders.at(-1) ?? null) : null);
}

/** Order timing (SPEC §8), from the deployment's settings. */
export interface OrderTerms {
  /** After shipping, the order completes by itself this long later (default 7 days). */
  autoConfirmMs: number;
  /** A paid order not shipped by this long after payment may be disputed (default 5 days). */
  shipDeadlineMs: number;
  /** Platform fee in basis points of the price (default 0). */
  feeBps: number;
  /** Bids hold funds (BIDS_REQUIRE_FUNDS), so a sale is paid from the winner's hold. */
  funded: boolean;
}

/** The fee on a price: floor(price × bps / 10,000), so the seller is never charged a rounding up. */
export function feeOf(price: number, feeBps: number): number {
  return Math.floor((price * feeBps) / 10_000);
}
