/**
 * What the broker writes to D1 (and the one read it needs), kept with every other query. These
 * stay SQL text on purpose: a queue batch becomes ONE `db.batch` of prepared statements, and rows
 * travel as one JSON parameter read with `json_each`, because D1 binds at most 100 parameters per
 * statement — drizzle's multi-row insert would bind nine per row and split a 1,000-watcher
 * fan-out into over a hundred statements (and a D1 transaction per event instead of per batch
 * was one of the costs the benchmarks found on the bid path's shared local thread).
 */

/** One inbox row to write: a notification with the event it came from. */
export interface PendingInboxRow {
  id: string;
  recipientId: string;
  eventId: string;
  auctionId: string;
  kind: string;
  title: string;
  body: string;
  data: string;
  createdAt: number;
}

/**
 * Inbox rows per INSERT. Rows travel as one JSON parameter (D1 allows only 100 bound parameters
 * per statement), so a fan-out to thousands of watchers is a handful of statements, not thousands.
 */
const INBOX_ROWS_PER_STATEMENT = 100;

/** Who bid on what (for `/me/bids` and notification fan-out); the latest bid time wins. */
export function recordBidder(
  db: D1Database,
  auctionId: string,
  userId: string,
  at: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO auction_bidders (auction_id, user_id, last_bid_at) VALUES (?, ?, ?)
       ON CONFLICT(auction_id, user_id) DO UPDATE SET last_bid_at = MAX(last_bid_at, excluded.last_bid_at)`,
    )
    .bind(auctionId, userId, at);
}

/**
 * Inserts inbox rows, skipping any (event, recipient) already there, so a redelivered event
 * writes nothing. RETURNING yields only the rows this delivery created: those, and only those,
 * are pushed live. `WHERE true` keeps SQLite from reading ON CONFLICT as a join clause.
 */
export function inboxStatements(db: D1Database, rows: PendingInboxRow[]): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += INBOX_ROWS_PER_STATEMENT) {
    statements.push(
      db
        .prepare(
          `INSERT INTO inbox_messages (id, recipient_id, event_id, kind, auction_id, title, body, data, created_at)
           SELECT json_extract(value, '$.id'), json_extract(value, '$.recipientId'), json_extract(value, '$.eventId'),
                  json_extract(value, '$.kind'), json_extract(value, '$.auctionId'), json_extract(value, '$.title'),
                  json_extract(value, '$.body'), json_extract(value, '$.data'), json_extract(value, '$.createdAt')
           FROM json_each(?1) WHERE true
           ON CONFLICT(event_id, recipient_id) DO NOTHING
           RETURNING id, recipient_id, event_id, kind, auction_id, title, body, data, created_at, read_at`,
        )
        .bind(JSON.stringify(rows.slice(i, i + INBOX_ROWS_PER_STATEMENT))),
    );
  }
  return statements;
}

/**
 * Adds the rows this delivery actually inserted to their recipients' unread counters. The ids
 * are fresh, so a row that already existed (redelivery) is not among them and is not counted twice.
 */
export function unreadIncrementStatement(db: D1Database, rows: PendingInboxRow[]): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO inbox_unread (user_id, count)
       SELECT recipient_id, COUNT(*) FROM inbox_messages
       WHERE id IN (SELECT json_extract(value, '$.id') FROM json_each(?1))
       GROUP BY recipient_id
       ON CONFLICT(user_id) DO UPDATE SET count = count + excluded.count`,
    )
    .bind(JSON.stringify(rows.map((r) => ({ id: r.id }))));
}

/**
 * The recipients' unread counts, read in the same batch so they include the rows just written,
 * and whether each one's hub last said it has no live socket (`offline` 1: nothing to push to).
 */
export function unreadAndOfflineStatement(db: D1Database, recipientIds: string[]): D1PreparedStatement {
  return db
    .prepare(
      `SELECT u.user_id AS recipient_id, u.count AS unread, (o.user_id IS NOT NULL) AS offline
       FROM inbox_unread u LEFT JOIN live_offline o ON o.user_id = u.user_id
       WHERE u.user_id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(recipientIds));
}

/** Watchers of each auction, in one query for the whole batch. */
export async function watchersOf(db: D1Database, auctionIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (auctionIds.length === 0) return out;
  const { results } = await db
    .prepare(
      `SELECT auction_id, user_id FROM watchers WHERE auction_id IN (SELECT value FROM json_each(?1))
       ORDER BY created_at, user_id`,
    )
    .bind(JSON.stringify([...new Set(auctionIds)]))
    .all<{ auction_id: string; user_id: string }>();
  for (const row of results) out.set(row.auction_id, [...(out.get(row.auction_id) ?? []), row.user_id]);
  return out;
}

/** A message the events queue gave up on, kept whole for an operator (idempotent on its id). */
export async function insertDeadLetter(
  db: D1Database,
  letter: { id: string; queue: string; body: string; attempts: number; receivedAt: number },
): Promise<void> {
  await db
    .prepare(
      "INSERT INTO dead_letters (id, queue, message_id, body, attempts, received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
    )
    .bind(letter.id, letter.queue, letter.id, letter.body, letter.attempts, letter.receivedAt)
    .run();
}
