import type { CatalogSnapshot } from "../../queue/events";
import type { OutboxStorage } from "../kit/outbox-storage";
import { catalogSnapshot } from "./catalog-snapshot";
import type { RoomFrame } from "./frames";
import type { AuctionState } from "./state";
import type { RoomStorage } from "./storage";
import { type AuctionView, auctionView, handleOf } from "./view";

/** How the room shows its auction: the pure views (view.ts) with what storage knows (handles, seq). */
export class RoomReads {
  constructor(
    private readonly store: RoomStorage,
    private readonly events: OutboxStorage,
  ) {}

  /** A bidder's public handle, when they have bid here. */
  handle(userId: string | null): string | null {
    const handleNo = userId === null ? null : this.store.findHandleNumber(userId);
    return handleNo === null ? null : handleOf(handleNo);
  }

  view(state: AuctionState, viewerId: string | null, now: number): AuctionView {
    return auctionView(state, viewerId, this.handle(state.leader?.bidderId ?? null), now);
  }

  /** A snapshot frame at the newest event's seq. */
  snapshotFrame(state: AuctionState, viewerId: string | null, now: number): RoomFrame {
    return {
      type: "snapshot",
      seq: this.events.latestSeq(),
      serverTime: new Date(now).toISOString(),
      auction: this.view(state, viewerId, now),
    };
  }

  catalog(state: AuctionState, now: number): CatalogSnapshot {
    return catalogSnapshot(state, this.view(state, null, now));
  }
}
