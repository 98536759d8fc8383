import type { OFFER_EVENT_TYPES } from "../../queue/events";
import { type BidFunds, covers } from "../bidding/check-bid";
import type { AlarmScheduler } from "../kit/alarm-scheduler";
import type { RoomInstruction } from "../money";
import type { Order, OrderTerms } from "../orders/order";
import {
  acceptOffer,
  type Candidate,
  declineOffer,
  expireOffer,
  makeOffer,
  type OfferContext,
  type OfferView,
  offerFor,
  offerView,
  owedOnOffers,
  type SecondChanceOffer,
} from "../orders/second-chance";
import type { RoomCommits } from "./commits";
import { adopted, asEventHold, type ReservedHold } from "./funds";
import type { OfferStorage } from "./offer-storage";
import type { OrderStorage } from "./order-storage";
import type { OrderView } from "./orders";
import { type FundedReply, fail, type HoldTooSmall, type RoomResult, type StoredReply } from "./results";
import type { AuctionState } from "./state";
import type { RoomStorage } from "./storage";

export const EXPIRE_OFFER = "second-chance.expire";

type OfferEventType = (typeof OFFER_EVENT_TYPES)[number];

/** What the bidder's acceptance brings: their user, their hold (funds required) and what covers it. */
export interface AcceptRequest {
  userId: string;
  isAdmin: boolean;
  hold: ReservedHold | null | undefined;
  /** Null when this deployment sells without funds. */
  funds: BidFunds | null;
  /** The answer when the room did not adopt the hold (the worker then releases it). */
  notAdopted: (reply: StoredReply | HoldTooSmall) => FundedReply;
}

const HANDLE = /^b\*\*\*([1-9][0-9]{0,8})$/;
const notFound = () => fail("SECOND_CHANCE_NOT_FOUND", "This auction has no second-chance offer of yours.");
const noAuction = () => fail("AUCTION_NOT_FOUND", "No such auction.");

/**
 * The room's second-chance offers (durable/orders/second-chance.ts): the seller's offer, the
 * bidder's answer, expiry by the alarm. Each step commits the offer with its event in one
 * transaction; an acceptance opens the item's next order (`order.paid`) from the bidder's hold,
 * adopted as a bid's is. Every call first expires an offer whose 48 hours are up.
 */
export class RoomSecondChance {
  constructor(
    private readonly parts: {
      store: RoomStorage;
      orders: OrderStorage;
      offers: OfferStorage;
      commits: RoomCommits;
      scheduler: AlarmScheduler;
      terms: OrderTerms;
      orderView: (order: Order, role: "buyer") => OrderView;
      /** What a user must keep held on this auction (funds.ts, plus what they owe on an offer). */
      requirement: (state: AuctionState, userId: string) => number;
    },
  ) {}

  view(userId: string, isAdmin: boolean, now: number): RoomResult<{ offer: OfferView }> {
    if (!this.parts.store.loadState()) return noAuction();
    this.expireDue(now);
    const seen = offerFor(this.parts.offers.all(), userId, isAdmin);
    return seen ? { ok: true, offer: offerView(seen.offer, seen.role, now) } : notFound();
  }

  offer(sellerId: string, bidderHandle: string, now: number): RoomResult<{ offer: OfferView }> {
    const state = this.parts.store.loadState();
    if (!state) return noAuction();
    this.expireDue(now);
    const made = makeOffer(this.context(state), sellerId, this.candidate(bidderHandle), now);
    if (!made.ok) return fail(made.code, made.detail);
    this.commit(state, made.offer, "second_chance.offered", now);
    return { ok: true, offer: offerView(made.offer, "seller", now) };
  }

  decline(userId: string, isAdmin: boolean, now: number): RoomResult<{ offer: OfferView }> {
    const state = this.parts.store.loadState();
    if (!state) return noAuction();
    this.expireDue(now);
    const seen = offerFor(this.parts.offers.all(), userId, isAdmin);
    if (!seen) return notFound();
    const answer = declineOffer(seen.offer, seen.role, now);
    if (!answer.ok) return fail(answer.code, answer.detail);
    if (!answer.replay) this.commit(state, answer.offer, "second_chance.declined", now);
    return { ok: true, offer: offerView(answer.offer, seen.role, now) };
  }

