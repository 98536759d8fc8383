import type { AuctionEventDraft } from "../../queue/events";
import { type BidFunds, checkBid, refusalDetail } from "../bidding/check-bid";
import type { IdempotentReplies } from "../kit/idempotent-replies";
import { shedIfLate } from "../kit/load-shedding";
import type { OutboxStorage } from "../kit/outbox-storage";
import { boughtNow } from "./buy-now";
import type { RoomCommits } from "./commits";
import { adopted, asEventHold, bidFunds, type ReservedHold, unadopted } from "./funds";
import { closedEvent } from "./lifecycle";
import { acceptBid, bidEvents, bidReply } from "./place-bid";
import type { RoomReads } from "./reads";
import {
  type BuyNowReply,
  type BuyNowRequest,
  type FundedReply,
  fail,
  type HoldTooSmall,
  type PlaceBidRequest,
  type StoredReply,
} from "./results";
import type { AuctionState } from "./state";
import type { RoomStorage } from "./storage";
import type { RoomTime } from "./time";
import { bidAuctionOf, handleOf } from "./view";

export interface RoomBidsParts {
  store: RoomStorage;
  replies: IdempotentReplies;
  commits: RoomCommits;
  reads: RoomReads;
  time: RoomTime;
  outboxStorage: OutboxStorage;
  /** BIDS_REQUIRE_FUNDS: bids and buy-now must come with a hold the worker reserved. */
  fundsRequired: boolean;
  /** What a user must keep held on this auction (funds.ts's rule, and accepted offers). */
  requirement: (state: AuctionState | null, userId: string) => number;
}

/**
 * The room's bids and buy-nows (SPEC §5, and §8's funds to bid): each call sheds what waited too
 * long, replays a kept reply, runs the pure checks, and commits state, history, reply and events
 * in one transaction with no await in between; it says what the caller's hold may come down to.
 */
export class RoomBids {
  private readonly store: RoomStorage;
  private readonly replies: IdempotentReplies;
  private readonly commits: RoomCommits;
  private readonly reads: RoomReads;
  private readonly time: RoomTime;
  private readonly outboxStorage: OutboxStorage;
  private readonly fundsRequired: boolean;
  private readonly requirement: RoomBidsParts["requirement"];
  /** Accepted-bid timestamps per user for the rate limit; losing them on eviction is harmless. */
  private readonly recentBids = new Map<string, number[]>();

  constructor(parts: RoomBidsParts) {
    ({
      store: this.store,
      replies: this.replies,
      commits: this.commits,
      reads: this.reads,
      time: this.time,
      outboxStorage: this.outboxStorage,
      fundsRequired: this.fundsRequired,
      requirement: this.requirement,
    } = parts);
  }

  /**
   * Places a bid (SPEC §5). checkBid runs the spec's checks in order (with funds required, last,
   * that the worker's hold covers it); the state change, the history rows, the idempotent reply
   * and the events commit in one transaction before the reply.
   */
  place(request: PlaceBidRequest, now: number): FundedReply {
    const { bidderId, hold } = request;
    const replyKey = request.idempotencyKey === null ? null : `bid:${bidderId}:${request.idempotencyKey}`;
    const started = this.beginKeyed(request.sentAt, replyKey, request.requestHash, now);
    if ("reply" in started) return this.notAdopted(started.reply, bidderId, hold);
    const { state } = started;

    const recent = (this.recentBids.get(bidderId) ?? []).filter((t) => t > now - 1000);
    const decision = checkBid(
      state && bidAuctionOf(state),
      { bidderId, amount: request.amount, maxAmount: request.maxAmount },
      recent,
      now,
      this.fundsOf(bidderId, hold),
    );
    if (!decision.ok) {
      const detail = refusalDetail(decision, state?.currency ?? "");
      if (decision.code === "HOLD_TOO_SMALL") {
        const { needed } = decision;
        return this.notAdopted(
          { ok: false, code: "HOLD_TOO_SMALL", needed, currency: state?.currency ?? "", detail },
          bidderId,
          hold,
        );
      }
      const retry = decision.code === "RATE_LIMITED" ? { retryAfterSeconds: decision.retryAfterSeconds } : {};
      return this.notAdopted(fail(decision.code, detail, retry), bidderId, hold);
    }
    if (!state) throw new Error("unreachable: checkBid accepted a bid on no auction");
    const bid = acceptBid(state, decision, bidderId, now);
    recent.push(now);
    this.recentBids.set(bidderId, recent);

    return this.store.transaction(() => {
      this.store.handleNumber(bidderId, now);
      const added = this.store.insertHistory(decision.resolution.entries, now);
      const ownSeq = added.findLast((row) => row.bidderId === bidderId)?.seq ?? null;
      const stored: StoredReply = { ok: true, body: JSON.stringify(bidReply(bid, ownSeq, now)) };
      if (replyKey) this.replies.save(replyKey, request.requestHash, JSON.stringify(stored), now);
      const drafts = bidEvents(
        bid,
        handleOf(this.store.handleNumber(bid.leaderId, now)),
        added.map((row) => ({ bidderId: row.bidderId, handle: handleOf(row.handleNo), amount: row.amount })),
      );
      return this.commitAdopting(bid.next, drafts, now, stored, bidderId, hold);
    });
  }

