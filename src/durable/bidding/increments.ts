/**
 * Bid increment tables. Each tier reads "below `below`, bids step by `step`"; the last tier has no
 * upper bound. Amounts are in the currency's minor unit as stored (won for KRW, cents for USD).
 */
interface Tier {
  readonly below: number;
  readonly step: number;
}

const KRW: readonly Tier[] = [
  { below: 10_000, step: 500 },
  { below: 50_000, step: 1_000 },
  { below: 100_000, step: 2_000 },
  { below: 500_000, step: 5_000 },
  { below: 1_000_000, step: 10_000 },
  { below: 5_000_000, step: 50_000 },
  { below: Number.POSITIVE_INFINITY, step: 100_000 },
];

// eBay's published bid increments, expressed in cents.
const USD: readonly Tier[] = [
  { below: 100, step: 5 },
  { below: 500, step: 25 },
  { below: 2_500, step: 50 },
  { below: 10_000, step: 100 },
  { below: 25_000, step: 250 },
  { below: 50_000, step: 500 },
  { below: 100_000, step: 1_000 },
  { below: 250_000, step: 2_500 },
  { below: 500_000, step: 5_000 },
  { below: Number.POSITIVE_INFINITY, step: 10_000 },
];

const TABLES: ReadonlyMap<string, readonly Tier[]> = new Map([
  ["KRW", KRW],
  ["USD", USD],
]);

/** Currencies whose auctions may omit `minIncrement`. */
export const CURRENCIES_WITH_TABLE: readonly string[] = [...TABLES.keys()];

/** Whether `currency` has a default increment table, i.e. whether `minIncrement` may be omitted. */
export function hasIncrementTable(currency: string): boolean {
  return TABLES.has(currency);
}

/**
 * The bid increment at `price`: the auction's fixed `minIncrement` when it has one, else the step
 * from the currency's table.
 * @throws Error when the currency has no table and no `minIncrement` was set; creation must have
 *   refused such an auction, so reaching this is a bug, not a user error.
 */
export function incrementFor(price: number, currency: string, minIncrement: number | null): number {
  if (minIncrement !== null) return minIncrement;
  const table = TABLES.get(currency);
  if (table === undefined) {
    throw new Error(`No increment table for ${currency}; the auction needs a minIncrement`);
  }
  const tier = table.find((t) => price < t.below);
  if (tier === undefined) throw new Error(`Increment table for ${currency} has no open-ended tier`);
  return tier.step;
}
