import type { AlarmScheduler } from "./alarm-scheduler";
import { publishBatches } from "./outbox-rules";
import { type OutboxRow, OutboxStorage, type UnconfirmedRow } from "./outbox-storage";

/**
 * A Durable Object's outbox (SPEC §1: every change and its events commit in one transaction;
 * events are never lost, even when the queue loses a message). The object supplies only the
 * event bodies; the outbox
 * - appends them in the change's transaction, with a wake-up `retryAfterMs` later in case the
 *   publish that follows the commit fails or the object dies first;
 * - publishes them after the commit, oldest first, in batches the queue accepts, one publisher
 *   at a time;
 * - keeps each event until the broker confirms it (`confirm`), and sends an unconfirmed one again
 *   on the backoff of outbox-rules.ts;
 * - keeps the last `keep` confirmed events as the object's replay log.
 * Its two schedules are "outbox.publish" and "outbox.redeliver" (kit/alarm-scheduler.ts).
 */

const PUBLISH = "outbox.publish";
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
  /** How soon a failed publish or resend is tried again. */
  retryAfterMs: number;
  /** Fields that say whose outbox a log line is about. */
  logFields?: () => Record<string, unknown>;
}

export class Outbox {
  readonly storage: OutboxStorage;
  private publishing: Promise<void> | null = null;
  private redelivering: Promise<void> | null = null;

  constructor(
    sql: SqlStorage,
    private readonly options: OutboxOptions,
  ) {
    this.storage = new OutboxStorage(sql);
    const { scheduler, clock, retryAfterMs } = options;
    scheduler.handle(PUBLISH, async () => {
      await this.publish();
      this.schedule(clock() + retryAfterMs);
    });
    scheduler.handle(REDELIVER, async () => {
      await this.redeliver();
      this.schedule(clock() + retryAfterMs);
    });
  }

  /** Appends events (numbered from storage.nextSeq()); call inside the change's transaction. */
  append(rows: readonly OutboxRow[], now: number): void {
    if (rows.length === 0) return;
    for (const row of rows) this.storage.insert(row.seq, row.type, row.body, now);
    this.options.scheduler.set(PUBLISH, now + this.options.retryAfterMs, { keepEarlier: true });
  }

  /** The broker wrote these events' effects: they need not be sent again. */
  confirm(seqs: readonly number[]): void {
    this.storage.confirm(seqs, this.options.clock());
  }

  /**
   * Sets the outbox's schedules from its table, none earlier than `earliest`: publish what is
   * still unpublished, send again what the broker has not confirmed in time.
   */
  schedule(earliest: number): void {
    const { scheduler } = this.options;
    if (this.storage.hasUnpublished()) scheduler.set(PUBLISH, earliest);
    else scheduler.cancel(PUBLISH);
    const redeliverAt = this.storage.nextRedeliveryAt();
    if (redeliverAt === null) scheduler.cancel(REDELIVER);
    else scheduler.set(REDELIVER, Math.max(redeliverAt, earliest));
  }

  /**
   * Sends unpublished events to the queue, oldest first; one publisher at a time. The promise is
   * stored before the drain can finish, and cleared in `finally` (a later microtask): a drain that
   * completes without awaiting must not leave a settled promise behind that blocks every later one.
   */
  publish(): Promise<void> {
    if (!this.publishing) {
      this.publishing = this.drainUnpublished().finally(() => {
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

  private async drainUnpublished(): Promise<void> {
    try {
      for (;;) {
        const rows = this.storage.unpublished(READ_LIMIT);
        if (rows.length === 0) break;
        for (const batch of publishBatches(rows)) {
          await this.send(batch);
          this.storage.markPublishedThrough(batch.at(-1)?.seq ?? 0, this.options.clock());
        }
      }
      this.storage.prune(this.options.keep);
    } catch (error) {
      // The events stay in the outbox; the "outbox.publish" schedule tries again.
      this.log("outbox publish failed", { error: String(error) });
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