  /** Buy-now: while open and the price is below the buy-now price, closes at once, sold to the caller. */
  buyNow(request: BuyNowRequest, now: number): FundedReply {
    const { buyerId, hold } = request;
    const replyKey = request.idempotencyKey === null ? null : `buy:${buyerId}:${request.idempotencyKey}`;
    const started = this.beginKeyed(request.sentAt, replyKey, request.requestHash, now);
    if ("reply" in started) return this.notAdopted(started.reply, buyerId, hold);
    const sale = boughtNow(started.state, buyerId, now, this.fundsOf(buyerId, hold));
    if (!sale.ok) return this.notAdopted(sale, buyerId, hold);
    return this.store.transaction(() => {
      const winnerHandle = handleOf(this.store.handleNumber(buyerId, now));
      const body: BuyNowReply = {
        price: sale.next.currentPrice,
        auction: this.reads.view(sale.next, buyerId, now),
      };
      const stored: StoredReply = { ok: true, body: JSON.stringify(body) };
      if (replyKey) this.replies.save(replyKey, request.requestHash, JSON.stringify(stored), now);
      const closed = closedEvent(sale.close, winnerHandle, this.store.bidderIds());
      return this.commitAdopting(sale.next, [closed], now, stored, buyerId, hold);
    });
  }

  /**
   * A wallet asks what `userId` must still hold here: about reservations it has waited on too long
   * (`upTo`: a crash between reserve and bid), which from now on count as settled so no bid can
   * adopt them, or (null) about a hold it has not heard of for a while. The answer is as of the
   * latest event.
   */
  releaseReservations(userId: string, upTo: number | null, now: number): { seq: number; keep: number } {
    const state = this.time.advanceClock(now);
    if (upTo !== null) this.store.transaction(() => this.store.settleReservations(userId, upTo));
    return { seq: this.outboxStorage.latestSeq(), keep: this.requirement(state, userId) };
  }

  /** The caller's money as the checks see it, or null when this deployment bids without funds. */
  fundsOf(userId: string, hold: ReservedHold | null | undefined): BidFunds | null {
    return this.fundsRequired ? bidFunds(hold, this.store.settledUpTo(userId)) : null;
  }

  /**
   * Commits a bid or sale that adopted the caller's hold (inside store.transaction): their
   * reservation counts as settled, and when they may now hold less than they reserved, both the
   * worker (in the reply) and the broker (in the event) are told.
   */
  private commitAdopting(
    next: AuctionState,
    drafts: AuctionEventDraft[],
    now: number,
    stored: StoredReply,
    userId: string,
    hold: ReservedHold | null | undefined,
  ): FundedReply {
    if (!hold) {
      this.commits.published(this.commits.commit(next, drafts, now));
      return stored;
    }
    this.store.settleReservations(userId, hold.reservation);
    const lastSeq = this.outboxStorage.nextSeq() + drafts.length - 1;
    const own = adopted(next.id, hold, this.requirement(next, userId), lastSeq);
    const events = this.commits.commit(next, drafts, now, own ? [asEventHold(userId, own)] : []);
    this.commits.published(events);
    return own ? { ...stored, hold: own } : stored;
  }

  /** A reply that did not adopt the caller's hold: tells the worker that reservation is settled. */
  notAdopted(
    reply: StoredReply | HoldTooSmall,
    userId: string,
    hold: ReservedHold | null | undefined,
  ): FundedReply {
    const state = this.store.loadState();
    if (!hold || !state) return reply;
    const keep = this.requirement(state, userId);
    const seq = this.outboxStorage.latestSeq();
    return { ...reply, hold: unadopted(state.id, hold, keep, seq, this.store.settledUpTo(userId)) };
  }

  /**
   * The start of a bid or buy-now: shed it when it waited too long in the queue, apply what time
   * changes, replay the reply kept under its Idempotency-Key. `reply` when it is answered already.
   */
  private beginKeyed(
    sentAt: number | undefined,
    replyKey: string | null,
    requestHash: string,
    now: number,
  ): { reply: StoredReply } | { state: AuctionState | null } {
    // Queueing delay is physical time, not the (test-controllable) business clock.
    const overloaded = shedIfLate(sentAt, Date.now());
    if (overloaded) return { reply: overloaded };
    const state = this.time.advanceClock(now);
    if (replyKey === null) return { state };
    const prior = this.replies.find(replyKey, requestHash);
    if (prior === null) return { state };
    // A stored reply was written by replies.save from a StoredReply value.
    return { reply: "code" in prior ? prior : (JSON.parse(prior.reply) as StoredReply) };
  }
}