  /**
   * The bidder accepts: with funds required, their hold must cover the price (else HOLD_TOO_SMALL
   * tells the worker what to reserve); the offer, the new paid order and the adoption of the hold
   * commit together. An offer already accepted answers its order again and adopts nothing.
   */
  accept(request: AcceptRequest, now: number): FundedReply {
    const { store, offers, orders, terms } = this.parts;
    const state = store.loadState();
    if (!state) return request.notAdopted(noAuction());
    this.expireDue(now);
    const seen = offerFor(offers.all(), request.userId, request.isAdmin);
    if (!seen) return request.notAdopted(notFound());
    const all = orders.all();
    const answer = acceptOffer(seen.offer, seen.role, all, terms, now);
    if (!answer.ok) return request.notAdopted(fail(answer.code, answer.detail));
    if (answer.replay) {
      const order = all.find((o) => o.id === answer.offer.orderId);
      if (!order) throw new Error(`unreachable: accepted offer without its order ${answer.offer.orderId}`);
      return request.notAdopted({ ok: true, body: JSON.stringify(this.parts.orderView(order, "buyer")) });
    }
    const { price, currency } = answer.offer;
    if (request.funds && !covers(request.funds, price)) {
      const detail = `Your funds must cover ${price} ${currency}.`;
      return request.notAdopted({ ok: false, code: "HOLD_TOO_SMALL", needed: price, currency, detail });
    }
    const body = JSON.stringify(this.parts.orderView(answer.order, "buyer"));
    const { rows, own } = store.transaction(() => {
      offers.save(answer.offer);
      this.schedule(answer.offer);
      const draft = this.parts.commits.orderChanged("order.paid", answer.order, answer.money, now);
      const own = request.hold ? this.adopt(state, request.userId, request.hold) : null;
      const holds = own ? [asEventHold(request.userId, own)] : [];
      return { rows: this.parts.commits.commit(state, [draft], now, holds), own };
    });
    this.parts.commits.published(rows);
    return own ? { ok: true, body, hold: own } : { ok: true, body };
  }

  /** The alarm's turn (and every call's first step): the open offer expires once its time is up. */
  expireDue(now: number): void {
    const latest = this.parts.offers.all().at(-1);
    const expired = latest ? expireOffer(latest, now) : null;
    const state = this.parts.store.loadState();
    if (expired && state) this.commit(state, expired, "second_chance.expired", now);
  }

  /** The alarm's repair (inside its transaction): the expiry schedule derived again. */
  repairSchedule(): void {
    this.schedule(this.parts.offers.all().at(-1) ?? null);
  }

  /** The price of an offer `userId` accepted: their hold must keep it until the payment posts it. */
  owedBy(userId: string): number {
    return owedOnOffers(this.parts.offers.all(), userId);
  }

  /**
   * The hold becomes the payment's (inside the transaction): its reservation is settled, and if it
   * holds more than the price (a raised older hold) the wallet is told to keep only the price.
   */
  private adopt(state: AuctionState, userId: string, hold: ReservedHold): RoomInstruction | null {
    this.parts.store.settleReservations(userId, hold.reservation);
    const keep = this.parts.requirement(state, userId);
    return adopted(state.id, hold, keep, this.parts.commits.nextSeq());
  }

  private commit(state: AuctionState, offer: SecondChanceOffer, type: OfferEventType, now: number): void {
    const { store, offers, commits } = this.parts;
    const rows = store.transaction(() => {
      offers.save(offer);
      this.schedule(offer);
      return commits.commit(state, [{ type, offer }], now);
    });
    commits.published(rows);
  }

  /** The expiry is scheduled while the latest offer is open, and nowhere otherwise. */
  private schedule(offer: SecondChanceOffer | null): void {
    if (offer?.status === "open") this.parts.scheduler.set(EXPIRE_OFFER, offer.expiresAt);
    else this.parts.scheduler.cancel(EXPIRE_OFFER);
  }

  private context(state: AuctionState): OfferContext {
    return { auction: state, orders: this.parts.orders.all(), offers: this.parts.offers.all() };
  }

  /** The bidder behind a public handle (`b***2`), with their highest bid; null when nobody has it. */
  private candidate(handle: string): Candidate | null {
    const match = HANDLE.exec(handle);
    const bidderId = match?.[1] ? this.parts.store.bidderWithHandle(Number(match[1])) : null;
    return bidderId ? { bidderId, handle, highestBid: this.parts.store.highestBid(bidderId) } : null;
  }
}
