import type { LedgerTransfer } from "../../queue/events";

/**
 * Records both legs of a transfer as `recordedBy` wrote it (`wallet:<userId>` or
 * `room:<auctionId>`). SQL text for the broker's batch (see catalog.ts); a redelivered event
 * changes nothing (the key is transfer, account and recorder).
 */
export function recordTransfer(
  db: D1Database,
  recordedBy: string,
  t: LedgerTransfer,
  at: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO ledger_entries (transfer_id, account, recorded_by, amount, currency, kind, auction_id, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8), (?1, ?9, ?3, ?10, ?5, ?6, ?7, ?8)
       ON CONFLICT DO NOTHING`,
    )
    .bind(t.id, t.debit, recordedBy, -t.amount, t.currency, t.kind, t.auctionId, at, t.credit, t.amount);
}

export interface LedgerRow {
  transferId: string;
  account: string;
  recordedBy: string;
  amount: number;
  currency: string;
}

/** Every recorded leg (the check reads the whole ledger; it is an operator's tool). */
export async function allLedgerRows(db: D1Database): Promise<LedgerRow[]> {
  const { results } = await db
    .prepare(
      `SELECT transfer_id AS transferId, account, recorded_by AS recordedBy, amount, currency
       FROM ledger_entries ORDER BY transfer_id, recorded_by, account`,
    )
    .all<LedgerRow>();
  return results;
}

/** Orders that are over (their escrow must be empty), by auction. */
export async function finishedOrderAuctions(db: D1Database): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT DISTINCT auction_id AS auctionId FROM orders WHERE status IN ('completed', 'refunded')")
    .all<{ auctionId: string }>();
  return results.map((r) => r.auctionId);
}
