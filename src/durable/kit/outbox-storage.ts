import { REDELIVERY_AFTER_MS, redeliveryDelayMs } from "./outbox-rules";

/**
 * The outbox table (kit/outbox.ts): one row per event, written in the transaction of the change
 * it describes, numbered by `seq` without gaps. The same rows are the object's replay log.
 * `published_at` = last handed to the queue; `publish_count` = how often; `redeliver_at` = when
 * to send it again if still unconfirmed; `confirmed_at` = the broker wrote its effects.
 */
export const OUTBOX_TABLE: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL,
    published_at INTEGER, confirmed_at INTEGER, publish_count INTEGER NOT NULL DEFAULT 0,
    redeliver_at INTEGER)`,
  "CREATE INDEX IF NOT EXISTS events_unpublished ON events (seq) WHERE published_at IS NULL",
  "CREATE INDEX IF NOT EXISTS events_unconfirmed ON events (redeliver_at) WHERE confirmed_at IS NULL",
];

// A type alias (not an interface) so it satisfies SqlStorage's row constraint.
export type OutboxRow = {
  seq: number;
  type: string;
  body: string;
};

/** A published event the broker has not confirmed, with how often it has been sent. */
export type UnconfirmedRow = OutboxRow & { publishCount: number };

export class OutboxStorage {
  constructor(private readonly sql: SqlStorage) {}

  /** The seq the next event gets. */
  nextSeq(): number {
    return this.latestSeq() + 1;
  }

  /** The newest event's seq, 0 before the first. */
  latestSeq(): number {
    return this.sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events").one().seq ?? 0;
  }

  insert(seq: number, type: string, body: string, now: number): void {
    this.sql.exec(
      "INSERT INTO events (seq, type, body, created_at) VALUES (?, ?, ?, ?)",
      seq,
      type,
      body,
      now,
    );
  }

  unpublished(limit: number): OutboxRow[] {
    return this.sql
      .exec<OutboxRow>(
        "SELECT seq, type, body FROM events WHERE published_at IS NULL ORDER BY seq LIMIT ?",
        limit,
      )
      .toArray();
  }

  hasUnpublished(): boolean {
    return this.sql.exec("SELECT 1 FROM events WHERE published_at IS NULL LIMIT 1").toArray().length > 0;
  }

  /**
   * Marks every unpublished event up to `seq` as published, to be sent again if unconfirmed
   * after REDELIVERY_AFTER_MS. Events are published strictly in seq order, so the unpublished
   * ones are always the newest: one range update covers a whole batch.
   */
  markPublishedThrough(seq: number, now: number): void {
    this.sql.exec(
      `UPDATE events SET published_at = ?1, publish_count = publish_count + 1, redeliver_at = ?1 + ?2
       WHERE seq <= ?3 AND published_at IS NULL`,
      now,
      REDELIVERY_AFTER_MS,
      seq,
    );
  }

  /** Published, unconfirmed events whose time to be sent again has come, oldest first. */
  dueForRedelivery(now: number, limit: number): UnconfirmedRow[] {
    return this.sql
      .exec<OutboxRow & { publish_count: number }>(
        `SELECT seq, type, body, publish_count FROM events
         WHERE confirmed_at IS NULL AND redeliver_at <= ? ORDER BY seq LIMIT ?`,
        now,
        limit,
      )
      .toArray()
      .map(({ publish_count, ...row }) => ({ ...row, publishCount: publish_count }));
  }

  /** Records that these events were sent again; each waits longer than the last time. */
  markRedelivered(rows: readonly UnconfirmedRow[], now: number): void {
    for (const row of rows) {
      const count = row.publishCount + 1;
      this.sql.exec(
        "UPDATE events SET published_at = ?, publish_count = ?, redeliver_at = ? WHERE seq = ?",
        now,
        count,
        now + redeliveryDelayMs(count),
        row.seq,
      );
    }
  }

  /** When the next unconfirmed event is due to be sent again; null when every sent event is confirmed. */
  nextRedeliveryAt(): number | null {
    return this.sql
      .exec<{ at: number | null }>("SELECT MIN(redeliver_at) AS at FROM events WHERE confirmed_at IS NULL")
      .one().at;
  }

  /**
   * The broker wrote these events' effects. Specific seqs, not "up to N": an earlier event may be
   * the one the queue lost. A repeated confirmation keeps the first time.
   */
  confirm(seqs: readonly number[], now: number): void {
    this.sql.exec(
      `UPDATE events SET confirmed_at = ?
       WHERE seq IN (SELECT value FROM json_each(?)) AND confirmed_at IS NULL`,
      now,
      JSON.stringify(seqs),
    );
  }

  /**
   * Events after `since`, oldest first; null when the log no longer holds all of them (pruned,
   * or a hole left where older confirmed events were pruned around a kept unconfirmed one).
   */
  since(since: number): OutboxRow[] | null {
    const newest = this.sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events").one().seq;
    if (newest === null) return null;
    const rows = this.sql
      .exec<OutboxRow>("SELECT seq, type, body FROM events WHERE seq > ? ORDER BY seq", since)
      .toArray();
    return rows.length === newest - since ? rows : null;
  }

  /**
   * Keeps the last `keep` events for replay; never drops one the broker has not confirmed (nor,
   * therefore, one not yet published).
   */
  prune(keep: number): void {
    this.sql.exec(
      "DELETE FROM events WHERE confirmed_at IS NOT NULL AND seq <= (SELECT MAX(seq) FROM events) - ?",
      keep,
    );
  }
}
