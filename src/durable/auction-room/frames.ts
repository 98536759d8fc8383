import type { AuctionEvent } from "../../queue/events";
import type { AuctionView } from "./view";

/**
 * Frames the auction room pushes to its sockets (SPEC §6). Every frame has the event's `seq`
 * (for `?since=` replay) and `serverTime` (send time, for the client's countdown).
 */
export type RoomFrame =
  | { type: "snapshot"; seq: number; serverTime: string; auction: AuctionView }
  | {
      type: "bid";
      seq: number;
      serverTime: string;
      price: number;
      bidCount: number;
      leader: { handle: string };
      leaderIsYou: boolean;
      endsAt: string;
      extended: boolean;
    }
  | {
      type: "closed";
      seq: number;
      serverTime: string;
      outcome: "sold" | "unsold";
      endedBy: "time" | "buy_now";
      finalPrice: number | null;
      winner: { handle: string } | null;
      winnerIsYou: boolean;
    }
  | { type: "cancelled"; seq: number; serverTime: string };

/**
 * The frame an event becomes for one viewer, or null for events sockets do not need
 * (created, ending_soon, extended — a bid frame already carries the new endsAt).
 * `snapshotFor` builds a fresh snapshot for events that change the auction as a whole.
 */
export function frameFor(
  event: AuctionEvent,
  viewerId: string | null,
  now: number,
  snapshotFor: (viewerId: string | null) => AuctionView,
): RoomFrame | null {
  const serverTime = new Date(now).toISOString();
  switch (event.type) {
    case "bid.placed":
      return {
        type: "bid",
        seq: event.seq,
        serverTime,
        price: event.price,
        bidCount: event.catalog.bidCount,
        leader: { handle: event.leaderHandle },
        leaderIsYou: viewerId !== null && viewerId === event.leaderId,
        endsAt: new Date(event.endsAt).toISOString(),
        extended: event.extended,
      };
    case "auction.closed":
      return {
        type: "closed",
        seq: event.seq,
        serverTime,
        outcome: event.outcome,
        endedBy: event.endedBy,
        finalPrice: event.finalPrice,
        winner: event.winnerHandle ? { handle: event.winnerHandle } : null,
        winnerIsYou: viewerId !== null && viewerId === event.winnerId,
      };
    case "auction.cancelled":
      return { type: "cancelled", seq: event.seq, serverTime };
    case "auction.opened":
    case "auction.updated":
      return { type: "snapshot", seq: event.seq, serverTime, auction: snapshotFor(viewerId) };
    default:
      return null;
  }
}
