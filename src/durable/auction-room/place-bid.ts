import type { AuctionEventDraft, BidHistoryRow } from "../../queue/events";
import { applySoftClose, minimumNextBid, reserveMet } from "../bidding";
import type { BidDecision } from "../bidding/check-bid";
import type { BidReply } from "./results";
import type { AuctionState } from "./state";
import { biddingStateOf, incrementOf } from "./view";

/**
 * What an accepted bid changes, pure: checkBid (bidding/check-bid.ts) decided the bid; this turns
 * its resolution into the auction's next state (soft close included), the bidder's reply and the
 * events. The room only adds what storage knows: history seqs and handles.
 */

export type AcceptedDecision = Extract<BidDecision, { ok: true }>;

export interface AcceptedBid {
  before: AuctionState;
  next: AuctionState;
  decision: AcceptedDecision;
  bidderId: string;
  /** Soft close moved the end. */
  extended: boolean;
  /** Who leads after the bid. */
  leaderId: string;
}

export function acceptBid(
  state: AuctionState,
  decision: AcceptedDecision,
  bidderId: string,
  now: number,
): AcceptedBid {
  const { resolution } = decision;
  const soft = applySoftClose(
    state.endsAt,
    state.softClose,
    now,
    resolution.priceChanged || resolution.leaderChanged,
  );
  const next: AuctionState = {
    ...state,
    currentPrice: resolution.state.currentPrice,
    hasBids: resolution.state.hasBids,
    leader: resolution.state.leader ?? state.leader,
    bidCount: state.bidCount + resolution.entries.length,
    endsAt: soft.endsAt,
    extendedCount: state.extendedCount + (soft.extended ? 1 : 0),
    updatedAt: now,
  };
  return {
    before: state,
    next,
    decision,
    bidderId,
    extended: soft.extended,
    leaderId: next.leader?.bidderId ?? bidderId,
  };
}

/** The reply to the bidder; `ownSeq` = the history seq of their own entry, if it made one. */
export function bidReply(bid: AcceptedBid, ownSeq: number | null, now: number): BidReply {
  const { next, decision } = bid;
  return {
    bid: {
      id: `${next.id}-${ownSeq ?? `r${now}`}`,
      amount: decision.resolution.placedAmount,
      maxAmount: decision.resolution.placedMax,
      kind: decision.kind,
      placedAt: new Date(now).toISOString(),
    },
    result: decision.resolution.result,
    auction: {
      currentPrice: next.currentPrice,
      bidCount: next.bidCount,
      leaderIsYou: bid.leaderId === bid.bidderId,
      minimumNextBid: minimumNextBid(biddingStateOf(next), incrementOf(next)),
      reserveMet: reserveMet(biddingStateOf(next)),
      endsAt: new Date(next.endsAt).toISOString(),
      extended: bid.extended,
    },
  };
}

/**
 * `bid.placed`, and `auction.extended` when soft close moved the end. `added` = the history rows
 * the bid wrote, oldest first (all placed at the event's time).
 */
export function bidEvents(
  bid: AcceptedBid,
  leaderHandle: string,
  added: readonly BidHistoryRow[],
): AuctionEventDraft[] {
  const { before, next } = bid;
  const drafts: AuctionEventDraft[] = [
    {
      type: "bid.placed",
      bidderId: bid.bidderId,
      leaderId: bid.leaderId,
      previousLeaderId: before.leader?.bidderId ?? null,
      price: next.currentPrice,
      result: bid.decision.resolution.result,
      endsAt: next.endsAt,
      extended: bid.extended,
      leaderHandle,
      history: [...added].reverse(),
    },
  ];
  if (bid.extended) {
    drafts.push({ type: "auction.extended", endsAt: next.endsAt, previousEndsAt: before.endsAt });
  }
  return drafts;
}
