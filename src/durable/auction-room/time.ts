import type { OutboxRow } from "../kit/outbox-storage";
import type { RoomCommits } from "./commits";
import { closedEvent, closingAt, endingSoonDue, openingAt } from "./lifecycle";
import type { RoomReads } from "./reads";
import type { AuctionState } from "./state";
import type { RoomStorage } from "./storage";

/**
 * Applies what time alone changes (the pure rules of lifecycle.ts) to the stored auction. The room
 * calls advanceClock on every entry point, so a bid after endsAt is refused even before the alarm
 * has run; the alarm only makes sure it happens on time. Each change is guarded by the stored
 * status, so it happens exactly once however often it is asked for.
 */
export class RoomTime {
  constructor(
    private readonly store: RoomStorage,
    private readonly commits: RoomCommits,
    private readonly reads: RoomReads,
  ) {}

  /** A scheduled auction opens at startsAt, an open one closes at endsAt; the state after that. */
  advanceClock(now: number): AuctionState | null {
    let state = this.store.loadState();
    if (!state) return null;
    const events: OutboxRow[] = [];
    const opened = openingAt(state, now);
    if (opened) {
      const drafts = [{ type: "auction.opened" as const }];
      events.push(...this.store.transaction(() => this.commits.commit(opened, drafts, now)));
      state = opened;
    }
    const closing = closingAt(state, now);
    if (closing) {
      const winnerHandle = this.reads.handle(closing.close.winnerId);
      const event = closedEvent(closing.close, winnerHandle, this.store.bidderIds());
      events.push(...this.store.transaction(() => this.commits.commit(closing.closed, [event], now)));
      state = closing.closed;
    }
    if (events.length > 0) this.commits.published(events);
    return state;
  }

  /** "Ending soon", once, to bidders and watchers (guarded by the stored state). */
  announceEndingSoon(now: number): void {
    const state = this.advanceClock(now);
    if (!state || !endingSoonDue(state, now)) return;
    this.commits.commitAndPublish(
      { ...state, endingSoonSent: true },
      [{ type: "auction.ending_soon", endsAt: state.endsAt, bidderIds: this.store.bidderIds() }],
      now,
    );
  }
}
