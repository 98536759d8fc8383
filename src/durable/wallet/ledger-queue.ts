import type { LedgerTransfer } from "../../queue/events";
import { wholeNumberSetting } from "../../shared/whole-number-setting";

/**
 * How long a wallet's own moves (a hold, a void: money between its own accounts) wait before
 * leaving together for the broker's D1 ledger, as the deployment sets LEDGER_FLUSH_SECONDS (whole
 * seconds, 1 to 3600; default 30). Each flush costs an alarm, a queue message, a D1 write and a
 * confirmation; a bidder's wallet changes every few seconds (a reservation, an outbid's void), so
 * at a second it was one flush per change. The admin's check takes the waiting ones back out of
 * the wallet's figures (money/ledger-check.ts recordedFigures); users read their wallet live.
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
 * Rows are only added and taken whole inside the caller's transaction, or read for the admin's check.
 */
export class LedgerQueue {
  constructor(private readonly sql: SqlStorage) {}

  add(transfers: readonly LedgerTransfer[]): void {
    this.sql.exec("INSERT INTO pending_ledger (transfers) VALUES (?)", JSON.stringify(transfers));
  }

  /** Every waiting transfer, oldest first. */
  waiting(): LedgerTransfer[] {
    const rows = this.sql
      .exec<{ transfers: string }>("SELECT transfers FROM pending_ledger ORDER BY seq")
      .toArray();
    // Our own writes of LedgerTransfer arrays.
    return rows.flatMap((row) => JSON.parse(row.transfers) as LedgerTransfer[]);
  }

  /** Every waiting transfer, oldest first, removed from the queue. */
  takeAll(): LedgerTransfer[] {
    const transfers = this.waiting();
    if (transfers.length > 0) this.sql.exec("DELETE FROM pending_ledger");
    return transfers;
  }
}
