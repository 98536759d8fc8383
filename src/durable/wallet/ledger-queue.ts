import type { LedgerTransfer } from "../../queue/events";

/**
 * Transfers written but not yet handed to the broker's D1 ledger (SPEC §8). A busy wallet writes
 * several a second (a reservation, a void, a release); they wait here and leave as one
 * `wallet.ledger` event per flush, instead of one queue message (and one confirmation) each.
 * Rows are only added and taken whole, inside the caller's transaction.
 */
export class LedgerQueue {
  constructor(private readonly sql: SqlStorage) {}

  add(transfers: readonly LedgerTransfer[]): void {
    this.sql.exec("INSERT INTO pending_ledger (transfers) VALUES (?)", JSON.stringify(transfers));
  }

  /** Every waiting transfer, oldest first, removed from the queue. */
  takeAll(): LedgerTransfer[] {
    const rows = this.sql
      .exec<{ transfers: string }>("SELECT transfers FROM pending_ledger ORDER BY seq")
      .toArray();
    if (rows.length === 0) return [];
    this.sql.exec("DELETE FROM pending_ledger");
    // Our own writes of LedgerTransfer arrays.
    return rows.flatMap((row) => JSON.parse(row.transfers) as LedgerTransfer[]);
  }
}
