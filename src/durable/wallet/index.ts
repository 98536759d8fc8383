import { DurableObject } from "cloudflare:workers";
import { AlarmScheduler } from "../kit/alarm-scheduler";
import { Outbox } from "../kit/outbox";
import type { OutboxRow } from "../kit/outbox-storage";
import {
  type Balance,
  checkWallet,
  classifyReplay,
  completeWithdrawal,
  credit,
  debit,
  followRoom,
  type HoldResult,
  type MoneyResult,
  type OrderSideTransfer,
  orderTransferSide,
  type Problem,
  type RoomInstruction,
  rejectWithdrawal,
  requestWithdrawal,
  reserveHold,
  settleHold,
  userAccountPrefix,
} from "../money";
import { recordedFigures } from "../money/ledger-check";
import { ledgerEventRow, type TopUpEventType, topUpEventRow } from "./events";
import { LedgerQueue, ledgerFlushMs } from "./ledger-queue";
import { ReservationStorage } from "./reservations";
import type {
  BidReservationRequest,
  Done,
  EntryPage,
  MoneyRequest,
  Reserved,
  TopUpRequest,
  WalletRefusal,
  WalletSummary,
  WithdrawalDone,
} from "./results";
import { WalletStorage } from "./storage";
import { balanceView, entryPage, summaryView, withdrawalStatus } from "./views";

export type * from "./results";

/** How soon the alarm retries publishing events that did not reach the queue. */
const OUTBOX_RETRY_MS = 5_000;
/** Confirmed events kept; a wallet has no live replay, so a few suffice for debugging. */
const EVENTS_KEPT = 100;
/**
 * A reservation its auction has not settled by then is asked about (SPEC §8: a crash between
 * reserve and bid). A bid waits at most about a second between the two, so this is generous.
 */
export const ORPHAN_AFTER_MS = 2 * 60 * 1000;
/**
 * A hold whose room has said nothing for this long is asked about too: should the room's word
 * ever be lost for good (an event dead-lettered), the money still comes back.
 */
export const RECHECK_AFTER_MS = 10 * 60 * 1000;
const SWEEP = "holds.sweep";
const LEDGER_FLUSH = "ledger.flush";

type Decided = { events?: (seq: number, now: number) => OutboxRow[]; also?: () => void };

/**
 * One user's money (SPEC §8), named by user id: the only place it changes. Each call loads the
 * balance row and the hold concerned, asks one pure rule (durable/money) what to do, checks the
 * returned transfers against the unique transfers table (a replay writes nothing), and writes
 * balance, holds, transfers, entries and events in one storage transaction.
 */
