import type { SecondChanceOffer } from "../orders/second-chance";

/**
 * The room's second-chance offers (durable/orders/second-chance.ts), one row each, unique on the
 * bidder: nobody is offered the item twice. Writes run inside the caller's transaction.
 */
export class OfferStorage {
  constructor(private readonly sql: SqlStorage) {}

  /** Every offer, oldest first. */
  all(): SecondChanceOffer[] {
    return (
      this.sql
        .exec<{ body: string }>("SELECT body FROM second_chance_offers ORDER BY number")
        .toArray()
        // Our own writes of SecondChanceOffer values.
        .map((row) => JSON.parse(row.body) as SecondChanceOffer)
    );
  }

  save(offer: SecondChanceOffer): void {
    this.sql.exec(
      `INSERT INTO second_chance_offers (number, bidder_id, body) VALUES (?, ?, ?)
       ON CONFLICT(number) DO UPDATE SET body = excluded.body`,
      offer.number,
      offer.bidderId,
      JSON.stringify(offer),
    );
  }
}
