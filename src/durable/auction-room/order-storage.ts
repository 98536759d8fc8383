import type { Transfer } from "../money/ledger";
import type { Order } from "../orders/order";

/**
 * The room's orders and its side of their money (SPEC §8): the auction's escrow and the
 * platform's fees are the room's accounts, so it records every order transfer once (unique on
 * its id) as the order changes; the users' sides are their Wallets'. Writes run inside the
 * caller's transaction.
 */
export class OrderStorage {
  constructor(private readonly sql: SqlStorage) {}

  /** The auction's current order (the latest sale of the item), or null before any sale. */
  current(): Order | null {
    const row = this.sql
      .exec<{ body: string }>("SELECT body FROM orders ORDER BY opened_at DESC, rowid DESC LIMIT 1")
      .toArray()[0];
    // Our own write of an Order value.
    return row ? (JSON.parse(row.body) as Order) : null;
  }

  /** Every order of the item, oldest first (a second-chance sale follows a refunded one). */
  all(): Order[] {
    return (
      this.sql
        .exec<{ body: string }>("SELECT body FROM orders ORDER BY opened_at, rowid")
        .toArray()
        // Our own writes of Order values.
        .map((row) => JSON.parse(row.body) as Order)
    );
  }

  save(order: Order): void {
    this.sql.exec(
      `INSERT INTO orders (id, body, opened_at) VALUES (?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET body = excluded.body`,
      order.id,
      JSON.stringify(order),
      order.paidAt,
    );
  }

  /** Records transfers of the room's accounts; one already recorded is left as it is. */
  record(transfers: readonly Transfer[], now: number): void {
    for (const t of transfers) {
      this.sql.exec(
        `INSERT INTO ledger (transfer_id, kind, debit, credit, amount, currency, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(transfer_id) DO NOTHING`,
        t.id,
        t.kind,
        t.debit,
        t.credit,
        t.amount,
        t.currency,
        now,
      );
    }
  }

  /** What the auction's escrow holds now: credits less debits of `escrow:<auctionId>`. */
  escrowBalance(auctionId: string): number {
    const account = `escrow:${auctionId}`;
    return this.sql
      .exec<{ balance: number }>(
        `SELECT COALESCE(SUM(CASE WHEN credit = ? THEN amount ELSE 0 END), 0)
              - COALESCE(SUM(CASE WHEN debit = ? THEN amount ELSE 0 END), 0) AS balance FROM ledger`,
        account,
        account,
      )
      .one().balance;
  }
}
