/**
 * What this isolate knows about an auction between bids, so a funded bid can reserve without
 * asking the room first: its currency (fixed at creation), the last minimum next bid and
 * increment it heard of, and how many of its own bids on it are on their way. All are hints:
 * the room checks the hold, and a wrong guess costs a retry, never a wrong bid.
 */
interface AuctionHint {
  currency: string;
  minimum: number | null;
  increment: number;
  inFlight: number;
}

const hints = new Map<string, AuctionHint>();
/** Bounded: an isolate that saw very many auctions starts over (a miss costs one room call). */
const HINTS_KEPT = 10_000;

export function auctionHint(auctionId: string): Readonly<AuctionHint> | undefined {
  return hints.get(auctionId);
}

export function rememberCurrency(auctionId: string, currency: string): void {
  if (hints.size >= HINTS_KEPT && !hints.has(auctionId)) hints.clear();
  hints.set(auctionId, hints.get(auctionId) ?? { currency, minimum: null, increment: 0, inFlight: 0 });
}

/** From a bid reply: the next minimum (replies can arrive out of order; it only rises) and its step. */
export function rememberMinimum(auctionId: string, minimum: number, currentPrice: number): void {
  const hint = hints.get(auctionId);
  if (!hint) return;
  hint.minimum = Math.max(minimum, hint.minimum ?? 0);
  hint.increment = Math.max(minimum - currentPrice, hint.increment);
}

/**
 * What a `{}` bid should reserve: at least `floor` (the room's figure, on a retry) and the last
 * minimum heard of, plus one increment for each other bid of this isolate on the auction still
 * on its way — each may raise the minimum by about that much before this one lands — and `slack`
 * more (a retry's growing margin). The part not needed comes back when the room's word arrives.
 */
export function minimumEstimate(auctionId: string, floor = 0, slack = 0): number | null {
  const hint = hints.get(auctionId);
  if (!hint || (hint.minimum === null && floor === 0)) return null;
  const others = Math.max(hint.inFlight - 1, 0);
  return Math.max(floor, hint.minimum ?? 0) + (others + slack) * hint.increment;
}

/** Counts a bid on its way to the auction (reserving included) while `during` runs. */
export async function inFlight<T>(auctionId: string, during: () => Promise<T>): Promise<T> {
  const counted = hints.get(auctionId);
  if (counted) counted.inFlight += 1;
  try {
    return await during();
  } finally {
    if (counted) counted.inFlight -= 1;
  }
}
