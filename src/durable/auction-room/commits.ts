import type { AuctionEventDraft, HoldInstruction } from "../../queue/events";
import type { AlarmScheduler } from "../kit/alarm-scheduler";
import type { Outbox } from "../kit/outbox";
import type { OutboxRow } from "../kit/outbox-storage";
import type { Sockets } from "../kit/sockets";
import { broadcastEvents } from "./broadcast";
import { eventRows, parseEvent } from "./events";
import { loweredHolds } from "./funds";
import { LIFECYCLE_HANDLERS, lifecycleChanges, lifecycleSchedules } from "./lifecycle";
import type { RoomSocket } from "./live";
import type { RoomReads } from "./reads";
import type { AuctionState } from "./state";
import type { RoomStorage } from "./storage";

export interface RoomCommitsParts {
  ctx: DurableObjectState;
  store: RoomStorage;
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
    const rows = eventRows(state, drafts, outbox.storage.nextSeq(), now, reads.catalog(state, now), holds);
    outbox.append(rows, now);
    return rows;
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
      broadcastEvents(sockets, rows.map(parseEvent), now, (viewer) => reads.view(state, viewer, now));
    }, 0);
  }
}
