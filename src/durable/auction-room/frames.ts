import type { AuctionEvent } from "../../queue/events";
import { minimumNextBid, reserveMet } from "../bidding";
import { type HistoryRowView, historyRowView } from "./history";
import type { AuctionState } from "./state";
import { type AuctionView, biddingStateOf, incrementOf } from "./view";

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
      /** So a client can set its bid input's minimum without knowing the increment rule. */
      minimumNextBid: number;
      reserveMet: boolean;
      /** The history rows the bid added, newest first, as GET …/bids shows them to this viewer. */
      history?: HistoryRowView[];
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

/** What frames read from the room besides the event itself. */
export interface FrameSource {
  /** The auction as `viewerId` sees it now, for events that change it as a whole. */
  view(viewerId: string | null): AuctionView;
  /** The minimum next bid and the reserve's state right after a bid left the price at `price`. */
  afterBidAt(price: number): { minimumNextBid: number; reserveMet: boolean };
}

/**
 * The room's frame source. Its `afterBidAt` reads today's terms for any bid, replayed ones too:
 * the increment and the reserve cannot change once the auction has a bid (edits.ts).
 */
export function frameSourceOf(
  state: AuctionState,
  view: (viewerId: string | null) => AuctionView,
): FrameSource {
  return {
    view,
    afterBidAt(price) {
      const bidding = { ...biddingStateOf(state), currentPrice: price, hasBids: true };
      return { minimumNextBid: minimumNextBid(bidding, incrementOf(state)), reserveMet: reserveMet(bidding) };
    },
  };
}

/**
 * The frame an event becomes for one viewer, or null for events sockets do not need
 * (created, ending_soon, extended — a bid frame already carries the new endsAt).
 */
export function frameFor(
  event: AuctionEvent,
  viewerId: string | null,
  now: number,
  room: FrameSource,
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
        ...room.afterBidAt(event.price),
        ...(event.history && {
          history: event.history.map((row) =>
            historyRowView({ ...row, placedAt: event.occurredAt }, row.handle, viewerId),
          ),
        }),
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
      return { type: "snapshot", seq: event.seq, serverTime, auction: room.view(viewerId) };
    default:
      return null;
  }
}
