import { SCHEDULES_TABLE } from "../kit/alarm-scheduler";
import { OUTBOX_SENT_AT_COMMIT } from "../kit/outbox-storage";
import { readMeta, type SchemaStep, SqliteSchema, writeMeta } from "../kit/schema";
import type { AuctionState } from "./state";

/** The AuctionRoom's SQLite schema, step by step (kit/schema.ts runs it). */
const SCHEMA: SchemaStep[] = [
  {
    version: 1,
    statements: [
      "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
      // Public bid history; `seq` orders it.
      `CREATE TABLE IF NOT EXISTS bids (
      seq INTEGER PRIMARY KEY, bidder_id TEXT NOT NULL, amount INTEGER NOT NULL,
      kind TEXT NOT NULL, placed_at INTEGER NOT NULL)`,
      // One row per bidder: their stable anonymised handle number.
      `CREATE TABLE IF NOT EXISTS bidders (
      user_id TEXT PRIMARY KEY, handle_no INTEGER NOT NULL UNIQUE, first_bid_at INTEGER NOT NULL)`,
      // Replies to requests that carried an Idempotency-Key, replayed on retry.
      `CREATE TABLE IF NOT EXISTS idempotent_replies (
      key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, reply TEXT NOT NULL, created_at INTEGER NOT NULL)`,
      "CREATE INDEX IF NOT EXISTS idempotent_replies_created ON idempotent_replies (created_at)",
      // Outbox and replay log in one: written with the state change, published to the queue after commit.
      `CREATE TABLE IF NOT EXISTS events (
      seq INTEGER PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL,
      created_at INTEGER NOT NULL, published_at INTEGER)`,
      "CREATE INDEX IF NOT EXISTS events_unpublished ON events (seq) WHERE published_at IS NULL",
    ],
  },
  // Events stay in the outbox until the broker confirms it wrote them (SPEC §1: never lost, even
  // when the queue loses a message). `published_at` = last handed to the queue; `publish_count` =
  // how often; `redeliver_at` = when to send it again if still unconfirmed; `confirmed_at` = the
  // broker wrote its effects. Events published before this step count as confirmed.
  {
    version: 2,
    statements: [
      "ALTER TABLE events ADD COLUMN confirmed_at INTEGER",
      "ALTER TABLE events ADD COLUMN publish_count INTEGER NOT NULL DEFAULT 0",
      "ALTER TABLE events ADD COLUMN redeliver_at INTEGER",
      "UPDATE events SET confirmed_at = published_at, publish_count = 1 WHERE published_at IS NOT NULL",
      "CREATE INDEX IF NOT EXISTS events_unconfirmed ON events (redeliver_at) WHERE confirmed_at IS NULL",
    ],
  },
  // Every wake-up is a row (kit/alarm-scheduler.ts). A room from before this step gets its rows
  // from its next alarm, which derives them all again (AuctionRoom.alarm).
  { version: 3, statements: SCHEDULES_TABLE },
  // Funds to bid (SPEC §8): per bidder, the newest wallet reservation this auction has settled
  // (adopted with a bid, or released when the wallet asked). An older one is never adopted again.
  {
    version: 4,
    statements: [
      "CREATE TABLE IF NOT EXISTS settled_reservations (user_id TEXT PRIMARY KEY, up_to INTEGER NOT NULL)",
    ],
  },
  // Orders (SPEC §8): each sale of the item, and the room's side of their money (order-storage.ts).
  {
    version: 5,
    statements: [
      "CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, body TEXT NOT NULL, opened_at INTEGER NOT NULL)",
      `CREATE TABLE IF NOT EXISTS ledger (transfer_id TEXT PRIMARY KEY, kind TEXT NOT NULL, debit TEXT NOT NULL,
        credit TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL, created_at INTEGER NOT NULL)`,
    ],
  },
  // Second-chance offers (offer-storage.ts): a bidder is offered the item at most once.
  {
    version: 6,
    statements: [
      `CREATE TABLE IF NOT EXISTS second_chance_offers (
        number INTEGER PRIMARY KEY, bidder_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)`,
    ],
  },
  // Events count as sent at their commit (kit/outbox.ts); one still waiting for its first send
  // is due for redelivery, which sends it at the next alarm.
  { version: 7, statements: OUTBOX_SENT_AT_COMMIT },
];

export interface BidRow {
  seq: number;
  bidderId: string;
  amount: number;
  kind: "manual" | "proxy";
  placedAt: number;
}

export class RoomStorage {
  private readonly sql: SqlStorage;
  /**
   * The state row, parsed once and kept: only this object writes it, every write goes through
   * saveState, and a failed transaction drops it. (undefined = not read yet.)
   */
  private cachedState: AuctionState | null | undefined = undefined;

