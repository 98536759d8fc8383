import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { type AuctionEvent, type AuctionEventDraft, type CatalogSnapshot, eventId } from "../../queue/events";
import { type AuctionTerms, auctionTermErrors } from "../../shared/auction-rules";
import { applySoftClose, closeOutcome, minimumNextBid, reserveMet } from "../bidding";
import { checkBid, refusalDetail } from "../bidding/check-bid";
import { AlarmScheduler } from "../kit/alarm-scheduler";
import { IdempotentReplies } from "../kit/idempotent-replies";
import { shedIfLate } from "../kit/load-shedding";
import { Outbox } from "../kit/outbox";
import type { OutboxRow } from "../kit/outbox-storage";
import { parseJsonFrame, Sockets, socketBaseShape } from "../kit/sockets";
import { frameFor, type RoomFrame } from "./frames";
import { LIFECYCLE_HANDLERS, lifecycleChanges, lifecycleSchedules } from "./lifecycle";
import type { BidReply, BuyNowReply, HistoryItem, RoomFailure, RoomResult, StoredReply } from "./results";
import { type AuctionPatch, type AuctionState, endingSoonAt, type NewAuction, TEXT_FIELDS } from "./state";
import { RoomStorage } from "./storage";
import {
  type AuctionView,
  auctionView,
  bidAuctionOf,
  biddingStateOf,
  buyNowAvailable,
  incrementOf,
} from "./view";

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

/** The worker puts the authenticated viewer's id here; it strips any client-sent value. */
export const VIEWER_HEADER = "x-auction-viewer";

/** Per-socket state that must survive hibernation (kit/sockets.ts); `v` lets a deploy change it. */
const RoomSocketSchema = z.object({ v: z.literal(1), viewerId: z.string().nullable(), ...socketBaseShape });
type RoomSocket = z.infer<typeof RoomSocketSchema>;

const ClientFrameSchema = z.discriminatedUnion("type", [z.object({ type: z.literal("snapshot") })]);

const viewerTag = (viewerId: string) => `viewer:${viewerId}`;

/** When the worker sent a call (epoch ms), for load shedding; see kit/load-shedding.ts. */
interface Stamped {
  sentAt?: number;
}

export interface PlaceBidRequest extends Stamped {
  bidderId: string;
  amount: number | null;
  maxAmount: number | null;
  idempotencyKey: string | null;
  requestHash: string;
}

export interface BuyNowRequest extends Stamped {
  buyerId: string;
  idempotencyKey: string | null;
  requestHash: string;
}

const fail = (code: RoomFailure["code"], detail: string, extra: Partial<RoomFailure> = {}): RoomFailure => ({
  ok: false,
  code,
  detail,
  ...extra,
});

function handleOf(handleNo: number): string {
  return `b***${handleNo}`;
}

/**
 * One auction: the source of truth for its state and bids. Every change is checked and written
 * synchronously (no await between read and write), together with the events that describe it,
 * in one storage transaction; events are then published to the queue and retried by the alarm.
 */
