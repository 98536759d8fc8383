import type { LedgerTransfer } from "../../queue/events";
import { wholeNumberSetting } from "../../shared/whole-number-setting";

/**
 * How long a wallet's written transfers wait before leaving together for the broker's D1 ledger,
 * as the deployment sets LEDGER_FLUSH_SECONDS (whole seconds, 1 to 3600; default 30). The ledger
 * is an operator's projection (the admin's check), never what a user reads: their wallet answers
 * from its own tables. Each flush of an active wallet costs an alarm, a queue message, a D1
 * write and a confirmation, so a bidder who changes their wallet every second or two (a reserve,
 * an outbid's void) would cost one flush per change at a second; at 30 s one flush carries them all.
 */
export const DEFAULT_LEDGER_FLUSH_SECONDS = 30;

export function ledgerFlushMs(
  settings: { LEDGER_FLUSH_SECONDS?: string },
  warn: (message: string) => void = () => {},
): number {
  const seconds = wholeNumberSetting(
    "LEDGER_FLUSH_SECONDS",
    settings.LEDGER_FLUSH_SECONDS,
    { min: 1, max: 3600 },
    warn,
  );
  return (seconds ?? DEFAULT_LEDGER_FLUSH_SECONDS) * 1000;
}

/**
 * Transfers written but not yet handed to the broker's D1 ledger (SPEC §8). A busy wallet writes
 * several a second (a reservation, a void, a release); they wait here and leave as one
 * `wallet.ledger` event per flush (ledgerFlushMs), instead of one queue message (and one
 * confirmation) each.
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
