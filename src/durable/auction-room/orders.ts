import type { AlarmScheduler } from "../kit/alarm-scheduler";
import type { OutboxRow } from "../kit/outbox-storage";
import {
  type Order,
  type OrderRole,
  type OrderTerms,
  orderFor,
  roleOf,
  type Shipment,
} from "../orders/order";
import {
  autoConfirm,
  autoConfirmAt,
  cancelBySeller,
  confirm,
  dispute,
  type OrderChange,
  resolveDispute,
  ship,
} from "../orders/transitions";
import type { RoomCommits } from "./commits";
import type { OrderStorage } from "./order-storage";
import { fail, type RoomResult } from "./results";
import type { RoomStorage } from "./storage";

/** What a party asks of an order (SPEC §8). */
export type OrderAction =
  | { kind: "ship"; shipment: Shipment }
  | { kind: "confirm" }
  | { kind: "dispute"; reason: string }
  | { kind: "cancel" }
  | { kind: "resolve"; outcome: "refund" | "release"; reason: string };

export interface OrderRequest {
  userId: string;
  isAdmin: boolean;
  action: OrderAction;
}

/** An order as the API shows it to its buyer, its seller or an administrator. */
export interface OrderView {
  /** The auction's id for the sale at the hammer; `<auctionId>.<n>` for a second-chance sale. */
  id: string;
  auctionId: string;
  secondChance: boolean;
  status: Order["status"];
  currency: string;
  price: number;
  fee: number;
  payout: number;
  buyerId: string;
  sellerId: string;
  yourRole: Exclude<OrderRole, "other">;
  paidAt: string;
  shipBy: string;
  shippedAt: string | null;
  shipment: Shipment | null;
  autoConfirmAt: string | null;
  completedAt: string | null;
  disputedAt: string | null;
  disputeReason: string | null;
  refundedAt: string | null;
  resolution: Order["resolution"];
}

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export const AUTO_CONFIRM = "order.auto-confirm";

const EVENT_OF = {
  shipped: "order.shipped",
  completed: "order.completed",
  disputed: "order.disputed",
  refunded: "order.refunded",
} as const;

/**
 * The room's orders: reads for the parties, their actions, and the alarm's auto-confirm. Each
 * transition (durable/orders/transitions.ts) commits with its event in one transaction; the
 * event carries the money for the wallets.
 */
export class RoomOrders {
  constructor(
    private readonly parts: {
      store: RoomStorage;
      orders: OrderStorage;
      commits: RoomCommits;
      scheduler: AlarmScheduler;
      terms: OrderTerms;
    },
  ) {}

  view(viewerId: string, isAdmin: boolean): RoomResult<{ order: OrderView }> {
    const order = orderFor(this.parts.orders.all(), viewerId, isAdmin);
    const role = order ? roleOf(order, viewerId, isAdmin) : "other";
    if (!order || role === "other") return fail("ORDER_NOT_FOUND", "This auction has no order of yours.");
    return { ok: true, order: this.viewOf(order, role) };
  }

  act(request: OrderRequest, now: number): RoomResult<{ order: OrderView }> {
    const order = orderFor(this.parts.orders.all(), request.userId, request.isAdmin);
    const role = order ? roleOf(order, request.userId, request.isAdmin) : "other";
    if (!order || role === "other") return fail("ORDER_NOT_FOUND", "This auction has no order of yours.");
    const change = this.decide(order, role, request.action, now);
    if (!change.ok) return fail(change.code, change.detail);
    this.commit(change, now);
    return { ok: true, order: this.viewOf(change.next, role) };
  }

  /** What this auction's escrow holds by the room's own record (for the ledger check). */
  escrowBalance(): number {
    const state = this.parts.store.loadState();
    return state ? this.parts.orders.escrowBalance(state.id) : 0;
  }

  /** The alarm's turn: completes a shipped order whose time has come (once: the status guards it). */
  autoConfirm(now: number): void {
    const order = this.parts.orders.current();
    const change = order ? autoConfirm(order, this.parts.terms, now) : null;
    if (change?.ok) this.commit(change, now);
  }

  /** The alarm's repair (inside its transaction): the order's schedule derived again. */
  repairSchedule(): void {
    this.schedule(this.parts.orders.current());
  }

  /** Where the order's alarm should be: at its auto-confirm while shipped, nowhere otherwise. */
  private schedule(order: Order | null): void {
    const at = order ? autoConfirmAt(order, this.parts.terms) : null;
    if (at === null) this.parts.scheduler.cancel(AUTO_CONFIRM);
    else this.parts.scheduler.set(AUTO_CONFIRM, at);
  }

  private decide(order: Order, role: OrderRole, action: OrderAction, now: number): OrderChange {
    switch (action.kind) {
      case "ship":
        return ship(order, role, action.shipment, now);
      case "confirm":
        return confirm(order, role, now);
      case "dispute":
        return dispute(order, role, action.reason, this.parts.terms, now);
      case "cancel":
        return cancelBySeller(order, role, now);
      case "resolve":
        return resolveDispute(order, role, action.outcome, now);
    }
  }

  private commit(change: Extract<OrderChange, { ok: true }>, now: number): void {
    const { store, commits } = this.parts;
    const state = store.loadState();
    if (!state) throw new Error("unreachable: an order without its auction");
    const { next, money } = change;
    if (next.status === "paid") throw new Error("unreachable: no transition leads back to paid");
    const type = EVENT_OF[next.status];
    const events: OutboxRow[] = store.transaction(() => {
      const draft = commits.orderChanged(type, next, money, now);
      this.schedule(next);
      return commits.commit(state, [draft], now);
    });
    commits.published(events);
  }

  /** The order as `role` sees it. */
  viewOf(order: Order, role: Exclude<OrderRole, "other">): OrderView {
    return {
      id: order.id,
      auctionId: order.auctionId,
      secondChance: order.id !== order.auctionId,
      status: order.status,
      currency: order.currency,
      price: order.price,
      fee: order.fee,
      payout: order.price - order.fee,
      buyerId: order.buyerId,
      sellerId: order.sellerId,
      yourRole: role,
      paidAt: new Date(order.paidAt).toISOString(),
      shipBy: new Date(order.paidAt + this.parts.terms.shipDeadlineMs).toISOString(),
      shippedAt: iso(order.shippedAt),
      shipment: order.shipment,
      autoConfirmAt: iso(autoConfirmAt(order, this.parts.terms)),
      completedAt: iso(order.completedAt),
      disputedAt: iso(order.disputedAt),
      disputeReason: order.disputeReason,
      refundedAt: iso(order.refundedAt),
      resolution: order.resolution,
    };
  }
}
