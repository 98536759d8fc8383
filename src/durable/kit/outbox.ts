import type { AlarmScheduler } from "./alarm-scheduler";
import { publishBatches } from "./outbox-rules";
import { type OutboxRow, OutboxStorage, type UnconfirmedRow } from "./outbox-storage";

/**
 * A Durable Object's outbox (SPEC §1: every change and its events commit in one transaction;
 * events are never lost, even when the queue loses a message). The object supplies only the
 * event bodies; the outbox
 * - appends them in the change's transaction, counted as sent and due for redelivery
 *   REDELIVERY_AFTER_MS later (outbox-rules.ts) unless confirmed (one "outbox.redeliver" schedule covers them all);
 * - sends them right after the commit, oldest first, in batches the queue accepts, one sender at
 *   a time — without writing again: a second write per publish would cost a commit of its own,
 *   and the redelivery already covers a send that never happened (the object died first) or
 *   failed (then brought forward to `retryAfterMs`);
 * - keeps each event until the broker confirms it (`confirm`), and sends an unconfirmed one again
 *   on the backoff of outbox-rules.ts;
 * - keeps the last `keep` confirmed events as the object's replay log.
 */

const REDELIVER = "outbox.redeliver";
/** Events per read; publishBatches then cuts them to what one sendBatch takes. */
const READ_LIMIT = 100;

export interface OutboxOptions {
  scheduler: AlarmScheduler;
  clock: () => number;
  /** Hands the events' stored JSON text to the queue, as is (one sendBatch). */
  send: (bodies: string[]) => Promise<void>;
  /** Confirmed events kept for replay. */
  keep: number;
  /** How soon a failed send or resend is tried again. */
  retryAfterMs: number;
  /** Fields that say whose outbox a log line is about. */
  logFields?: () => Record<string, unknown>;
}

export class Outbox {
  readonly storage: OutboxStorage;
  private publishing: Promise<void> | null = null;
  private redelivering: Promise<void> | null = null;
  /**
   * The newest seq this instance has sent (or left to redelivery); null until its first append.
   * Events an earlier instance committed but never sent are redelivery's, not the publisher's.
   */
  private sentThrough: number | null = null;

  constructor(
    sql: SqlStorage,
    private readonly options: OutboxOptions,
  ) {
    this.storage = new OutboxStorage(sql);
    const { scheduler, clock, retryAfterMs } = options;
    scheduler.handle(REDELIVER, async () => {
      await this.redeliver();
      this.schedule(clock() + retryAfterMs);
    });
  }

  /** Appends events (numbered from storage.nextSeq()); call inside the change's transaction. */
  append(rows: readonly OutboxRow[], now: number): void {
    const first = rows[0];
    if (!first) return;
    this.sentThrough ??= first.seq - 1;
    let redeliverAt = now;
    for (const row of rows) redeliverAt = this.storage.insert(row.seq, row.type, row.body, now);
    this.options.scheduler.set(REDELIVER, redeliverAt, { keepEarlier: true });
  }

  /** The broker wrote these events' effects: they need not be sent again; the log is trimmed. */
  confirm(seqs: readonly number[]): void {
    this.storage.confirm(seqs, this.options.clock());
    this.storage.prune(this.options.keep);
  }

  /** Sets the outbox's schedule from its table, none earlier than `earliest`. */
  schedule(earliest: number): void {
    const { scheduler } = this.options;
    const redeliverAt = this.storage.nextRedeliveryAt();
    if (redeliverAt === null) scheduler.cancel(REDELIVER);
    else scheduler.set(REDELIVER, Math.max(redeliverAt, earliest));
  }

  /**
   * Sends the events committed since the last send, oldest first; one sender at a time. Call
   * after the commit. The promise is stored before the drain can finish, and cleared in `finally`
   * (a later microtask): a drain that completes without awaiting must not leave a settled promise
   * behind that blocks every later one.
   */
  publish(): Promise<void> {
    if (!this.publishing) {
      this.publishing = this.drainNew().finally(() => {
        this.publishing = null;
      });
    }
    return this.publishing;
  }

  /**
   * Sends again, oldest first, the events the queue took but the broker has not confirmed within
   * their redelivery time: the queue may have lost them (a local queue keeps messages in memory).
   * The broker is idempotent, so an event that was only slow is written once all the same.
   */
  redeliver(): Promise<void> {
    if (!this.redelivering) {
      this.redelivering = this.drainUnconfirmed().finally(() => {
        this.redelivering = null;
      });
    }
    return this.redelivering;
  }

  private async drainNew(): Promise<void> {
    for (;;) {
      if (this.sentThrough === null) return;
      const rows = this.storage.after(this.sentThrough, READ_LIMIT);
      const last = rows.at(-1);
      if (!last) return;
      this.sentThrough = last.seq;
      for (const batch of publishBatches(rows)) {
        try {
          await this.send(batch);
        } catch (error) {
          // The events stay in the outbox, due again soon rather than after the usual wait.
          this.log("outbox publish failed", { error: String(error) });
          const at = this.options.clock() + this.options.retryAfterMs;
          this.storage.redeliverAt(
            batch.map((row) => row.seq),
            at,
          );
          this.options.scheduler.set(REDELIVER, at, { keepEarlier: true });
          await this.options.scheduler.wake();
        }
      }
    }
  }

  private async drainUnconfirmed(): Promise<void> {
    const startedAt = this.options.clock();
    let resent = 0;
    try {
      for (;;) {
        // Each send moves the rows' redeliver_at past startedAt, so this loop ends.
        const rows = this.storage.dueForRedelivery(startedAt, READ_LIMIT);
        if (rows.length === 0) break;
        for (const batch of publishBatches<UnconfirmedRow>(rows)) {
          await this.send(batch);
          this.storage.markRedelivered(batch, this.options.clock());
          resent += batch.length;
        }
      }
    } catch (error) {
      // Still due: the "outbox.redeliver" schedule tries again.
      this.log("redelivery failed", { error: String(error) });
    }
    // The crash suite (test/reliability) counts resent events from this line.
    if (resent > 0) this.log("sent unconfirmed events again", { count: resent }, console.warn);
  }

  /**
   * The stored JSON text goes out as is: parsing it only for the queue to serialise it again was
   * the costliest step of publishing. The broker parses (and validates) it once.
   */
  private send(rows: readonly OutboxRow[]): Promise<void> {
    return this.options.send(rows.map((row) => row.body));
  }

  private log(message: string, fields: Record<string, unknown>, write = console.error): void {
    write(JSON.stringify({ level: "warn", message, ...this.options.logFields?.(), ...fields }));
  }
}
