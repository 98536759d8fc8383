import { DurableObject } from "cloudflare:workers";
import type { CatalogSnapshot } from "../../queue/events";
import { bidsRequireFunds } from "../../shared/funds-setting";
import { AlarmScheduler } from "../kit/alarm-scheduler";
import { IdempotentReplies } from "../kit/idempotent-replies";
import { Outbox } from "../kit/outbox";
import { parseJsonFrame, Sockets } from "../kit/sockets";
import type { OfferView } from "../orders/second-chance";
import { orderTermsOf } from "../orders/terms";
import { RoomBids } from "./bids";
import { RoomCommits } from "./commits";
import {
  type AdminCancelOrder,
  type AdminCancelRefusal,
  cancelledByAdmin,
  cancelledState,
  editedState,
} from "./edits";
import { parseEvent } from "./events";
import { frameSourceOf } from "./frames";
import { type ReservedHold, requirementOf } from "./funds";
import { historyPage } from "./history";
import { newAuctionState } from "./lifecycle";
import {
  ClientFrameSchema,
  framesOnConnect,
  newRoomSocket,
  type RoomSocket,
  RoomSocketSchema,
  replaySince,
  VIEWER_HEADER,
  viewerTag,
} from "./live";
import { OfferStorage } from "./offer-storage";
import { OrderStorage } from "./order-storage";
import { AUTO_CONFIRM, type OrderRequest, type OrderView, RoomOrders } from "./orders";
import { RoomReads } from "./reads";
import {
  type BuyNowRequest,
  type FundedReply,
  fail,
  type HistoryItem,
  type PlaceBidRequest,
  type RoomResult,
} from "./results";
import { EXPIRE_OFFER, RoomSecondChance } from "./second-chance";
import type { AdminCancellation, AuctionPatch, AuctionState, NewAuction } from "./state";
import { RoomStorage } from "./storage";
import { RoomTime } from "./time";
import type { AuctionView } from "./view";

export type { OfferView } from "../orders/second-chance";
export type { OrderAction, OrderRequest, OrderView } from "./orders";
export type { BuyNowRequest, PlaceBidRequest } from "./results";
export { VIEWER_HEADER };

/**
 * How soon the alarm retries publishing events that did not reach the queue (and sending again
 * events whose redelivery failed). Events the queue took but the broker never confirmed are sent
 * again on their own schedule (kit/outbox-rules.ts).
 */
const OUTBOX_RETRY_MS = 5_000;
/** Events kept for WebSocket replay (`?since=`); SPEC §6 asks for at least 1,000. */
export const REPLAY_LOG_SIZE = 2_000;
/** Idempotency keys are kept at least 24 h (SPEC §2); pruned after 48 h. */
const REPLY_RETENTION_MS = 48 * 3600 * 1000;

/**
 * One auction: the source of truth for its state and bids. Each call loads the state, applies
 * what time alone changes, asks the pure rules (bidding/, lifecycle.ts, edits.ts, place-bid.ts,
 * buy-now.ts) what to do, and commits the new state, its history rows, the idempotent reply and
 * the events in one storage transaction with no await in between; the events are then broadcast
 * and published (kit/outbox.ts). Every wake-up is a named schedule (kit/alarm-scheduler.ts).
 */
