import type { LiveAuction, RoomFrame } from "../../shared/live-frames";
import { clockOffset } from "./countdown";

/**
 * The auction page's live state as a pure reducer over the room's frames (SPEC §6). Each frame's
 * `seq` orders it: a frame at or below the last seen one is a replay after a reconnect and is
 * dropped, so nothing is counted twice; a snapshot replaces the state as a whole.
 */

/** Where the viewer stands. Only their own frames tell: a watcher stays at "none". */
export type Standing = "none" | "leading" | "outbid" | "won" | "lost";

export type RoomResult =
  | { kind: "sold"; winner: string | null; price: number }
  | { kind: "unsold" }
  | { kind: "cancelled" }
  | null;

export interface RoomState {
  viewerId: string | null;
  /** The last frame's seq, or null before any (the page did not know the room's seq). */
  seq: number | null;
  /** serverTime − the browser's clock at the last frame: countdowns run on the server's time. */
  offsetMs: number;
  title: string;
  currency: string;
  status: LiveAuction["status"];
  price: number;
  bidCount: number;
  leader: string | null;
  leaderIsYou: boolean;
  minimumNextBid: number;
  reserveMet: boolean;
  buyNowPrice: number | null;
  buyNowAvailable: boolean;
  /** Epoch ms. */
  endsAt: number;
  /** Soft close has moved the end at least once. */
  extended: boolean;
  standing: Standing;
  result: RoomResult;
}

/** What the page must do besides rendering: refresh the bid history, tell the viewer they lost the lead. */
export type RoomEffect = "history" | "outbid";

export interface RoomStep {
  state: RoomState;
  effects: RoomEffect[];
}

const bidder = (standing: Standing) => standing === "leading" || standing === "outbid";

function buyNowAvailable(status: RoomState["status"], price: number, buyNowPrice: number | null): boolean {
  return status === "open" && buyNowPrice !== null && price < buyNowPrice;
}

function resultOf(auction: LiveAuction): RoomResult {
  if (auction.status === "cancelled") return { kind: "cancelled" };
  if (auction.status !== "closed") return null;
  if (auction.outcome === "sold") {
    return { kind: "sold", winner: auction.leader?.handle ?? null, price: auction.currentPrice };
  }
  return { kind: "unsold" };
}

function standingOf(auction: LiveAuction, viewerId: string | null, before: Standing): Standing {
  switch (auction.status) {
    case "cancelled":
      return "none";
    case "closed":
      if (auction.outcome === "sold" && viewerId !== null && auction.winnerId === viewerId) return "won";
      return bidder(before) || before === "lost" ? "lost" : before;
    default:
      if (auction.leaderIsYou) return "leading";
      return bidder(before) ? "outbid" : before;
  }
}

/**
 * The state the page starts from: the auction as the server read it, `seq` the room's seq then
 * (null when unknown), `standing` what the page already knew about the viewer (e.g. outbid).
 */
export function roomFromAuction(
  auction: LiveAuction,
  seq: number | null,
  viewerId: string | null,
  clientNow: number,
  standing: Standing = "none",
): RoomState {
  return {
    viewerId,
    seq,
    offsetMs: clockOffset(auction.serverTime, clientNow),
    title: auction.title,
    currency: auction.currency,
    status: auction.status,
    price: auction.currentPrice,
    bidCount: auction.bidCount,
    leader: auction.leader?.handle ?? null,
    leaderIsYou: auction.leaderIsYou,
    minimumNextBid: auction.minimumNextBid,
    reserveMet: auction.reserveMet,
    buyNowPrice: auction.buyNowPrice,
    buyNowAvailable: buyNowAvailable(auction.status, auction.currentPrice, auction.buyNowPrice),
    endsAt: Date.parse(auction.endsAt),
    extended: auction.extendedCount > 0,
    standing: standingOf(auction, viewerId, standing),
    result: resultOf(auction),
  };
}

function outbidEffect(before: Standing, after: Standing): RoomEffect[] {
  return before === "leading" && after === "outbid" ? ["outbid"] : [];
}

/** The state after one frame; `clientNow` is the browser's clock when it arrived. */
export function applyFrame(state: RoomState, frame: RoomFrame, clientNow: number): RoomStep {
  const seen = state.seq;
  const stale =
    frame.type === "snapshot" ? seen !== null && frame.seq < seen : seen !== null && frame.seq <= seen;
  if (stale) return { state, effects: [] };
  const offsetMs = clockOffset(frame.serverTime, clientNow);

  switch (frame.type) {
    case "snapshot": {
      const next = {
        ...roomFromAuction(frame.auction, frame.seq, state.viewerId, clientNow, state.standing),
        offsetMs,
      };
      const history: RoomEffect[] = next.bidCount === state.bidCount ? [] : ["history"];
      return { state: next, effects: [...history, ...outbidEffect(state.standing, next.standing)] };
    }
    case "bid": {
      const standing: Standing = frame.leaderIsYou
        ? "leading"
        : state.standing === "leading"
          ? "outbid"
          : state.standing;
      const next: RoomState = {
        ...state,
        seq: frame.seq,
        offsetMs,
        price: frame.price,
        bidCount: frame.bidCount,
        leader: frame.leader.handle,
        leaderIsYou: frame.leaderIsYou,
        minimumNextBid: frame.minimumNextBid,
        reserveMet: frame.reserveMet,
        buyNowAvailable: buyNowAvailable(state.status, frame.price, state.buyNowPrice),
        endsAt: Date.parse(frame.endsAt),
        extended: state.extended || frame.extended,
        standing,
      };
      return { state: next, effects: ["history", ...outbidEffect(state.standing, standing)] };
    }
    case "closed": {
      const standing: Standing = frame.winnerIsYou ? "won" : bidder(state.standing) ? "lost" : state.standing;
      const result: RoomResult =
        frame.outcome === "sold"
          ? { kind: "sold", winner: frame.winner?.handle ?? null, price: frame.finalPrice ?? state.price }
          : { kind: "unsold" };
      const next: RoomState = {
        ...state,
        seq: frame.seq,
        offsetMs,
        status: "closed",
        price: frame.finalPrice ?? state.price,
        buyNowAvailable: false,
        standing,
        result,
      };
      return { state: next, effects: [] };
    }
    case "cancelled":
      return {
        state: {
          ...state,
          seq: frame.seq,
          offsetMs,
          status: "cancelled",
          buyNowAvailable: false,
          standing: "none",
          result: { kind: "cancelled" },
        },
        effects: [],
      };
  }
}