export class AuctionRoom extends DurableObject<Env> {
  private readonly store: RoomStorage;
  private readonly scheduler: AlarmScheduler;
  private readonly replies: IdempotentReplies;
  private readonly outbox: Outbox;
  private readonly sockets: Sockets<RoomSocket>;
  /** Accepted-bid timestamps per user for the rate limit; losing them on eviction is harmless. */
  private readonly recentBids = new Map<string, number[]>();
  /** The room's clock; tests replace it (through runInDurableObject) to control time. */
  clock: () => number = () => Date.now();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new RoomStorage(ctx.storage);
    this.store.migrate();
    this.scheduler = new AlarmScheduler(ctx.storage, {
      clock: () => this.clock(),
      retryAfterMs: OUTBOX_RETRY_MS,
    });
    this.replies = new IdempotentReplies(ctx.storage.sql, {
      retentionMs: REPLY_RETENTION_MS,
      scheduler: this.scheduler,
    });
    // Each handler checks the state itself: a schedule says when to look, the state what to do.
    const advance = () => {
      this.advanceClock(this.clock());
    };
    this.scheduler.handle("auction.open", advance);
    this.scheduler.handle("auction.close", advance);
    this.scheduler.handle("auction.ending-soon", () => this.announceEndingSoon(this.clock()));
    this.outbox = new Outbox(ctx.storage.sql, {
      scheduler: this.scheduler,
      clock: () => this.clock(),
      send: async (bodies) => {
        await this.env.EVENTS.sendBatch(bodies.map((body) => ({ body, contentType: "text" })));
      },
      keep: REPLAY_LOG_SIZE,
      retryAfterMs: OUTBOX_RETRY_MS,
      logFields: () => ({ auctionId: this.store.loadState()?.id ?? null }),
    });
    this.sockets = new Sockets(ctx, { attachment: RoomSocketSchema, name: "room" });
    this.sockets.autoRespondToPing();
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
        view: first ? (JSON.parse(first) as AuctionView) : this.view(existing, input.sellerId, now),
        catalog: this.catalogSnapshot(existing, now),
      };
    }
    const state: AuctionState = {
      ...input,
      status: input.startsAt <= now ? "open" : "scheduled",
      outcome: null,
      endedBy: null,
      currentPrice: input.startingPrice,
      hasBids: false,
      bidCount: 0,
      leader: null,
      winnerId: null,
      extendedCount: 0,
      endingSoonSent: false,
      updatedAt: input.createdAt,
    };
    const view = this.view(state, input.sellerId, now);
    const events = this.store.transaction(() => {
      this.store.setMeta("create_request_hash", requestHash);
      this.store.setMeta("create_reply", JSON.stringify(view));
      return this.commit(state, [{ type: "auction.created" }], now);
    });
    this.afterCommit(events);
    return { ok: true, replayed: false, view, catalog: this.catalogSnapshot(state, now) };
  }

  /** The auction as `viewerId` sees it, or null when it does not exist. */
  async snapshot(viewerId: string | null): Promise<AuctionView | null> {
    const now = this.clock();
    const state = this.advanceClock(now);
    return state ? this.view(state, viewerId, now) : null;
  }

  /** Seller-only edits: text until close; prices, times and soft close only before the first bid. */
  async update(sellerId: string, patch: AuctionPatch): Promise<RoomResult<{ view: AuctionView }>> {
    const now = this.clock();
    const state = this.advanceClock(now);
    if (!state) return fail("AUCTION_NOT_FOUND", "No such auction.");
    if (state.sellerId !== sellerId) return fail("FORBIDDEN", "Only the seller can edit this auction.");
    if (state.status === "closed" || state.status === "cancelled") {
      return fail("AUCTION_CLOSED", `The auction is ${state.status}; it can no longer be edited.`);
    }
    const termKeys = Object.keys(patch).filter((k) => !(TEXT_FIELDS as readonly string[]).includes(k));
    if (termKeys.length > 0 && state.hasBids) {
      return fail("AUCTION_HAS_BIDS", `The auction has bids; ${termKeys.join(", ")} can no longer change.`);
    }
    if (patch.startsAt !== undefined && state.status !== "scheduled") {
      return fail("VALIDATION_FAILED", "startsAt can only change before the auction starts.", {
        errors: [{ path: "startsAt", message: "the auction has already started" }],
      });
    }
    const next: AuctionState = { ...state, ...patch, updatedAt: now };
    const terms: AuctionTerms = next;
    const errors = auctionTermErrors(terms, now);
    if (patch.endsAt !== undefined && patch.endsAt <= now)
      errors.push({ path: "endsAt", message: "must be in the future" });
    if (errors.length > 0) {
      return fail(
        "VALIDATION_FAILED",
        `Invalid auction: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`,
        { errors },
      );
    }
    if (next.status === "scheduled" && next.startsAt <= now) next.status = "open";
    if (patch.startingPrice !== undefined) next.currentPrice = next.startingPrice;
    const events = this.store.transaction(() => this.commit(next, [{ type: "auction.updated" }], now));
    this.afterCommit(events);
    return { ok: true, view: this.view(next, sellerId, now) };
  }

  /** Seller-only cancellation, allowed while nobody has bid. */
  async cancel(sellerId: string): Promise<RoomResult<{ view: AuctionView }>> {
    const now = this.clock();
    const state = this.advanceClock(now);
    if (!state) return fail("AUCTION_NOT_FOUND", "No such auction.");
    if (state.sellerId !== sellerId) return fail("FORBIDDEN", "Only the seller can cancel this auction.");
    if (state.status === "closed" || state.status === "cancelled") {
      return fail("AUCTION_NOT_OPEN", `The auction is already ${state.status}.`);
    }
    if (state.hasBids)
      return fail("AUCTION_HAS_BIDS", "The auction has bids and can no longer be cancelled.");
    const next: AuctionState = { ...state, status: "cancelled", updatedAt: now };
    const events = this.store.transaction(() =>
      this.commit(next, [{ type: "auction.cancelled", bidderIds: [] }], now),
    );
    this.afterCommit(events);
    return { ok: true, view: this.view(next, sellerId, now) };
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
   * Places a bid (SPEC §5). The checks run in the spec's order; the state change, the history
   * rows, the idempotent reply and the events commit in one transaction before the reply.
   */
  async placeBid(request: PlaceBidRequest): Promise<StoredReply> {
    const now = this.clock();
    // Queueing delay is physical time, not the (test-controllable) business clock.
    const overloaded = shedIfLate(request.sentAt, Date.now());
    if (overloaded) return overloaded;
    const state = this.advanceClock(now);
    const replyKey =
      request.idempotencyKey === null ? null : `bid:${request.bidderId}:${request.idempotencyKey}`;
    const replay = this.replay(replyKey, request.requestHash);
    if (replay) return replay;

    const recent = (this.recentBids.get(request.bidderId) ?? []).filter((t) => t > now - 1000);
    const decision = checkBid(
      state && bidAuctionOf(state),
      { bidderId: request.bidderId, amount: request.amount, maxAmount: request.maxAmount },
      recent,
      now,
    );
    if (!decision.ok) {
      const retry = decision.code === "RATE_LIMITED" ? { retryAfterSeconds: decision.retryAfterSeconds } : {};
      return fail(decision.code, refusalDetail(decision, state?.currency ?? ""), retry);
    }
    if (!state) throw new Error("unreachable: checkBid accepted a bid on no auction");
    const { resolution, kind } = decision;
    const increment = incrementOf(state);

    const previousEndsAt = state.endsAt;
    const soft = applySoftClose(
      state.endsAt,
      state.softClose,
      now,
      resolution.priceChanged || resolution.leaderChanged,
    );
    const leader = resolution.state.leader ?? state.leader;
    const next: AuctionState = {
      ...state,
      currentPrice: resolution.state.currentPrice,
      hasBids: resolution.state.hasBids,
      leader,
      bidCount: state.bidCount + resolution.entries.length,
      endsAt: soft.endsAt,
      extendedCount: state.extendedCount + (soft.extended ? 1 : 0),
      updatedAt: now,
    };

    recent.push(now);
    this.recentBids.set(request.bidderId, recent);

    const { reply, events } = this.store.transaction(() => {
      this.store.handleNumber(request.bidderId, now);
      let seq = this.store.nextBidSeq();
      let ownSeq: number | null = null;
      for (const entry of resolution.entries) {
        this.store.handleNumber(entry.bidderId, now);
        this.store.insertBid({
          seq,
          bidderId: entry.bidderId,
          amount: entry.amount,
          kind: entry.kind,
          placedAt: now,
        });
        if (entry.bidderId === request.bidderId) ownSeq = seq;
        seq++;
      }
      const leaderId = next.leader?.bidderId ?? request.bidderId;
      const bidReply: BidReply = {
        bid: {
          id: `${state.id}-${ownSeq ?? `r${now}`}`,
          amount: resolution.placedAmount,
          maxAmount: resolution.placedMax,
          kind,
          placedAt: new Date(now).toISOString(),
        },
        result: resolution.result,
        auction: {
          currentPrice: next.currentPrice,
          bidCount: next.bidCount,
          leaderIsYou: leaderId === request.bidderId,
          minimumNextBid: minimumNextBid(biddingStateOf(next), increment),
          reserveMet: reserveMet(biddingStateOf(next)),
          endsAt: new Date(next.endsAt).toISOString(),
          extended: soft.extended,
        },
      };
      const stored: StoredReply = { ok: true, body: JSON.stringify(bidReply) };
      if (replyKey) this.replies.save(replyKey, request.requestHash, JSON.stringify(stored), now);
      const drafts: AuctionEventDraft[] = [
        {
          type: "bid.placed",
          bidderId: request.bidderId,
          leaderId,
          previousLeaderId: state.leader?.bidderId ?? null,
          price: next.currentPrice,
          result: resolution.result,
          endsAt: next.endsAt,
          extended: soft.extended,
          leaderHandle: handleOf(this.store.handleNumber(leaderId, now)),
        },
      ];
      if (soft.extended) drafts.push({ type: "auction.extended", endsAt: next.endsAt, previousEndsAt });
      return { reply: stored, events: this.commit(next, drafts, now) };
    });
    this.afterCommit(events);
    return reply;
  }

  /** Buy-now: while open and the price is below the buy-now price, closes at once, sold to the caller. */
  async buyNow(request: BuyNowRequest): Promise<StoredReply> {
    const now = this.clock();
    // Queueing delay is physical time, not the (test-controllable) business clock.
    const overloaded = shedIfLate(request.sentAt, Date.now());
    if (overloaded) return overloaded;
    const state = this.advanceClock(now);
    const replyKey =
      request.idempotencyKey === null ? null : `buy:${request.buyerId}:${request.idempotencyKey}`;
    const replay = this.replay(replyKey, request.requestHash);
    if (replay) return replay;

    if (!state) return fail("AUCTION_NOT_FOUND", "No such auction.");
    if (state.sellerId === request.buyerId)
      return fail("SELLER_CANNOT_BID", "Sellers cannot buy their own auction.");
    if (!buyNowAvailable(state) || state.buyNowPrice === null) {
      return fail("BUY_NOW_UNAVAILABLE", "Buy-now is not available for this auction.");
    }
    const price = state.buyNowPrice;
    const next: AuctionState = {
      ...state,
      status: "closed",
      outcome: "sold",
      endedBy: "buy_now",
      currentPrice: price,
      leader: { bidderId: request.buyerId, maxAmount: price },
      winnerId: request.buyerId,
      updatedAt: now,
    };
    const { reply, events } = this.store.transaction(() => {
      const winnerHandle = handleOf(this.store.handleNumber(request.buyerId, now));
      const body: BuyNowReply = { price, auction: this.view(next, request.buyerId, now) };
      const stored: StoredReply = { ok: true, body: JSON.stringify(body) };
      if (replyKey) this.replies.save(replyKey, request.requestHash, JSON.stringify(stored), now);
      const drafts: AuctionEventDraft[] = [
        {
          type: "auction.closed",
          outcome: "sold",
          endedBy: "buy_now",
          finalPrice: price,
          winnerId: request.buyerId,
          winnerHandle,
          bidderIds: this.store.bidderIds(),
        },
      ];
      return { reply: stored, events: this.commit(next, drafts, now) };
    });
    this.afterCommit(events);
    return reply;
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
    const page = rows.slice(0, limit);
    const handles = this.store.handleNumbers(page.map((r) => r.bidderId));
    const items = page.map((row) => ({
      id: `${state.id}-${row.seq}`,
      amount: row.amount,
      kind: row.kind,
      bidder: { handle: row.bidderId === viewerId ? "you" : handleOf(handles.get(row.bidderId) ?? 0) },
      placedAt: new Date(row.placedAt).toISOString(),
    }));
    const last = page.at(-1);
    return { ok: true, items, nextCursor: rows.length > limit && last ? last.seq : null };
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
    const state = this.advanceClock(now);
    if (!state) return new Response("No such auction", { status: 404 });
    const viewerId = request.headers.get(VIEWER_HEADER) || null;
    const sinceParam = new URL(request.url).searchParams.get("since");
    const since = sinceParam !== null && /^\d{1,15}$/.test(sinceParam) ? Number(sinceParam) : null;

    const pair = new WebSocketPair();
    const client = pair[0];
    const server = pair[1];
    this.sockets.accept(server, this.newSocket(viewerId, now), viewerId ? [viewerTag(viewerId)] : []);
    for (const frame of this.framesOnConnect(state, viewerId, since, now)) server.send(JSON.stringify(frame));
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const now = this.clock();
    // A socket whose attachment cannot be read stays open, as an anonymous viewer.
    const admitted = this.sockets.admit(ws, message, now, this.newSocket(null, now));
    if (!admitted) return;
    const frame = ClientFrameSchema.safeParse(parseJsonFrame(message));
    if (!frame.success) return this.sockets.close(ws, 1008, "unsupported frame");
    const state = this.advanceClock(now);
    const viewerId = admitted.attachment?.viewerId ?? null;
    if (state) this.sockets.send(ws, JSON.stringify(this.snapshotFrame(state, viewerId, now)));
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.sockets.closed(ws, code, reason);
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    this.sockets.failed(ws, error);
  }

  private newSocket(viewerId: string | null, now: number): RoomSocket {
    return { v: 1, viewerId, connectedAt: now, windowStartedAt: now, framesInWindow: 0 };
  }

  private snapshotFrame(state: AuctionState, viewerId: string | null, now: number): RoomFrame {
    return {
      type: "snapshot",
      seq: this.outbox.storage.latestSeq(),
      serverTime: new Date(now).toISOString(),
      auction: this.view(state, viewerId, now),
    };
  }

  private framesOnConnect(
    state: AuctionState,
    viewerId: string | null,
    since: number | null,
    now: number,
  ): RoomFrame[] {
    const missed = since === null ? null : this.outbox.storage.since(since);
    if (missed === null) return [this.snapshotFrame(state, viewerId, now)];
    const frames: RoomFrame[] = [];
    for (const row of missed) {
      const frame = frameFor(this.parseEvent(row), viewerId, now, (viewer) => this.view(state, viewer, now));
      if (frame) frames.push(frame);
    }
    return frames;
  }

  private parseEvent(row: OutboxRow): AuctionEvent {
    // Written by commit() from a typed AuctionEvent.
    return JSON.parse(row.body) as AuctionEvent;
  }

  /**
   * Pushes committed events to the room's sockets after the reply has gone out (a timer, not
   * inline), so watchers never delay a bidder. One serialisation per event for everyone, one more
   * for the sockets of the user the event is about (leader / winner).
   */
  private broadcast(rows: OutboxRow[]): void {
    if (this.sockets.all().length === 0) return;
    setTimeout(() => {
      const sockets = this.sockets.all();
      const now = this.clock();
      const state = this.store.loadState();
      if (!state) return;
      const snapshotFor = (viewer: string | null) => this.view(state, viewer, now);
      for (const row of rows) {
        const event = this.parseEvent(row);
        const generic = frameFor(event, null, now, snapshotFor);
        if (!generic) continue;
        if (generic.type === "snapshot") {
          for (const ws of sockets)
            this.send(ws, frameFor(event, this.sockets.attachmentOf(ws)?.viewerId ?? null, now, snapshotFor));
          continue;
        }
        const subject =
          event.type === "bid.placed"
            ? event.leaderId
            : event.type === "auction.closed"
              ? event.winnerId
              : null;
        const genericText = JSON.stringify(generic);
        const subjectSockets = new Set(subject ? this.sockets.all(viewerTag(subject)) : []);
        const subjectText = subject
          ? JSON.stringify(frameFor(event, subject, now, snapshotFor))
          : genericText;
        for (const ws of sockets) this.send(ws, subjectSockets.has(ws) ? subjectText : genericText);
      }
    }, 0);
  }

  private send(ws: WebSocket, frame: RoomFrame | string | null): void {
    if (frame !== null) this.sockets.send(ws, typeof frame === "string" ? frame : JSON.stringify(frame));
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
    const state = this.advanceClock(now);
    // Every schedule follows from the tables; deriving them again here mends one that is missing
    // (a room from before schedules existed) or stale (state rewritten behind the room's back).
    this.store.transaction(() => {
      const due = lifecycleSchedules(state);
      for (const name of LIFECYCLE_HANDLERS) this.setSchedule(name, due[name]);
      this.outbox.schedule(now);
      this.replies.schedulePrune(now);
    });
    await this.scheduler.run();
  }

  /** The ending-soon announcement, once (guarded by the stored state). */
  private announceEndingSoon(now: number): void {
    const state = this.advanceClock(now);
    if (state?.status !== "open" || state.endingSoonSent || now < endingSoonAt(state)) return;
    const next: AuctionState = { ...state, endingSoonSent: true };
    const events = this.store.transaction(() =>
      this.commit(
        next,
        [{ type: "auction.ending_soon", endsAt: next.endsAt, bidderIds: this.store.bidderIds() }],
        now,
      ),
    );
    this.afterCommit(events);
  }

  private setSchedule(handler: string, dueAt: number | null): void {
    if (dueAt === null) this.scheduler.cancel(handler);
    else this.scheduler.set(handler, dueAt);
  }

  // ---------------------------------------------------------------- internals

  private view(state: AuctionState, viewerId: string | null, now: number): AuctionView {
    const handleNo = state.leader ? this.store.findHandleNumber(state.leader.bidderId) : null;
    return auctionView(state, viewerId, handleNo === null ? null : handleOf(handleNo), now);
  }

  private replay(key: string | null, requestHash: string): StoredReply | null {
    if (key === null) return null;
    const prior = this.replies.find(key, requestHash);
    if (prior === null || "code" in prior) return prior;
    // Written by replies.save from a StoredReply value.
    return JSON.parse(prior.reply) as StoredReply;
  }

  /**
   * Applies what time alone changes: a scheduled auction opens at startsAt, an open one closes at
   * endsAt. Called on every entry point, so a bid after endsAt is refused even before the alarm
   * has run, and the close happens exactly once (it is guarded by the status).
   */
  private advanceClock(now: number): AuctionState | null {
    let state = this.store.loadState();
    if (!state) return null;
    const events: OutboxRow[] = [];
    if (state.status === "scheduled" && now >= state.startsAt) {
      const opened: AuctionState = { ...state, status: "open", updatedAt: now };
      events.push(...this.store.transaction(() => this.commit(opened, [{ type: "auction.opened" }], now)));
      state = opened;
    }
    if (state.status === "open" && now >= state.endsAt) {
      const outcome = closeOutcome(biddingStateOf(state));
      const closed: AuctionState = {
        ...state,
        status: "closed",
        outcome: outcome.outcome,
        endedBy: "time",
        winnerId: outcome.outcome === "sold" ? outcome.winnerId : null,
        updatedAt: now,
      };
      const winnerHandleNo = closed.winnerId ? this.store.findHandleNumber(closed.winnerId) : null;
      events.push(
        ...this.store.transaction(() =>
          this.commit(
            closed,
            [
              {
                type: "auction.closed",
                outcome: outcome.outcome,
                endedBy: "time",
                finalPrice: outcome.finalPrice,
                winnerId: closed.winnerId,
                winnerHandle: winnerHandleNo === null ? null : handleOf(winnerHandleNo),
                bidderIds: this.store.bidderIds(),
              },
            ],
            now,
          ),
        ),
      );
      state = closed;
    }
    if (events.length > 0) this.afterCommit(events);
    return state;
  }

  /** Saves the state and appends its events to the outbox; call inside store.transaction. */
  private commit(state: AuctionState, drafts: AuctionEventDraft[], now: number): OutboxRow[] {
    for (const [handler, dueAt] of lifecycleChanges(this.store.loadState(), state)) {
      this.setSchedule(handler, dueAt);
    }
    this.store.saveState(state);
    const catalog = this.catalogSnapshot(state, now);
    let seq = this.outbox.storage.nextSeq();
    const rows: OutboxRow[] = [];
    for (const draft of drafts) {
      const event: AuctionEvent = {
        ...draft,
        v: 1,
        id: eventId(state.id, seq),
        auctionId: state.id,
        seq,
        occurredAt: now,
        catalog,
      };
      rows.push({ seq, type: event.type, body: JSON.stringify(event) });
      seq++;
    }
    this.outbox.append(rows, now);
    return rows;
  }

  private catalogSnapshot(state: AuctionState, now: number): CatalogSnapshot {
    const { serverTime: _serverTime, ...summary } = this.view(state, null, now);
    return {
      sellerId: state.sellerId,
      title: state.title,
      category: state.category,
      currency: state.currency,
      startingPrice: state.startingPrice,
      currentPrice: state.currentPrice,
      bidCount: state.bidCount,
      status: state.status,
      outcome: state.outcome,
      leaderId: state.leader?.bidderId ?? null,
      winnerId: state.winnerId,
      startsAt: state.startsAt,
      endsAt: state.endsAt,
      createdAt: state.createdAt,
      updatedAt: state.updatedAt,
      summary: JSON.stringify(summary),
    };
  }

  /** After a commit: broadcast and publish without delaying the reply; make sure the alarm will retry. */
  private afterCommit(events: OutboxRow[]): void {
    if (events.length === 0) return;
    this.broadcast(events);
    this.ctx.waitUntil(this.scheduler.wake());
    this.ctx.waitUntil(this.outbox.publish());
  }
}
