import type { AuctionEventDraft, HoldInstruction, ORDER_EVENT_TYPES } from "../../queue/events";
import type { AlarmScheduler } from "../kit/alarm-scheduler";
import type { Outbox } from "../kit/outbox";
import type { OutboxRow } from "../kit/outbox-storage";
import type { Sockets } from "../kit/sockets";
import type { MoneyMove } from "../orders/money";
import type { Order, OrderTerms } from "../orders/order";
import { openOrder } from "../orders/transitions";
import { broadcastEvents } from "./broadcast";
import { eventRows, parseEvent } from "./events";
import { frameSourceOf } from "./frames";
import { loweredHolds } from "./funds";
import { LIFECYCLE_HANDLERS, lifecycleChanges, lifecycleSchedules } from "./lifecycle";
import type { RoomSocket } from "./live";
import type { OrderStorage } from "./order-storage";
import type { RoomReads } from "./reads";
import type { AuctionState } from "./state";
import type { RoomStorage } from "./storage";

type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

export interface RoomCommitsParts {
  ctx: DurableObjectState;
  store: RoomStorage;
  orders: OrderStorage;
  orderTerms: OrderTerms;
  scheduler: AlarmScheduler;
  outbox: Outbox;
  sockets: Sockets<RoomSocket>;
  reads: RoomReads;
  clock: () => number;
}

/**
 * The room's one way to change its auction: in one storage transaction, the new state, the
 * lifecycle schedules it moves and its events in the outbox; after the commit, the events go to
 * the room's sockets (after the reply) and to the queue, and the alarm is made to fire in time.
 */
export class RoomCommits {
  constructor(private readonly parts: RoomCommitsParts) {}

  /**
   * Saves the state, moves its schedules, appends its events; call inside store.transaction. The
   * events tell the wallets of everyone the change lets hold less (funds.ts), plus `ownHolds`:
   * what the caller decided about the bidder's own hold.
   */
  commit(
    state: AuctionState,
    drafts: readonly AuctionEventDraft[],
    now: number,
    ownHolds: readonly HoldInstruction[] = [],
  ): OutboxRow[] {
    const { store, outbox, reads } = this.parts;
    const before = store.loadState();
    for (const [handler, dueAt] of lifecycleChanges(before, state)) this.schedule(handler, dueAt);
    const holds = [...loweredHolds(before, state, (userId) => store.settledUpTo(userId)), ...ownHolds];
    store.saveState(state);
    const all = [...drafts, ...this.openOrderIfSold(before, state, now)];
    const rows = eventRows(state, all, outbox.storage.nextSeq(), now, reads.catalog(state, now), holds);
    outbox.append(rows, now);
    return rows;
  }

  /**
   * The sale's order, opened paid in the commit that sold the item (a close or a buy-now): the
   * room records its side of the money, and `order.paid` carries the wallets' sides.
   */
  private openOrderIfSold(
    before: AuctionState | null,
    after: AuctionState,
    now: number,
  ): AuctionEventDraft[] {
    const { orders, orderTerms } = this.parts;
    const sold = after.status === "closed" && after.outcome === "sold" && after.winnerId !== null;
    if (!sold || before?.status === "closed" || after.winnerId === null || orders.current() !== null)
      return [];
    const sale = {
      id: after.id,
      auctionId: after.id,
      buyerId: after.winnerId,
      sellerId: after.sellerId,
      currency: after.currency,
      price: after.currentPrice,
    };
    const { order, money } = openOrder(sale, orderTerms, now);
    return [this.orderChanged("order.paid", order, money, now)];
  }

  /** Saves an order's new state and the room's side of its money; the event that tells the rest. */
  orderChanged(
    type: OrderEventType,
    order: Order,
    money: readonly MoneyMove[],
    now: number,
  ): AuctionEventDraft {
    this.parts.orders.save(order);
    this.parts.orders.record(
      money.map((m) => m.transfer),
      now,
    );
    return { type, order, money: [...money] };
  }

  /** The seq the next appended event gets (an adopted hold's word is as of its change's last event). */
  nextSeq(): number {
    return this.parts.outbox.storage.nextSeq();
  }

  /** One change in its own transaction, then published. */
  commitAndPublish(state: AuctionState, drafts: readonly AuctionEventDraft[], now: number): void {
    this.published(this.parts.store.transaction(() => this.commit(state, drafts, now)));
  }

  /** After a commit: broadcast and publish without delaying the reply; make sure the alarm will retry. */
  published(events: OutboxRow[]): void {
    if (events.length === 0) return;
    const { ctx, scheduler, outbox } = this.parts;
    this.broadcast(events);
    ctx.waitUntil(scheduler.wake());
    ctx.waitUntil(outbox.publish());
  }

  /** Writes every lifecycle schedule from the state (the alarm's repair; commits write only changes). */
  scheduleLifecycle(state: AuctionState | null): void {
    const due = lifecycleSchedules(state);
    for (const name of LIFECYCLE_HANDLERS) this.schedule(name, due[name]);
  }

  private schedule(handler: string, dueAt: number | null): void {
    if (dueAt === null) this.parts.scheduler.cancel(handler);
    else this.parts.scheduler.set(handler, dueAt);
  }

  /**
   * Pushes committed events to the room's sockets after the reply has gone out (a timer, not
   * inline), so watchers never delay a bidder.
   */
  private broadcast(rows: OutboxRow[]): void {
    const { sockets, store, reads, clock } = this.parts;
    if (sockets.all().length === 0) return;
    setTimeout(() => {
      const now = clock();
      const state = store.loadState();
      if (!state) return;
      const room = frameSourceOf(state, (viewer) => reads.view(state, viewer, now));
      broadcastEvents(sockets, rows.map(parseEvent), now, room);
    }, 0);
  }
}
