import type { CatalogSnapshot } from "./events";

/**
 * Upserts one auction's catalog row. The WHERE on `last_seq` makes it idempotent and
 * order-safe: a redelivered or late event (older seq) never overwrites newer state.
 */
export function upsertCatalog(
  db: D1Database,
  auctionId: string,
  seq: number,
  c: CatalogSnapshot,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO auctions (id, seller_id, title, category, currency, starting_price, current_price, bid_count,
         status, outcome, leader_id, winner_id, starts_at, ends_at, created_at, updated_at, last_seq, summary)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
       ON CONFLICT(id) DO UPDATE SET
         title = excluded.title, category = excluded.category, currency = excluded.currency,
         starting_price = excluded.starting_price, current_price = excluded.current_price,
         bid_count = excluded.bid_count, status = excluded.status, outcome = excluded.outcome,
         leader_id = excluded.leader_id, winner_id = excluded.winner_id, starts_at = excluded.starts_at,
         ends_at = excluded.ends_at, updated_at = excluded.updated_at, last_seq = excluded.last_seq,
         summary = excluded.summary
       WHERE excluded.last_seq > auctions.last_seq`,
    )
    .bind(
      auctionId,
      c.sellerId,
      c.title,
      c.category,
      c.currency,
      c.startingPrice,
      c.currentPrice,
      c.bidCount,
      c.status,
      c.outcome,
      c.leaderId,
      c.winnerId,
      c.startsAt,
      c.endsAt,
      c.createdAt,
      c.updatedAt,
      seq,
      c.summary,
    );
}
