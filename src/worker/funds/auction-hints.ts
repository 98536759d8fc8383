/**
 * What this isolate last heard about an auction, so a funded bid can reserve without asking the
 * room first: its currency (fixed at creation) and its minimum next bid (a hint only — the room
 * checks the hold, and a low guess costs one retry).
 */
interface AuctionHint {
  currency: string;
  minimum: number | null;
}

const hints = new Map<string, AuctionHint>();
/** Bounded: an isolate that saw very many auctions starts over (a miss costs one room call). */
const HINTS_KEPT = 10_000;

export function auctionHint(auctionId: string): AuctionHint | undefined {
  return hints.get(auctionId);
}

export function rememberCurrency(auctionId: string, currency: string): void {
  if (hints.size >= HINTS_KEPT && !hints.has(auctionId)) hints.clear();
  hints.set(auctionId, { currency, minimum: hints.get(auctionId)?.minimum ?? null });
}

/** From a bid reply: the next minimum, for the next `{}` bid on the auction. */
export function rememberMinimum(auctionId: string, minimum: number): void {
  const hint = hints.get(auctionId);
  if (hint) hints.set(auctionId, { ...hint, minimum });
}
