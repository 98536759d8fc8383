import { redeliveryDelayMs, seqRuns } from "./outbox-rules";

/**
 * The outbox table (kit/outbox.ts): one row per event, written in the transaction of the change
 * it describes, numbered by `seq` without gaps. The same rows are the object's replay log.
 * `published_at` = last handed to the queue (the first time: the commit, since the outbox sends
 * right after it); `publish_count` = how often; `redeliver_at` = when to send it again if still
 * unconfirmed; `confirmed_at` = the broker wrote its effects.
 */
export const OUTBOX_TABLE: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL,
    published_at INTEGER, confirmed_at INTEGER, publish_count INTEGER NOT NULL DEFAULT 0,
    redeliver_at INTEGER)`,
  "CREATE INDEX IF NOT EXISTS events_unconfirmed ON events (redeliver_at) WHERE confirmed_at IS NULL",
];

/**
 * A schema step for objects from before events counted as sent at their commit: an event still
 * waiting for its first send becomes due for redelivery, which sends it at the next alarm; the
 * index of unsent events has nothing left to find.
 */
export const OUTBOX_SENT_AT_COMMIT: readonly string[] = [
  "UPDATE events SET published_at = created_at, publish_count = 1, redeliver_at = created_at WHERE published_at IS NULL",
  "DROP INDEX IF EXISTS events_unpublished",
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

  /**
   * A new event, counted as sent once: the outbox hands it to the queue right after this commit,
   * without writing again; should that send never happen (the object died first, the queue
   * refused), the event is simply due for redelivery at `redeliver_at`, which it returns.
   */
  insert(seq: number, type: string, body: string, now: number): number {
    const redeliverAt = now + redeliveryDelayMs(1);
    this.sql.exec(
      `INSERT INTO events (seq, type, body, created_at, published_at, publish_count, redeliver_at)
       VALUES (?1, ?2, ?3, ?4, ?4, 1, ?5)`,
      seq,
      type,
      body,
      now,
      redeliverAt,
    );
    return redeliverAt;
  }

  /** Events after `seq`, oldest first (the ones committed since the outbox last sent). */
  after(seq: number, limit: number): OutboxRow[] {
    return this.sql
      .exec<OutboxRow>("SELECT seq, type, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?", seq, limit)
      .toArray();
  }

  /** A send failed: these events (still unconfirmed) are due again at `at`, sooner than usual. */
  redeliverAt(seqs: readonly number[], at: number): void {
    this.setWhileUnconfirmed("redeliver_at", at, seqs);
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
    this.setWhileUnconfirmed("confirmed_at", now, seqs);
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

  /**
   * Sets one column of the given events that the broker has not confirmed. A key range per run of
   * consecutive seqs (a queue batch is usually one run), not a statement per seq; and not
   * `seq IN (SELECT value FROM json_each(?))`, which made SQLite scan the whole log (a room keeps
   * 2,000 events) every time.
   */
  private setWhileUnconfirmed(
    column: "confirmed_at" | "redeliver_at",
    value: number,
    seqs: readonly number[],
  ): void {
    for (const [first, last] of seqRuns(seqs)) {
      this.sql.exec(
        `UPDATE events SET ${column} = ? WHERE seq BETWEEN ? AND ? AND confirmed_at IS NULL`,
        value,
        first,
        last,
      );
    }
  }
}