  private readonly schema: SqliteSchema;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.schema = new SqliteSchema(storage, SCHEMA);
  }

  /** A synchronous storage transaction; on failure the cached state is dropped with the writes. */
  transaction<T>(body: () => T): T {
    try {
      return this.storage.transactionSync(body);
    } catch (error) {
      this.cachedState = undefined;
      throw error;
    }
  }

  migrate(): void {
    this.schema.ensure();
  }

  getMeta(key: string): string | null {
    return readMeta(this.sql, key);
  }

  setMeta(key: string, value: string): void {
    writeMeta(this.sql, key, value);
  }

  /** The auction's state. Callers treat it as immutable and save a changed copy. */
  loadState(): AuctionState | null {
    if (this.cachedState === undefined) {
      const raw = this.getMeta("state");
      // Written only by this class from a typed value, so the shape is ours.
      this.cachedState = raw === null ? null : (JSON.parse(raw) as AuctionState);
    }
    return this.cachedState;
  }

  saveState(state: AuctionState): void {
    this.setMeta("state", JSON.stringify(state));
    this.cachedState = state;
  }

  nextBidSeq(): number {
    const row = this.sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM bids").one();
    return (row.seq ?? 0) + 1;
  }

  insertBid(bid: BidRow): void {
    this.sql.exec(
      "INSERT INTO bids (seq, bidder_id, amount, kind, placed_at) VALUES (?, ?, ?, ?, ?)",
      bid.seq,
      bid.bidderId,
      bid.amount,
      bid.kind,
      bid.placedAt,
    );
  }

  /**
   * Appends a bid's public history entries (the bidder's own and any automatic proxy bids), in
   * order, registering each bidder's handle; returns the rows as written, each with its bidder's
   * handle number.
   */
  insertHistory(
    entries: readonly Pick<BidRow, "bidderId" | "amount" | "kind">[],
    now: number,
  ): (BidRow & { handleNo: number })[] {
    const first = this.nextBidSeq();
    return entries.map((entry, i) => {
      const handleNo = this.handleNumber(entry.bidderId, now);
      const row = {
        seq: first + i,
        bidderId: entry.bidderId,
        amount: entry.amount,
        kind: entry.kind,
        placedAt: now,
      };
      this.insertBid(row);
      return { ...row, handleNo };
    });
  }

  /** Newest first, `before` = the seq to continue below (cursor). */
  listBids(limit: number, before: number | null): BidRow[] {
    return this.sql
      .exec<{ seq: number; bidder_id: string; amount: number; kind: string; placed_at: number }>(
        "SELECT seq, bidder_id, amount, kind, placed_at FROM bids WHERE seq < ? ORDER BY seq DESC LIMIT ?",
        before ?? Number.MAX_SAFE_INTEGER,
        limit,
      )
      .toArray()
      .map((r) => ({
        seq: r.seq,
        bidderId: r.bidder_id,
        amount: r.amount,
        kind: r.kind === "proxy" ? "proxy" : "manual",
        placedAt: r.placed_at,
      }));
  }

  /** The bidder's handle number, registering them on their first bid. */
  handleNumber(userId: string, now: number): number {
    const existing = this.sql
      .exec<{ handle_no: number }>("SELECT handle_no FROM bidders WHERE user_id = ?", userId)
      .toArray()[0];
    if (existing) return existing.handle_no;
    const next = this.sql.exec<{ n: number | null }>("SELECT MAX(handle_no) AS n FROM bidders").one().n ?? 0;
    this.sql.exec(
      "INSERT INTO bidders (user_id, handle_no, first_bid_at) VALUES (?, ?, ?)",
      userId,
      next + 1,
      now,
    );
    return next + 1;
  }

  findHandleNumber(userId: string): number | null {
    return (
      this.sql
        .exec<{ handle_no: number }>("SELECT handle_no FROM bidders WHERE user_id = ?", userId)
        .toArray()[0]?.handle_no ?? null
    );
  }

  /** Who bid under the handle number, or null. */
  bidderWithHandle(handleNo: number): string | null {
    return (
      this.sql
        .exec<{ user_id: string }>("SELECT user_id FROM bidders WHERE handle_no = ?", handleNo)
        .toArray()[0]?.user_id ?? null
    );
  }

  /** The bidder's highest amount in the public history (manual or proxy), or null without one. */
  highestBid(userId: string): number | null {
    return this.sql
      .exec<{ amount: number | null }>("SELECT MAX(amount) AS amount FROM bids WHERE bidder_id = ?", userId)
      .one().amount;
  }

  handleNumbers(userIds: string[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const id of new Set(userIds)) {
      const n = this.findHandleNumber(id);
      if (n !== null) out.set(id, n);
    }
    return out;
  }

  /** The newest reservation of `userId`'s this auction settled, or null. */
  settledUpTo(userId: string): number | null {
    const row = this.sql
      .exec<{ up_to: number }>("SELECT up_to FROM settled_reservations WHERE user_id = ?", userId)
      .toArray()[0];
    return row?.up_to ?? null;
  }

  /** Counts every reservation of `userId`'s up to `upTo` as settled (never moves back). */
  settleReservations(userId: string, upTo: number): void {
    this.sql.exec(
      `INSERT INTO settled_reservations (user_id, up_to) VALUES (?, ?)
       ON CONFLICT(user_id) DO UPDATE SET up_to = MAX(up_to, excluded.up_to)`,
      userId,
      upTo,
    );
  }

  bidderIds(): string[] {
    return this.sql
      .exec<{ user_id: string }>("SELECT user_id FROM bidders ORDER BY handle_no")
      .toArray()
      .map((r) => r.user_id);
  }
}
