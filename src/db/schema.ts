import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Times are stored as epoch milliseconds (integers): cheap to compare and sort in SQLite.

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    username: text("username").notNull().unique(),
    nickname: text("nickname").notNull(),
    passwordHash: text("password_hash").notNull(),
    passwordSalt: text("password_salt").notNull(),
    passwordIterations: integer("password_iterations").notNull(),
    createdAt: integer("created_at").notNull(),
    /** `admin` reaches /api/v1/admin/*; granted only by `npm run admin:grant` (SPEC §9). */
    role: text("role", { enum: ["user", "admin"] })
      .notNull()
      .default("user"),
    /** Set while an admin has suspended the account: no login, no bids, no listings. */
    suspendedAt: integer("suspended_at"),
    suspendedReason: text("suspended_reason"),
  },
  // The admin's user list: newest first, keyset on (created_at, id).
  (t) => [index("users_created_idx").on(t.createdAt, t.id)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** SHA-256 of the bearer token; the token itself is never stored. */
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Failed logins per username, for throttling guessing attacks on one account. */
export const loginAttempts = sqliteTable("login_attempts", {
  username: text("username").primaryKey(),
  failures: integer("failures").notNull(),
  windowStartedAt: integer("window_started_at").notNull(),
  lockedUntil: integer("locked_until"),
});

/**
 * The auction catalog: a projection of each AuctionRoom's state for listing and search.
 * Written by the queue consumer from events (guarded by `lastSeq`) and once at creation.
 */
export const auctions = sqliteTable(
  "auctions",
  {
    id: text("id").primaryKey(),
    sellerId: text("seller_id").notNull(),
    title: text("title").notNull(),
    category: text("category"),
    currency: text("currency").notNull(),
    startingPrice: integer("starting_price").notNull(),
    currentPrice: integer("current_price").notNull(),
    bidCount: integer("bid_count").notNull(),
    status: text("status").notNull(),
    outcome: text("outcome"),
    leaderId: text("leader_id"),
    winnerId: text("winner_id"),
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** Sequence number of the last event applied; older events never overwrite newer state. */
    lastSeq: integer("last_seq").notNull(),
    /** The public auction resource as of `lastSeq`, so list items carry every field. */
    summary: text("summary").notNull(),
  },
  (t) => [
    index("auctions_status_ends_idx").on(t.status, t.endsAt),
    index("auctions_created_idx").on(t.createdAt),
    index("auctions_price_idx").on(t.currentPrice),
    index("auctions_seller_idx").on(t.sellerId, t.createdAt),
    index("auctions_category_idx").on(t.category),
  ],
);

export const watchers = sqliteTable(
  "watchers",
  {
    userId: text("user_id").notNull(),
    auctionId: text("auction_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.auctionId] }), index("watchers_auction_idx").on(t.auctionId)],
);

/** Who bid on what (projection from `bid.placed`), for `GET /me/bids` and notification fan-out. */
export const auctionBidders = sqliteTable(
  "auction_bidders",
  {
    auctionId: text("auction_id").notNull(),
    userId: text("user_id").notNull(),
    lastBidAt: integer("last_bid_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.auctionId, t.userId] }),
    index("auction_bidders_user_idx").on(t.userId, t.lastBidAt),
  ],
);

export const inboxMessages = sqliteTable(
  "inbox_messages",
  {
    id: text("id").primaryKey(),
    recipientId: text("recipient_id").notNull(),
    eventId: text("event_id").notNull(),
    kind: text("kind").notNull(),
    auctionId: text("auction_id").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    data: text("data").notNull(),
    createdAt: integer("created_at").notNull(),
    readAt: integer("read_at"),
  },
  (t) => [
    uniqueIndex("inbox_event_recipient_uq").on(t.eventId, t.recipientId),
    index("inbox_recipient_idx").on(t.recipientId, t.createdAt),
    index("inbox_unread_idx").on(t.recipientId).where(sql`read_at IS NULL`),
  ],
);

/**
 * Unread messages per user, kept in step with inbox_messages in the same D1 batches, so the count
 * pushed with every notification is one row read instead of a count over a growing inbox.
 */
export const inboxUnread = sqliteTable("inbox_unread", {
  userId: text("user_id").primaryKey(),
  count: integer("count").notNull(),
});

/**
 * Users whose UserHub last said it holds no live socket (SPEC §7): the broker pushes a batch's
 * messages only to recipients not listed here, so an offline user's hub is not woken for every
 * notification. The hub writes the row when a push finds no socket or its last socket closes, and
 * deletes it before answering a new socket's upgrade; a user never listed is pushed to.
 */
export const liveOffline = sqliteTable("live_offline", {
  userId: text("user_id").primaryKey(),
  since: integer("since").notNull(),
});

/** Messages the event queue gave up on, recorded by the dead-letter consumer for an operator. */
export const deadLetters = sqliteTable("dead_letters", {
  id: text("id").primaryKey(),
  queue: text("queue").notNull(),
  messageId: text("message_id").notNull(),
  body: text("body").notNull(),
  attempts: integer("attempts").notNull(),
  receivedAt: integer("received_at").notNull(),
});

/**
 * Every admin action, appended in the same D1 batch as the change it describes (SPEC §9). The
 * integer key is the order of appends, so "newest first" is a walk down the primary key with no
 * ties, whatever the clocks of the isolates that wrote the rows said.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    actorId: text("actor_id").notNull(),
    /** `<target type>.<verb>`, e.g. `user.suspend`. */
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    reason: text("reason").notNull(),
    /** A JSON object: what the action saw or changed beyond the target (e.g. sessions it ended). */
    detail: text("detail").notNull(),
    createdAt: integer("created_at").notNull(),
    /**
     * Set for actions whose change lives outside D1 (a Wallet): the row is written after the
     * Wallet confirms, and a retry of the same action finds this key taken and writes no second row.
     */
    dedupeKey: text("dedupe_key"),
  },
  (t) => [uniqueIndex("audit_log_dedupe_key_idx").on(t.dedupeKey)],
);

/**
 * Top-ups (SPEC §8): a pending request to add money, credited to the Wallet only when the payment
 * provider's signed webhook confirms it. `status` moves pending → succeeded | failed once.
 * (user, idempotency key) is unique so a retried POST answers the first top-up again.
 */
export const topUps = sqliteTable(
  "top_ups",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull(),
    idempotencyKey: text("idempotency_key"),
    requestHash: text("request_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    decidedAt: integer("decided_at"),
  },
  (t) => [uniqueIndex("top_ups_user_key_idx").on(t.userId, t.idempotencyKey)],
);

/** The provider's webhook deliveries we processed, unique on its event id (replays answer the same). */
export const paymentEvents = sqliteTable("payment_events", {
  id: text("id").primaryKey(),
  topUpId: text("top_up_id").notNull(),
  type: text("type").notNull(),
  receivedAt: integer("received_at").notNull(),
});

/** Withdrawals (SPEC §8): the Wallet holds the money; an admin completes or rejects it. */
export const withdrawals = sqliteTable(
  "withdrawals",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    status: text("status", { enum: ["requested", "completed", "rejected"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    resolvedAt: integer("resolved_at"),
  },
  (t) => [index("withdrawals_status_idx").on(t.status, t.createdAt, t.id)],
);

/**
 * Orders (SPEC §8), projected by the broker from the rooms' order events, for `GET /me/orders`.
 * The room is the source of truth; `last_seq` keeps a late event from undoing a newer state.
 */
export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    auctionId: text("auction_id").notNull(),
    buyerId: text("buyer_id").notNull(),
    sellerId: text("seller_id").notNull(),
    status: text("status", { enum: ["paid", "shipped", "completed", "disputed", "refunded"] }).notNull(),
    price: integer("price").notNull(),
    fee: integer("fee").notNull(),
    currency: text("currency").notNull(),
    title: text("title").notNull(),
    paidAt: integer("paid_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    lastSeq: integer("last_seq").notNull(),
  },
  (t) => [
    index("orders_buyer_idx").on(t.buyerId, t.updatedAt, t.id),
    index("orders_seller_idx").on(t.sellerId, t.updatedAt, t.id),
    index("orders_status_idx").on(t.status, t.updatedAt, t.id),
  ],
);

/**
 * The ledger (SPEC §8), projected by the broker: each side of a transfer — the Wallet of a user
 * account, the room of an escrow or fee account — records both legs of every transfer it wrote
 * (`recorded_by`), so `GET /admin/ledger/check` can see that both sides agree.
 */
export const ledgerEntries = sqliteTable(
  "ledger_entries",
  {
    transferId: text("transfer_id").notNull(),
    account: text("account").notNull(),
    recordedBy: text("recorded_by").notNull(),
    /** Signed: credit positive, debit negative. */
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    kind: text("kind").notNull(),
    auctionId: text("auction_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.transferId, t.account, t.recordedBy] }),
    index("ledger_entries_account_idx").on(t.account),
  ],
);

/**
 * Listing photos uploaded to R2 (SPEC §10), one row per object: who uploaded it, so an auction may
 * refer only to its seller's own photos, and how many a user uploaded lately (the hourly quota).
 * The object's key is the row's key; rows and objects are never rewritten (a new photo is a new key).
 */
export const uploads = sqliteTable(
  "uploads",
  {
    key: text("key").primaryKey(),
    userId: text("user_id").notNull(),
    /** Decided from the bytes (magic numbers), never from the Content-Type the client sent. */
    contentType: text("content_type", { enum: ["image/jpeg", "image/png", "image/webp"] }).notNull(),
    size: integer("size").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("uploads_user_created_idx").on(t.userId, t.createdAt)],
);