export class Wallet extends DurableObject<Env> {
  private readonly store: WalletStorage;
  private readonly scheduler: AlarmScheduler;
  private readonly outbox: Outbox;
  private readonly reservations: ReservationStorage;
  private readonly ledgerQueue: LedgerQueue;
  /** How long written transfers wait to leave together for the broker's D1 ledger. */
  private readonly ledgerFlushMs: number;
  /** Tests replace it (through runInDurableObject) to control time. */
  clock: () => number = () => Date.now();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const clock = () => this.clock();
    this.store = new WalletStorage(ctx.storage);
    this.store.migrate();
    this.scheduler = new AlarmScheduler(ctx.storage, { clock, retryAfterMs: OUTBOX_RETRY_MS });
    this.outbox = new Outbox(ctx.storage.sql, {
      scheduler: this.scheduler,
      clock,
      send: async (bodies) => {
        await this.env.EVENTS.sendBatch(bodies.map((body) => ({ body, contentType: "text" })));
      },
      keep: EVENTS_KEPT,
      retryAfterMs: OUTBOX_RETRY_MS,
    });
    this.reservations = new ReservationStorage(ctx.storage.sql);
    this.scheduler.handle(SWEEP, (schedule) => this.sweep(schedule.payload ?? ""));
    this.ledgerQueue = new LedgerQueue(ctx.storage.sql);
    this.ledgerFlushMs = ledgerFlushMs(env, (message) =>
      console.error(JSON.stringify({ level: "warn", message })),
    );
    this.scheduler.handle(LEDGER_FLUSH, (schedule) => this.flushLedger(schedule.payload ?? ""));
  }

  // ---------------------------------------------------------------- reads

  /** Does nothing but answer (the auction ping's `wallet=true`): one object call, no storage. */
  async ping(): Promise<{ serverTime: number }> {
    return { serverTime: this.clock() };
  }

  async summary(userId: string): Promise<WalletSummary> {
    return summaryView(this.store.balances(userId), this.store.holds(true), this.clock());
  }

  async entries(_userId: string, limit: number, beforeSeq: number | null): Promise<EntryPage> {
    return entryPage(this.store.entryPage(beforeSeq, limit + 1), limit);
  }

  /**
   * The figures the D1 ledger should show for this user's accounts (the admin's check): live,
   * less the transfers still waiting for their flush.
   */
  async ledgerFigures(userId: string): Promise<Record<string, number>> {
    return recordedFigures(this.store.balances(userId), this.ledgerQueue.waiting());
  }

  /** Every invariant of SPEC §8 over the whole wallet; empty when healthy. */
  async selfCheck(userId: string): Promise<Problem[]> {
    return checkWallet({
      userId,
      balances: this.store.balances(userId),
      holds: this.store.holds(false),
      transfers: this.store.transfers(),
      entries: this.store.allEntries(),
    });
  }

  // ---------------------------------------------------------------- top-ups and adjustments

  /** The provider confirmed a top-up: `topup:<topUpId>` from external, at most once. */
  async creditTopUp(userId: string, topUp: TopUpRequest): Promise<Done | WalletRefusal> {
    const outcome = this.store.topUpOutcome(topUp.topUpId);
    if (outcome === "failed") return { ok: false, code: "TOP_UP_STATE", status: "failed" };
    return this.change(
      userId,
      topUp.currency,
      (balance) =>
        credit(balance, { transferId: `topup:${topUp.topUpId}`, kind: "top_up", amount: topUp.amount }),
      this.topUpDecided(userId, topUp, "wallet.top_up_succeeded"),
    );
  }

  /** The provider declined a top-up: no money moves, the owner is told once. */
  async failTopUp(userId: string, topUp: TopUpRequest): Promise<Done | WalletRefusal> {
    const now = this.clock();
    const result = this.store.transaction((): Done | WalletRefusal => {
      const balance = balanceView(this.store.balance(userId, topUp.currency));
      const outcome = this.store.topUpOutcome(topUp.topUpId);
      if (outcome === "succeeded") return { ok: false, code: "TOP_UP_STATE", status: "succeeded" };
      if (outcome === "failed") return { ok: true, applied: false, balance };
      const decided = this.topUpDecided(userId, topUp, "wallet.top_up_failed");
      decided.also?.();
      this.appendEvents(decided, now);
      return { ok: true, applied: true, balance };
    });
    if (result.ok && result.applied) this.publish();
    return result;
  }

  /** An admin's signed adjustment against external; never takes available below zero. */
  async adjust(
    userId: string,
    request: MoneyRequest & { adjustmentId: string },
  ): Promise<Done | WalletRefusal> {
    const transferId = `adjust:${request.adjustmentId}`;
    return this.change(userId, request.currency, (balance) =>
      request.amount >= 0
        ? credit(balance, { transferId, kind: "adjustment", amount: request.amount })
        : debit(balance, { transferId, kind: "adjustment", amount: -request.amount }),
    );
  }

  // ---------------------------------------------------------------- withdrawals

  /** Holds the amount at once (it can no longer be spent) until an admin completes or rejects it. */
  async requestWithdrawal(
    userId: string,
    request: MoneyRequest & { withdrawalId: string },
  ): Promise<WithdrawalDone | WalletRefusal> {
    const existing = this.store.hold(request.withdrawalId);
    if (existing) return this.withdrawalDone(existing.id, false);
    const now = this.clock();
    const result = this.change(userId, request.currency, (balance) =>
      requestWithdrawal(balance, { withdrawalId: request.withdrawalId, amount: request.amount, now }),
    );
    return result.ok ? this.withdrawalDone(request.withdrawalId, result.applied) : result;
  }

  async completeWithdrawal(userId: string, withdrawalId: string): Promise<WithdrawalDone | WalletRefusal> {
    return this.resolveWithdrawal(userId, withdrawalId, "completed");
  }

  async rejectWithdrawal(userId: string, withdrawalId: string): Promise<WithdrawalDone | WalletRefusal> {
    return this.resolveWithdrawal(userId, withdrawalId, "rejected");
  }

  // ---------------------------------------------------------------- funds to bid (SPEC §8)

  /**
   * Before a bid or buy-now reaches its auction: holds at least `atLeast` for it (creating the
   * user's one hold there or raising it) and records a numbered reservation, outstanding until
   * the auction settles it. Serialised here, so two bids on two auctions can never spend the same
   * money.
   */
  async reserveForBid(userId: string, request: BidReservationRequest): Promise<Reserved | WalletRefusal> {
    const now = this.clock();
    const { auctionId } = request;
    let wake = false;
    const result = this.store.transaction((): Reserved | WalletRefusal => {
      const n = this.reservations.nextNumber(auctionId);
      const outcome = reserveHold(
        this.store.balance(userId, request.currency),
        this.store.activeHoldOn(auctionId),
        {
          // Unique across wallets too: the D1 ledger holds every wallet's transfers side by side.
          reservationId: `${auctionId}.${userId}.${n}`,
          purpose: request.purpose,
          auctionId,
          atLeast: request.atLeast,
          now,
          expiresAt: null,
        },
      );
      if (!outcome.ok) return refusalOf(outcome);
      if (outcome.transfers.length > 0) this.written(userId, outcome, now);
      this.reservations.add(auctionId, n, outcome.hold.id, request.atLeast, now);
      // One sweep row covers every reservation: it is set for the oldest and moved on by the sweep.
      if (!this.scheduler.get(SWEEP)) {
        this.scheduler.set(SWEEP, now + ORPHAN_AFTER_MS, { payload: userId });
        wake = true;
      }
      const { available } = outcome.balance;
      return { ok: true, reservation: n, holdAmount: outcome.hold.amount, available };
    });
    if (wake) this.ctx.waitUntil(this.scheduler.wake());
    return result;
  }

  /** The auctions' word on this user's holds (from the worker or the broker); idempotent. */
  async followRoom(userId: string, instructions: readonly RoomInstruction[]): Promise<void> {
    const now = this.clock();
    this.store.transaction(() => {
      for (const instruction of instructions) this.followOne(userId, instruction, now);
    });
  }

  // ---------------------------------------------------------------- orders (SPEC §8)

  /**
   * This user's side of an order's transfers, in order (the broker hands them over from the
   * room's order events): each applied once, a replay skipped. One that cannot apply yet (an
   * earlier step still on its way) throws, so the broker delivers the batch again later.
   */
  async applyOrderMoney(userId: string, transfers: readonly OrderSideTransfer[]): Promise<void> {
    for (const transfer of transfers) {
      if (this.store.transfer(transfer.id)) continue;
      // A refund returns what the buyer paid: never before that payment left their hold here.
      const paid = transfer.id.replace(/:refund$/, ":pay");
      if (transfer.kind === "refund" && !this.store.transfer(paid)) {
        throw new Error(`wallet: refund ${transfer.id} before its payment ${paid}`);
      }
      const now = this.clock();
      const result = this.change(userId, transfer.currency, (balance) => {
        const side = orderTransferSide(balance, this.store.activeHoldOn(transfer.auctionId), transfer, now);
        if (!side.ok && side.code === "NO_HOLD")
          throw new Error(`wallet: no hold to pay order ${transfer.id}`);
        return side;
      });
      if (!result.ok) throw new Error(`wallet: order transfer ${transfer.id} refused: ${result.code}`);
    }
  }

  // ---------------------------------------------------------------- broker and alarm

  /** The broker wrote these events' effects (inbox rows): they need not be sent again. */
  async confirmEvents(seqs: number[]): Promise<void> {
    this.outbox.confirm(seqs);
  }

  override async alarm(): Promise<void> {
    const now = this.clock();
    this.store.transaction(() => this.outbox.schedule(now));
    await this.scheduler.run();
  }

  // ---------------------------------------------------------------- internals

  private resolveWithdrawal(
    userId: string,
    withdrawalId: string,
    target: "completed" | "rejected",
  ): WithdrawalDone | WalletRefusal {
    const hold = this.store.hold(withdrawalId);
    if (hold?.purpose !== "withdrawal") return { ok: false, code: "WITHDRAWAL_NOT_FOUND" };
    const status = withdrawalStatus(hold);
    if (status === target) return this.withdrawalDone(withdrawalId, false);
    if (status !== "requested") return { ok: false, code: "WITHDRAWAL_STATE", status };
    const now = this.clock();
    const result = this.change(userId, hold.currency, (balance) =>
      target === "completed"
        ? completeWithdrawal(balance, hold, { now })
        : rejectWithdrawal(balance, hold, { now }),
    );
    return result.ok ? this.withdrawalDone(withdrawalId, result.applied) : result;
  }

  /**
   * One instruction (durable/money/room-instructions.ts): settles the reservations it names, keeps
   * the room's newest word on the hold, and lowers the hold to it once nothing is outstanding.
   */
  private followOne(userId: string, given: RoomInstruction, now: number): void {
    const { auctionId } = given;
    // The room asks a sale's buyer to keep its price until it is paid; once the payment left a
    // hold here, any later hold on that auction (a bid on the closed auction) owes nothing.
    const instruction = given.keep > 0 && this.store.paidFor(auctionId) ? { ...given, keep: 0 } : given;
    const hold = this.store.activeHoldOn(auctionId);
    const outstanding = this.reservations.outstanding(auctionId);
    const next = followRoom(hold ? this.reservations.word(hold.id) : null, outstanding, instruction);
    if (next.outstanding.length < outstanding.length) {
      this.reservations.settleAllBut(auctionId, next.outstanding, now);
    }
    if (!hold) return;
    if (next.word) this.reservations.saveWord(hold.id, next.word, now);
    if (next.lowerTo === null || next.lowerTo >= hold.amount) return;
    const outcome = settleHold(this.store.balance(userId, hold.currency), hold, {
      keep: next.lowerTo,
      version: null,
      now,
    });
    if (!outcome.ok) throw new Error(`wallet: lowering hold ${hold.id} refused: ${outcome.code}`);
    if (outcome.transfers.length === 0) return;
    if (classifyReplay(outcome.transfers, (id) => this.store.transfer(id)).kind !== "new") return;
    this.written(userId, outcome, now);
  }

  /**
   * Reservations outstanding for ORPHAN_AFTER_MS: asks each auction to settle them (so no bid can
   * adopt them any more) and follows its answer. Holds whose room has been silent for
   * RECHECK_AFTER_MS: asks what they still need. Then waits for the next of either.
   */
  private async sweep(userId: string): Promise<void> {
    const now = this.clock();
    const overdue = this.reservations.overdue(now - ORPHAN_AFTER_MS);
    const silent = this.reservations
      .silentHolds(now - RECHECK_AFTER_MS)
      .filter((auctionId) => !overdue.some((o) => o.auctionId === auctionId))
      .map((auctionId) => ({ auctionId, upTo: null }));
    for (const { auctionId, upTo } of [...overdue, ...silent]) {
      const answer = await this.env.AUCTION_ROOM.getByName(auctionId).releaseReservations(userId, upTo);
      await this.followRoom(userId, [{ auctionId, ...answer, settledUpTo: upTo, settles: null }]);
    }
    const oldest = this.reservations.oldestOutstanding();
    const silence = this.reservations.longestSilence();
    const due = [
      oldest === null ? null : oldest + ORPHAN_AFTER_MS,
      silence === null ? null : silence + RECHECK_AFTER_MS,
    ].filter((at): at is number => at !== null);
    if (due.length > 0)
      this.scheduler.set(SWEEP, Math.max(Math.min(...due), now + 1_000), { payload: userId });
  }

  private withdrawalDone(withdrawalId: string, applied: boolean): WithdrawalDone {
    const hold = this.store.hold(withdrawalId);
    if (!hold) throw new Error(`wallet: withdrawal ${withdrawalId} vanished`);
    return {
      ok: true,
      applied,
      status: withdrawalStatus(hold),
      amount: hold.amount,
      currency: hold.currency,
    };
  }

  private topUpDecided(userId: string, topUp: TopUpRequest, type: TopUpEventType): Decided {
    const status = type === "wallet.top_up_succeeded" ? "succeeded" : "failed";
    return {
      events: (seq, now) => [topUpEventRow(userId, type, topUp, seq, now)],
      also: () => this.store.saveTopUpOutcome(topUp.topUpId, status, this.clock()),
    };
  }

  /**
   * One money change in one storage transaction: the rule decides on the stored balance; its
   * transfers are checked against the stored ones (a replay writes nothing, a reused id with other
   * figures is refused); then everything it returned is written, with `decided`'s events.
   */
  private change(
    userId: string,
    currency: string,
    decide: (balance: Balance) => MoneyResult | HoldResult,
    decided: Decided = {},
  ): Done | WalletRefusal {
    const now = this.clock();
    const result = this.store.transaction((): Done | WalletRefusal => {
      const balance = this.store.balance(userId, currency);
      const outcome = decide(balance);
      if (!outcome.ok) return refusalOf(outcome);
      if (outcome.transfers.length === 0) return { ok: true, applied: false, balance: balanceView(balance) };
      const replay = classifyReplay(outcome.transfers, (id) => this.store.transfer(id));
      if (replay.kind === "duplicate") return { ok: true, applied: false, balance: balanceView(balance) };
      if (replay.kind === "conflict")
        return { ok: false, code: "TRANSFER_CONFLICT", transferId: replay.transferId };
      this.written(userId, outcome, now);
      decided.also?.();
      this.appendEvents(decided, now);
      return { ok: true, applied: true, balance: balanceView(outcome.balance) };
    });
    if (result.ok && result.applied && decided.events) this.publish();
    return result;
  }

  /**
   * Writes what a rule returned (inside the caller's transaction) and queues its transfers for the
   * broker's D1 ledger, published by the "ledger.flush" schedule off the caller's path.
   */
  private written(userId: string, outcome: Parameters<WalletStorage["write"]>[0], now: number): void {
    this.store.write(outcome, now);
    if (outcome.transfers.length === 0) return;
    this.ledgerQueue.add(outcome.transfers);
    // A transfer with another side (a room's escrow, external) leaves at once, so that side is
    // never reported missing once the queue has drained; this wallet's own moves (a hold, a void)
    // wait to leave together. One flush row covers every waiting transfer.
    const own = userAccountPrefix(userId);
    const withOthers = outcome.transfers.some((t) => !t.debit.startsWith(own) || !t.credit.startsWith(own));
    const due = withOthers ? now : now + this.ledgerFlushMs;
    const scheduled = this.scheduler.get(LEDGER_FLUSH);
    if (scheduled && scheduled.dueAt <= due) return;
    this.scheduler.set(LEDGER_FLUSH, due, { payload: userId });
    this.ctx.waitUntil(this.scheduler.wake());
  }

  /**
   * Hands every waiting transfer to the broker's D1 ledger as one `wallet.ledger` event (the
   * alarm's turn, ledgerFlushMs after the first of them; tests call it to drain a wallet at once).
   */
  async flushLedger(userId: string): Promise<void> {
    const now = this.clock();
    const appended = this.store.transaction(() => {
      const transfers = this.ledgerQueue.takeAll();
      if (transfers.length === 0) return false;
      this.outbox.append([ledgerEventRow(userId, transfers, this.outbox.storage.nextSeq(), now)], now);
      return true;
    });
    if (appended) await this.outbox.publish();
  }

  private appendEvents(decided: Decided, now: number): void {
    if (!decided.events) return;
    this.outbox.append(decided.events(this.outbox.storage.nextSeq(), now), now);
  }

  private publish(): void {
    this.ctx.waitUntil(this.scheduler.wake());
    this.ctx.waitUntil(this.outbox.publish());
  }
}

function refusalOf(refusal: Extract<MoneyResult | HoldResult, { ok: false }>): WalletRefusal {
  switch (refusal.code) {
    case "INSUFFICIENT_FUNDS":
    case "INVALID_AMOUNT":
    case "BALANCE_LIMIT":
      return refusal;
    default:
      // Pending payouts and hold limits are not touched by any call of this object yet.
      throw new Error(`wallet: unexpected refusal ${refusal.code}`);
  }
}
