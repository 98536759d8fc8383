/**
 * Replies to requests that carried an Idempotency-Key (SPEC §2), kept in the object's SQLite so a
 * retry gets the first reply byte for byte. Each reply is stored with a hash of its request: the
 * same key with a different request is refused (IDEMPOTENCY_KEY_REUSED), never answered with a
 * reply to something else. The caller chooses what to keep (a success; a refusal wrote nothing and
 * is re-evaluated) and saves it in the same transaction as the change it answers.
 *
 * With a scheduler, the store prunes itself: a "replies.prune" schedule is due when the oldest
 * reply falls out of retention, and pruning waits at least `pruneEveryMs` for the next one, so a
 * steady stream of keys costs one wake-up per interval, not one per key.
 */
import type { AlarmScheduler } from "./alarm-scheduler";

/** The table, for an object's schema step (the AuctionRoom's version 1 created the same one). */
export const IDEMPOTENT_REPLIES_TABLE: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS idempotent_replies (
    key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, reply TEXT NOT NULL, created_at INTEGER NOT NULL)`,
  "CREATE INDEX IF NOT EXISTS idempotent_replies_created ON idempotent_replies (created_at)",
];

export interface KeyReused {
  ok: false;
  code: "IDEMPOTENCY_KEY_REUSED";
  detail: string;
}

export interface IdempotentRepliesOptions {
  /** How long a reply is kept (at least 24 h by SPEC §2). */
  retentionMs: number;
  /** Schedules pruning when given (see above). */
  scheduler?: AlarmScheduler;
  /** The shortest wait between two prunes; default 1 h. */
  pruneEveryMs?: number;
}

const PRUNE = "replies.prune";

export class IdempotentReplies {
  constructor(
    private readonly sql: SqlStorage,
    private readonly options: IdempotentRepliesOptions,
  ) {
    const scheduler = options.scheduler;
    scheduler?.handle(PRUNE, () => {
      const now = scheduler.now();
      this.prune(now);
      this.schedulePrune(now + (options.pruneEveryMs ?? 3_600_000));
    });
  }

  /** The reply saved under `key`, a refusal when it answered another request, or null. */
  find(key: string, requestHash: string): { reply: string } | KeyReused | null {
    const row = this.sql
      .exec<{ request_hash: string; reply: string }>(
        "SELECT request_hash, reply FROM idempotent_replies WHERE key = ?",
        key,
      )
      .toArray()[0];
    if (!row) return null;
    if (row.request_hash !== requestHash) {
      return {
        ok: false,
        code: "IDEMPOTENCY_KEY_REUSED",
        detail: "This Idempotency-Key was already used with a different request body.",
      };
    }
    return { reply: row.reply };
  }

  /** Call inside the transaction that makes the change the reply describes. */
  save(key: string, requestHash: string, reply: string, now: number): void {
    this.sql.exec(
      "INSERT INTO idempotent_replies (key, request_hash, reply, created_at) VALUES (?, ?, ?, ?)",
      key,
      requestHash,
      reply,
      now,
    );
    this.options.scheduler?.set(PRUNE, now + this.options.retentionMs + 1, { keepEarlier: true });
  }

  /**
   * Sets the prune schedule from the table: when the oldest reply expires, but not before
   * `earliest`; none when no reply is kept.
   */
  schedulePrune(earliest: number): void {
    const scheduler = this.options.scheduler;
    if (!scheduler) return;
    const at = this.oldestExpiresAt();
    if (at === null) scheduler.cancel(PRUNE);
    else scheduler.set(PRUNE, Math.max(at, earliest));
  }

  /** Forgets replies older than the retention. */
  prune(now: number): void {
    this.sql.exec("DELETE FROM idempotent_replies WHERE created_at < ?", now - this.options.retentionMs);
  }

  /** The first moment the oldest kept reply may be pruned; null when none is kept. */
  oldestExpiresAt(): number | null {
    const oldest = this.sql
      .exec<{ at: number | null }>("SELECT MIN(created_at) AS at FROM idempotent_replies")
      .one().at;
    return oldest === null ? null : oldest + this.options.retentionMs + 1;
  }
}