export class AuctionRoom extends DurableObject<Env> {
  private readonly store: RoomStorage;
  private readonly scheduler: AlarmScheduler;
  private readonly replies: IdempotentReplies;
  private readonly outbox: Outbox;
  private readonly sockets: Sockets<RoomSocket>;
  private readonly reads: RoomReads;
  private readonly commits: RoomCommits;
  private readonly time: RoomTime;
  private readonly orders: RoomOrders;
  private readonly secondChance: RoomSecondChance;
  private readonly bids: RoomBids;
  /** The room's clock; tests replace it (through runInDurableObject) to control time. */
  clock: () => number = () => Date.now();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const clock = () => this.clock();
    this.store = new RoomStorage(ctx.storage);
    this.store.migrate();
    this.scheduler = new AlarmScheduler(ctx.storage, { clock, retryAfterMs: OUTBOX_RETRY_MS });
    this.replies = new IdempotentReplies(ctx.storage.sql, {
      retentionMs: REPLY_RETENTION_MS,
      scheduler: this.scheduler,
    });
    this.outbox = new Outbox(ctx.storage.sql, {
      scheduler: this.scheduler,
      clock,
      send: async (bodies) => {
        await this.env.EVENTS.sendBatch(bodies.map((body) => ({ body, contentType: "text" })));
      },
      keep: REPLAY_LOG_SIZE,
      retryAfterMs: OUTBOX_RETRY_MS,
      logFields: () => ({ auctionId: this.store.loadState()?.id ?? null }),
    });
    this.sockets = new Sockets(ctx, { attachment: RoomSocketSchema, name: "room" });
    this.sockets.autoRespondToPing();
    this.reads = new RoomReads(this.store, this.outbox.storage);
    const { store, scheduler, outbox, sockets, reads } = this;
    const orderStore = new OrderStorage(ctx.storage.sql);
    const orderTerms = orderTermsOf(env, (message) =>
      console.error(JSON.stringify({ level: "warn", message })),
    );
    this.commits = new RoomCommits({
      ctx,
      store,
      orders: orderStore,
      orderTerms,
      scheduler,
      outbox,
      sockets,
      reads,
      clock,
    });
    this.time = new RoomTime(store, this.commits, reads);
    this.orders = new RoomOrders({
      store,
      orders: orderStore,
      commits: this.commits,
      scheduler,
      terms: orderTerms,
    });
    this.secondChance = new RoomSecondChance({
      store,
      orders: orderStore,
      offers: new OfferStorage(ctx.storage.sql),
      commits: this.commits,
      scheduler,
      terms: orderTerms,
      orderView: (order, role) => this.orders.viewOf(order, role),
      requirement: (state, userId) => this.requirement(state, userId),
    });
    this.bids = new RoomBids({
      store,
      replies: this.replies,
      commits: this.commits,
      reads,
      time: this.time,
      outboxStorage: outbox.storage,
      fundsRequired: bidsRequireFunds(env),
      requirement: (state, userId) => this.requirement(state, userId),
    });
    this.scheduler.handle(AUTO_CONFIRM, () => this.orders.autoConfirm(this.clock()));
    this.scheduler.handle(EXPIRE_OFFER, () => this.secondChance.expireDue(this.clock()));
    // Each handler checks the state itself: a schedule says when to look, the state what to do.
    const advance = () => {
      this.time.advanceClock(this.clock());
    };
    this.scheduler.handle("auction.open", advance);
    this.scheduler.handle("auction.close", advance);
    this.scheduler.handle("auction.ending-soon", () => this.time.announceEndingSoon(this.clock()));
  }

  // ---------------------------------------------------------------- RPC: lifecycle

  /**
   * Initialises the auction. Retry-safe: the same `requestHash` (same seller, key and body)
   * answers the first reply again; a different body under the same id is refused.
   */
  async create(
    input: NewAuction,
    requestHash: string,
  ): Promise<RoomResult<{ view: AuctionView; replayed: boolean; catalog: CatalogSnapshot }>> {
    const now = this.clock();
    const existing = this.store.loadState();
    if (existing) {
      if (this.store.getMeta("create_request_hash") !== requestHash) {
        return fail(
          "IDEMPOTENCY_KEY_REUSED",
          "This Idempotency-Key was already used with a different request.",
        );
      }
      const first = this.store.getMeta("create_reply");
      // Replays the very first reply (same body, same serverTime) as SPEC §2 asks.
      return {
        ok: true,
        replayed: true,
        view: first ? (JSON.parse(first) as AuctionView) : this.reads.view(existing, input.sellerId, now),
        catalog: this.reads.catalog(existing, now),
      };
    }
    const state = newAuctionState(input, now);
    const view = this.reads.view(state, input.sellerId, now);
    const events = this.store.transaction(() => {
      this.store.setMeta("create_request_hash", requestHash);
      this.store.setMeta("create_reply", JSON.stringify(view));
      return this.commits.commit(state, [{ type: "auction.created" }], now);
    });
    this.commits.published(events);
    return { ok: true, replayed: false, view, catalog: this.reads.catalog(state, now) };
  }

  /** The auction as `viewerId` sees it, or null when it does not exist. */
  async snapshot(viewerId: string | null): Promise<AuctionView | null> {
    const now = this.clock();
    const state = this.time.advanceClock(now);
    return state ? this.reads.view(state, viewerId, now) : null;
  }

  /** Seller-only edits: text until close; prices, times and soft close only before the first bid. */
  async update(sellerId: string, patch: AuctionPatch): Promise<RoomResult<{ view: AuctionView }>> {
    const now = this.clock();
    const edit = editedState(this.time.advanceClock(now), sellerId, patch, now);
    if (!edit.ok) return edit;
    this.commits.commitAndPublish(edit.next, [{ type: "auction.updated" }], now);
    return { ok: true, view: this.reads.view(edit.next, sellerId, now) };
  }

  /** Seller-only cancellation, allowed while nobody has bid. */
  async cancel(sellerId: string): Promise<RoomResult<{ view: AuctionView }>> {
    const now = this.clock();
    const edit = cancelledState(this.time.advanceClock(now), sellerId, now);
    if (!edit.ok) return edit;
    this.commits.commitAndPublish(edit.next, [{ type: "auction.cancelled", bidderIds: [] }], now);
    return { ok: true, view: this.reads.view(edit.next, sellerId, now) };
  }

  /**
   * An administrator's cancellation (SPEC §9): any auction not yet ended, even with bids; every
   * bidder is named in the event. A refusal of an auction an administrator already cancelled
   * carries that cancellation, so the worker can write its audit row if a first attempt lost it.
   */
  async cancelByAdmin(
    order: AdminCancelOrder,
  ): Promise<{ ok: true; view: AuctionView; cancellation: AdminCancellation } | AdminCancelRefusal> {
    const now = this.clock();
    const edit = cancelledByAdmin(this.time.advanceClock(now), order, this.store.bidderIds(), now);
    if (!edit.ok) return edit;
    this.commits.commitAndPublish(edit.next, [edit.event], now);
    return {
      ok: true,
      view: this.reads.view(edit.next, order.adminId, now),
      cancellation: edit.cancellation,
    };
  }

  /**
   * The broker wrote these events' effects to D1 (called once per auction per queue batch): they
   * need not be sent again. Events stay in the outbox until then, so a message the queue loses is
   * sent again by the alarm (SPEC §1).
   */
  async confirmEvents(seqs: number[]): Promise<void> {
    this.outbox.confirm(seqs);
  }

  /**
   * Does nothing but answer: lets a client measure its round trip and clock offset to the room,
   * and gives the benchmarks the platform's per-request floor (worker + auth + one DO RPC).
   */
  async ping(): Promise<{ serverTime: number }> {
    return { serverTime: this.clock() };
  }

  // ---------------------------------------------------------------- RPC: bidding

  /**
   * Places a bid (SPEC §5): bids.ts runs it — checkBid's rules in order (with funds required, last,
   * that the worker's hold covers it), then one transaction for the state, history, reply and events.
   */
  async placeBid(request: PlaceBidRequest): Promise<FundedReply> {
    return this.bids.place(request, this.clock());
  }

  /** Buy-now: while open and the price is below the buy-now price, closes at once, sold to the caller. */
  async buyNow(request: BuyNowRequest): Promise<FundedReply> {
    return this.bids.buyNow(request, this.clock());
  }

  /**
   * A wallet asks what `userId` must still hold here: about reservations it has waited on too long
   * (`upTo`: a crash between reserve and bid), which from now on count as settled so no bid can
   * adopt them, or (null) about a hold it has not heard of for a while.
   */
  async releaseReservations(userId: string, upTo: number | null): Promise<{ seq: number; keep: number }> {
    return this.bids.releaseReservations(userId, upTo, this.clock());
  }

  /** Public history, newest first. Bidders are handles, the viewer is "you"; no maximum is shown. */
  async history(
    viewerId: string | null,
    limit: number,
    cursor: number | null,
  ): Promise<RoomResult<{ items: HistoryItem[]; nextCursor: number | null }>> {
    const state = this.store.loadState();
    if (!state) return fail("AUCTION_NOT_FOUND", "No such auction.");
    const rows = this.store.listBids(limit + 1, cursor);
    const handles = this.store.handleNumbers(rows.slice(0, limit).map((r) => r.bidderId));
    return { ok: true, ...historyPage(state.id, rows, limit, handles, viewerId) };
  }

  // ---------------------------------------------------------------- RPC: the order (SPEC §8)

  /** The auction's order as its buyer, seller or an administrator sees it; ORDER_NOT_FOUND to anyone else. */
  async order(viewerId: string, isAdmin: boolean): Promise<RoomResult<{ order: OrderView }>> {
    this.time.advanceClock(this.clock());
    return this.orders.view(viewerId, isAdmin);
  }

  /** Ship, confirm, dispute, cancel or resolve: one transition with its event and money. */
  async orderAction(request: OrderRequest): Promise<RoomResult<{ order: OrderView }>> {
    const now = this.clock();
    this.time.advanceClock(now);
    return this.orders.act(request, now);
  }

  /** The escrow balance by the room's own record: the live figure `GET /admin/ledger/check` compares. */
  async escrowBalance(): Promise<number> {
    return this.orders.escrowBalance();
  }

  // ---------------------------------------------------------------- RPC: second-chance offers

  /** The offer as the seller, the bidder it was made to or an administrator sees it. */
  async secondChanceOffer(viewerId: string, isAdmin: boolean): Promise<RoomResult<{ offer: OfferView }>> {
    const now = this.clock();
    this.time.advanceClock(now);
    return this.secondChance.view(viewerId, isAdmin, now);
  }

  /** The seller offers the item to the bidder behind a public handle, at their highest bid. */
  async offerSecondChance(sellerId: string, bidderHandle: string): Promise<RoomResult<{ offer: OfferView }>> {
    const now = this.clock();
    this.time.advanceClock(now);
    return this.secondChance.offer(sellerId, bidderHandle, now);
  }

  /**
   * The bidder accepts the offer made to them: the item's next order opens paid from the hold the
   * worker reserved (funds required), adopted as a bid's is. The reply's body is the order.
   */
  async acceptSecondChance(request: {
    userId: string;
    isAdmin: boolean;
    hold?: ReservedHold | null;
  }): Promise<FundedReply> {
    const now = this.clock();
    this.time.advanceClock(now);
    const { userId, hold } = request;
    return this.secondChance.accept(
      {
        userId,
        isAdmin: request.isAdmin,
        hold,
        funds: this.bids.fundsOf(userId, hold),
        notAdopted: (reply) => this.bids.notAdopted(reply, userId, hold),
      },
      now,
    );
  }

  /** The bidder declines the offer made to them. */
  async declineSecondChance(userId: string, isAdmin: boolean): Promise<RoomResult<{ offer: OfferView }>> {
    const now = this.clock();
    this.time.advanceClock(now);
    return this.secondChance.decline(userId, isAdmin, now);
  }

  // ---------------------------------------------------------------- WebSockets

  /**
   * The WebSocket upgrade for `GET /auctions/{id}/live` (the only use of fetch). Sends a snapshot,
   * or with `?since=<seq>` the frames missed since then when the replay log still holds them.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    }
    const now = this.clock();
    const state = this.time.advanceClock(now);
    if (!state) return new Response("No such auction", { status: 404 });
    const viewerId = request.headers.get(VIEWER_HEADER) || null;
    const since = replaySince(request.url);
    const missed = since === null ? null : this.outbox.storage.since(since);

    const { 0: client, 1: server } = new WebSocketPair();
    this.sockets.accept(server, newRoomSocket(viewerId, now), viewerId ? [viewerTag(viewerId)] : []);
    const frames = framesOnConnect(
      missed?.map(parseEvent) ?? null,
      viewerId,
      now,
      () => this.reads.snapshotFrame(state, viewerId, now),
      frameSourceOf(state, (viewer) => this.reads.view(state, viewer, now)),
    );
    for (const frame of frames) server.send(JSON.stringify(frame));
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const now = this.clock();
    // A socket whose attachment cannot be read stays open, as an anonymous viewer.
    const admitted = this.sockets.admit(ws, message, now, newRoomSocket(null, now));
    if (!admitted) return;
    const frame = ClientFrameSchema.safeParse(parseJsonFrame(message));
    if (!frame.success) return this.sockets.close(ws, 1008, "unsupported frame");
    const state = this.time.advanceClock(now);
    const viewerId = admitted.attachment?.viewerId ?? null;
    if (state) this.sockets.send(ws, JSON.stringify(this.reads.snapshotFrame(state, viewerId, now)));
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.sockets.closed(ws, code, reason);
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    this.sockets.failed(ws, error);
  }

  // ---------------------------------------------------------------- alarm

  /**
   * One alarm drives everything time-based: opening at startsAt, "ending soon", closing at endsAt
   * (which soft close moves), outbox retries, sending again what the broker never confirmed, and
   * pruning — each a named schedule (kit/alarm-scheduler.ts). Each handler is guarded by the
   * stored state, so a retried or late alarm never repeats one.
   */
  override async alarm(): Promise<void> {
    const now = this.clock();
    const state = this.time.advanceClock(now);
    // Every schedule follows from the tables; deriving them again here mends one that is missing
    // (a room from before schedules existed) or stale (state rewritten behind the room's back).
    this.store.transaction(() => {
      this.commits.scheduleLifecycle(state);
      this.orders.repairSchedule();
      this.secondChance.repairSchedule();
      this.outbox.schedule(now);
      this.replies.schedulePrune(now);
    });
    await this.scheduler.run();
  }

  // ---------------------------------------------------------------- internals

  /**
   * What `userId` must keep held on this auction: funds.ts's rule, plus — once it has ended — the
   * price of a second-chance offer they accepted (bids never reach a closed auction, so the bid
   * path never reads the offers).
   */
  private requirement(state: AuctionState | null, userId: string): number {
    const rule = requirementOf(state, userId);
    return state?.status === "closed" ? Math.max(rule, this.secondChance.owedBy(userId)) : rule;
  }
}
