import { SCHEDULES_TABLE } from "../kit/alarm-scheduler";
import { OUTBOX_SENT_AT_COMMIT, OUTBOX_TABLE } from "../kit/outbox-storage";
import { type SchemaStep, SqliteSchema } from "../kit/schema";
import type {
  AccountName,
  Balance,
  Entry,
  Hold,
  HoldPurpose,
  HoldStatus,
  Transfer,
  TransferKind,
} from "../money";
import { emptyBalance } from "../money";

/**
 * The Wallet's SQLite schema (kit/schema.ts runs it). Transfers are unique on id, entries are
 * append-only: together they are the ledger the money rules (durable/money) write into.
 */
const SCHEMA: SchemaStep[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE balances (currency TEXT PRIMARY KEY, available INTEGER NOT NULL,
        held INTEGER NOT NULL, pending_payout INTEGER NOT NULL)`,
      `CREATE TABLE holds (id TEXT PRIMARY KEY, purpose TEXT NOT NULL, auction_id TEXT, currency TEXT NOT NULL,
        amount INTEGER NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL, created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL, expires_at INTEGER)`,
      "CREATE INDEX holds_active ON holds (status) WHERE status = 'active'",
      `CREATE TABLE transfers (id TEXT PRIMARY KEY, kind TEXT NOT NULL, debit TEXT NOT NULL, credit TEXT NOT NULL,
        amount INTEGER NOT NULL, currency TEXT NOT NULL, auction_id TEXT, hold_id TEXT, created_at INTEGER NOT NULL)`,
      `CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, transfer_id TEXT NOT NULL, currency TEXT NOT NULL,
        account TEXT NOT NULL, amount INTEGER NOT NULL, balance_after INTEGER NOT NULL, created_at INTEGER NOT NULL)`,
      // A top-up's outcome, decided once: a failed one is never credited, a credited one never fails.
      "CREATE TABLE top_up_outcomes (top_up_id TEXT PRIMARY KEY, status TEXT NOT NULL, decided_at INTEGER NOT NULL)",
      ...OUTBOX_TABLE,
      ...SCHEDULES_TABLE,
    ],
  },
  // Funds to bid (SPEC §8, durable/money/room-instructions.ts): every reservation the worker made
  // for an auction, numbered per auction, until the room settles it; and on each hold the room's
  // newest word (seq, keep) and when it last heard from the room.
  {
    version: 2,
    statements: [
      `CREATE TABLE reservations (auction_id TEXT NOT NULL, n INTEGER NOT NULL, hold_id TEXT NOT NULL,
        amount INTEGER NOT NULL, created_at INTEGER NOT NULL, settled_at INTEGER, PRIMARY KEY (auction_id, n))`,
      "CREATE INDEX reservations_outstanding ON reservations (created_at) WHERE settled_at IS NULL",
      "CREATE INDEX holds_by_auction ON holds (auction_id) WHERE status = 'active'",
      "ALTER TABLE holds ADD COLUMN room_seq INTEGER",
      "ALTER TABLE holds ADD COLUMN room_keep INTEGER",
      // When the hold last heard from its room (its creation, until then).
      "ALTER TABLE holds ADD COLUMN room_heard_at INTEGER",
    ],
  },
  // Transfers waiting to be handed to the broker's D1 ledger as one event (ledger-queue.ts).
  {
    version: 3,
    statements: [
      "CREATE TABLE pending_ledger (seq INTEGER PRIMARY KEY AUTOINCREMENT, transfers TEXT NOT NULL)",
    ],
  },
  // Events count as sent at their commit (kit/outbox.ts); one still waiting for its first send
  // is due for redelivery, which sends it at the next alarm.
  { version: 4, statements: OUTBOX_SENT_AT_COMMIT },
];

type BalanceRow = { currency: string; available: number; held: number; pending_payout: number };
type HoldRow = {
  id: string;
  purpose: string;
  auction_id: string | null;
  currency: string;
  amount: number;
  status: string;
  version: number;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
};
type TransferRow = {
  id: string;
  kind: string;
  debit: string;
  credit: string;
  amount: number;
  currency: string;
  auction_id: string | null;
  hold_id: string | null;
};
export type EntryRow = {
  seq: number;
  transfer_id: string;
  currency: string;
  account: string;
  amount: number;
  balance_after: number;
  created_at: number;
  kind: string;
  auction_id: string | null;
};

// Rows are our own writes of the rules' typed values, so reading them back as those types is safe.
const holdOf = (row: HoldRow): Hold => ({
  id: row.id,
  purpose: row.purpose as HoldPurpose,
  auctionId: row.auction_id,
  currency: row.currency,
  amount: row.amount,
  status: row.status as HoldStatus,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  expiresAt: row.expires_at,
});
const transferOf = (row: TransferRow): Transfer => ({
  id: row.id,
  kind: row.kind as TransferKind,
  debit: row.debit as AccountName,
  credit: row.credit as AccountName,
  amount: row.amount,
  currency: row.currency,
  auctionId: row.auction_id,
  holdId: row.hold_id,
});

/** Reads and writes of one Wallet's tables; every write runs inside the caller's transaction. */
export class WalletStorage {
  private readonly sql: SqlStorage;
  private readonly schema: SqliteSchema;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.schema = new SqliteSchema(storage, SCHEMA);
  }

  migrate(): void {
    this.schema.ensure();
  }

  transaction<T>(body: () => T): T {
    return this.storage.transactionSync(body);
  }

  balance(userId: string, currency: string): Balance {
    const row = this.sql.exec<BalanceRow>("SELECT * FROM balances WHERE currency = ?", currency).toArray()[0];
    return row
      ? { userId, currency, available: row.available, held: row.held, pendingPayout: row.pending_payout }
      : emptyBalance(userId, currency);
  }

  balances(userId: string): Balance[] {
    return this.sql
      .exec<BalanceRow>("SELECT * FROM balances ORDER BY currency")
      .toArray()
      .map((row) => ({
        userId,
        currency: row.currency,
        available: row.available,
        held: row.held,
        pendingPayout: row.pending_payout,
      }));
  }

  hold(id: string): Hold | null {
    const row = this.sql.exec<HoldRow>("SELECT * FROM holds WHERE id = ?", id).toArray()[0];
    return row ? holdOf(row) : null;
  }

  /** Whether this user has paid for a sale of the auction (an order's payment out of their hold). */
  paidFor(auctionId: string): boolean {
    return (
      this.sql
        .exec("SELECT 1 FROM transfers WHERE kind = 'payment' AND auction_id = ? LIMIT 1", auctionId)
        .toArray().length > 0
    );
  }

  /** The user's one active hold on an auction (SPEC §8 allows no second), or null. */
  activeHoldOn(auctionId: string): Hold | null {
    const row = this.sql
      .exec<HoldRow>("SELECT * FROM holds WHERE auction_id = ? AND status = 'active'", auctionId)
      .toArray()[0];
    return row ? holdOf(row) : null;
  }

  holds(onlyActive: boolean): Hold[] {
    const where = onlyActive ? "WHERE status = 'active'" : "";
    return this.sql
      .exec<HoldRow>(`SELECT * FROM holds ${where} ORDER BY created_at, id`)
      .toArray()
      .map(holdOf);
  }

  transfer(id: string): Transfer | undefined {
    const row = this.sql.exec<TransferRow>("SELECT * FROM transfers WHERE id = ?", id).toArray()[0];
    return row ? transferOf(row) : undefined;
  }

  transfers(): Transfer[] {
    return this.sql.exec<TransferRow>("SELECT * FROM transfers ORDER BY rowid").toArray().map(transferOf);
  }

  /** Every entry, oldest first (for the invariant check). */
  allEntries(): Entry[] {
    return this.sql
      .exec<EntryRow>("SELECT * FROM entries ORDER BY seq")
      .toArray()
      .map((row) => ({
        transferId: row.transfer_id,
        currency: row.currency,
        account: row.account as Entry["account"],
        amount: row.amount,
        balanceAfter: row.balance_after,
      }));
  }

  /** Entries newest first, before `beforeSeq`, with their transfer's kind and auction. */
  entryPage(beforeSeq: number | null, limit: number): EntryRow[] {
    return this.sql
      .exec<EntryRow>(
        `SELECT e.*, t.kind, t.auction_id FROM entries e JOIN transfers t ON t.id = e.transfer_id
         WHERE e.seq < ? ORDER BY e.seq DESC LIMIT ?`,
        beforeSeq ?? Number.MAX_SAFE_INTEGER,
        limit,
      )
      .toArray();
  }

  topUpOutcome(topUpId: string): "succeeded" | "failed" | null {
    const row = this.sql
      .exec<{ status: string }>("SELECT status FROM top_up_outcomes WHERE top_up_id = ?", topUpId)
      .toArray()[0];
    return row?.status === "succeeded" || row?.status === "failed" ? row.status : null;
  }

  saveTopUpOutcome(topUpId: string, status: "succeeded" | "failed", now: number): void {
    this.sql.exec(
      "INSERT INTO top_up_outcomes (top_up_id, status, decided_at) VALUES (?, ?, ?)",
      topUpId,
      status,
      now,
    );
  }

  /** Writes what a rule returned: the balance row, the holds, the transfers and their entries. */
  write(
    change: { balance: Balance; holds: Hold[]; transfers: Transfer[]; entries: Entry[] },
    now: number,
  ): void {
    const { balance } = change;
    this.sql.exec(
      `INSERT INTO balances (currency, available, held, pending_payout) VALUES (?, ?, ?, ?)
       ON CONFLICT(currency) DO UPDATE SET available = excluded.available, held = excluded.held,
       pending_payout = excluded.pending_payout`,
      balance.currency,
      balance.available,
      balance.held,
      balance.pendingPayout,
    );
    for (const h of change.holds) {
      this.sql.exec(
        `INSERT INTO holds (id, purpose, auction_id, currency, amount, status, version, created_at, updated_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET amount = excluded.amount, status = excluded.status,
         version = excluded.version, updated_at = excluded.updated_at`,
        h.id,
        h.purpose,
        h.auctionId,
        h.currency,
        h.amount,
        h.status,
        h.version,
        h.createdAt,
        h.updatedAt,
        h.expiresAt,
      );
    }
    for (const t of change.transfers) {
      // No ON CONFLICT: a second transfer with a stored id must fail the whole transaction.
      this.sql.exec(
        `INSERT INTO transfers (id, kind, debit, credit, amount, currency, auction_id, hold_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        t.id,
        t.kind,
        t.debit,
        t.credit,
        t.amount,
        t.currency,
        t.auctionId,
        t.holdId,
        now,
      );
    }
    for (const e of change.entries) {
      this.sql.exec(
        `INSERT INTO entries (transfer_id, currency, account, amount, balance_after, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
        e.transferId,
        e.currency,
        e.account,
        e.amount,
        e.balanceAfter,
        now,
      );
    }
  }
}
