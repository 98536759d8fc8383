import type { HistoryRow, LiveAuction, RoomFrame } from "../../shared/live-frames";
import { type Standing, standingOf } from "../../shared/standing";
import { clockOffset } from "./countdown";

/**
 * The auction page's live state as a pure reducer over the room's frames (SPEC §6). Each frame's
 * `seq` orders it: a frame at or below the last seen one is a replay after a reconnect and is
 * dropped, so nothing is counted twice; a snapshot replaces the state as a whole. Where the viewer
 * stands follows the rule the server-rendered page uses (src/shared/standing.ts).
 */

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
  /** The viewer has bid here: the page said so, they led, or their own bid went through. */
  viewerHasBid: boolean;
  winnerIsYou: boolean;
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

/**
 * What the page must do besides rendering: add a bid's rows to the history (newest first), read the
 * history again (when the frame's rows are not all that changed), tell the viewer they lost the lead.
 */
export type RoomEffect = { prepend: HistoryRow[] } | "history" | "outbid";

export interface RoomStep {
  state: RoomState;
  effects: RoomEffect[];
}

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

/** The state with its standing worked out again from the facts it holds. */
function withStanding(state: Omit<RoomState, "standing">): RoomState {
  const standing = standingOf({
    status: state.status,
    outcome: state.result?.kind === "sold" ? "sold" : state.result?.kind === "unsold" ? "unsold" : null,
    leaderIsYou: state.leaderIsYou,
    winnerIsYou: state.winnerIsYou,
    viewerHasBid: state.viewerHasBid,
  });
  return { ...state, standing };
}

/**
 * The state the page starts from: the auction as the server read it, `seq` the room's seq then
 * (null when unknown), `viewerHasBid` whether the page knew the viewer had bid.
 */
export function roomFromAuction(
  auction: LiveAuction,
  seq: number | null,
  viewerId: string | null,
  clientNow: number,
  viewerHasBid = false,
): RoomState {
  return withStanding({
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
    viewerHasBid: viewerHasBid || auction.leaderIsYou,
    winnerIsYou: viewerId !== null && auction.winnerId === viewerId,
    minimumNextBid: auction.minimumNextBid,
    reserveMet: auction.reserveMet,
    buyNowPrice: auction.buyNowPrice,
    buyNowAvailable: buyNowAvailable(auction.status, auction.currentPrice, auction.buyNowPrice),
    endsAt: Date.parse(auction.endsAt),
    extended: auction.extendedCount > 0,
    result: resultOf(auction),
  });
}

/** The viewer's own bid went through (the bid form's reply): from now on they are a bidder here. */
export function viewerBid(state: RoomState): RoomState {
  return state.viewerHasBid ? state : withStanding({ ...state, viewerHasBid: true });
}

function effectsOf(before: RoomState, after: RoomState, history: RoomEffect | null): RoomEffect[] {
  const effects: RoomEffect[] = history ? [history] : [];
  if (before.standing === "leading" && after.standing === "outbid") effects.push("outbid");
  return effects;
}

/**
 * A bid frame's rows are the history's news only when they account for the whole move of the bid
 * count; otherwise (a frame missed in between, an older event without rows) the page reads it again.
 */
function historyEffect(state: RoomState, frame: Extract<RoomFrame, { type: "bid" }>): RoomEffect {
  const rows = frame.history;
  return rows && rows.length === frame.bidCount - state.bidCount ? { prepend: rows } : "history";
}

/** The state after one frame; `clientNow` is the browser's clock when it arrived. */
export function applyFrame(state: RoomState, frame: RoomFrame, clientNow: number): RoomStep {
  const seen = state.seq;
  const stale =
    frame.type === "snapshot" ? seen !== null && frame.seq < seen : seen !== null && frame.seq <= seen;
  if (stale) return { state, effects: [] };
  const offsetMs = clockOffset(frame.serverTime, clientNow);
  const base = { ...state, seq: frame.seq, offsetMs };

  let next: RoomState;
  switch (frame.type) {
    case "snapshot":
      next = {
        ...roomFromAuction(frame.auction, frame.seq, state.viewerId, clientNow, state.viewerHasBid),
        offsetMs,
      };
      return {
        state: next,
        effects: effectsOf(state, next, next.bidCount !== state.bidCount ? "history" : null),
      };
    case "bid":
      next = withStanding({
        ...base,
        price: frame.price,
        bidCount: frame.bidCount,
        leader: frame.leader.handle,
        leaderIsYou: frame.leaderIsYou,
        viewerHasBid: state.viewerHasBid || frame.leaderIsYou,
        minimumNextBid: frame.minimumNextBid,
        reserveMet: frame.reserveMet,
        buyNowAvailable: buyNowAvailable(state.status, frame.price, state.buyNowPrice),
        endsAt: Date.parse(frame.endsAt),
        extended: state.extended || frame.extended,
      });
      return { state: next, effects: effectsOf(state, next, historyEffect(state, frame)) };
    case "closed":
      next = withStanding({
        ...base,
        status: "closed",
        price: frame.finalPrice ?? state.price,
        winnerIsYou: frame.winnerIsYou,
        buyNowAvailable: false,
        result:
          frame.outcome === "sold"
            ? { kind: "sold", winner: frame.winner?.handle ?? null, price: frame.finalPrice ?? state.price }
            : { kind: "unsold" },
      });
      return { state: next, effects: [] };
    case "cancelled":
      next = withStanding({
        ...base,
        status: "cancelled",
        buyNowAvailable: false,
        result: { kind: "cancelled" },
      });
      return { state: next, effects: [] };
  }
}
