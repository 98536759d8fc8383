import {
  type BiddingState,
  incrementFor,
  minimumNextBid,
  reserveMet,
  resolveBid,
} from "../../src/durable/bidding";

/**
 * A model of one auction's bidding, built only from the pure rules in src/durable/bidding and
 * wired the way `AuctionRoom.placeBid` wires them (SPEC §5): the checks in the spec's order,
 * `{}` as a manual bid of exactly the minimum, a bare `maxAmount` as a pure proxy bid, the
 * buy-now ceiling on the larger of amount and max. The rate limit is not modelled: it depends on
 * the room's clock, so the storm test checks 429s separately.
 */

export interface ModelTerms {
  auctionId: string;
  currency: string;
  startingPrice: number;
  reservePrice: number | null;
  buyNowPrice: number | null;
  minIncrement: number | null;
}

export interface BidBody {
  amount?: number;
  maxAmount?: number;
}

export interface ModelRow {
  seq: number;
  bidderId: string;
  amount: number;
  kind: "manual" | "proxy";
}

/** The parts of a 201 reply the rules decide (ids and times are the room's). */
export interface ModelReply {
  result: "leading" | "outbid" | "max_raised";
  amount: number;
  maxAmount: number;
  kind: "manual" | "proxy";
  currentPrice: number;
  bidCount: number;
  leaderIsYou: boolean;
  minimumNextBid: number;
  reserveMet: boolean;
}

export type Refusal = "BID_TOO_LOW" | "MAX_NOT_RAISED" | "BID_AT_OR_ABOVE_BUY_NOW";

export type ModelOutcome =
  | { ok: true; reply: ModelReply; rows: ModelRow[]; ownSeq: number | null; next: ModelState }
  | { ok: false; code: Refusal; minimum: number | null };

/** Everything the rules and the history need after some prefix of the accepted bids. */
export interface ModelState {
  bidding: BiddingState;
  bidCount: number;
  /** Anonymised handle numbers, assigned in the order bidders first get a bid accepted. */
  handles: ReadonlyMap<string, number>;
}

export function initialState(terms: ModelTerms): ModelState {
  return {
    bidding: {
      startingPrice: terms.startingPrice,
      reservePrice: terms.reservePrice,
      currentPrice: terms.startingPrice,
      hasBids: false,
      leader: null,
    },
    bidCount: 0,
    handles: new Map(),
  };
}

export function incrementOf(terms: ModelTerms): (price: number) => number {
  return (price) => incrementFor(price, terms.currency, terms.minIncrement);
}

export function minimumOf(terms: ModelTerms, state: ModelState): number {
  return minimumNextBid(state.bidding, incrementOf(terms));
}

function buyNowAvailable(terms: ModelTerms, state: ModelState): boolean {
  return terms.buyNowPrice !== null && state.bidding.currentPrice < terms.buyNowPrice;
}

/** What the room must answer to `body` from `bidderId` in `state`; pure (the state is not changed). */
export function placeBid(
  terms: ModelTerms,
  state: ModelState,
  bidderId: string,
  body: BidBody,
): ModelOutcome {
  const increment = incrementOf(terms);
  const minimum = minimumNextBid(state.bidding, increment);
  const requestedMax = body.maxAmount ?? null;
  const amount = body.amount ?? minimum;
  if (amount < minimum || (requestedMax !== null && requestedMax < minimum)) {
    return { ok: false, code: "BID_TOO_LOW", minimum };
  }
  if (
    buyNowAvailable(terms, state) &&
    terms.buyNowPrice !== null &&
    Math.max(amount, requestedMax ?? 0) >= terms.buyNowPrice
  ) {
    return { ok: false, code: "BID_AT_OR_ABOVE_BUY_NOW", minimum: null };
  }
  const manualAmount = body.amount ?? (requestedMax === null ? minimum : null);
  const resolution = resolveBid(
    state.bidding,
    { bidderId, amount: manualAmount, maxAmount: requestedMax },
    increment,
  );
  if (!resolution.ok) {
    return resolution.code === "BID_TOO_LOW"
      ? { ok: false, code: "BID_TOO_LOW", minimum: resolution.minimum }
      : { ok: false, code: "MAX_NOT_RAISED", minimum: null };
  }

  const handles = new Map(state.handles);
  const register = (id: string) => {
    if (!handles.has(id)) handles.set(id, handles.size + 1);
  };
  register(bidderId);
  let seq = state.bidCount + 1;
  let ownSeq: number | null = null;
  const rows: ModelRow[] = [];
  for (const entry of resolution.entries) {
    register(entry.bidderId);
    rows.push({ seq, bidderId: entry.bidderId, amount: entry.amount, kind: entry.kind });
    if (entry.bidderId === bidderId) ownSeq = seq;
    seq++;
  }
  const next: ModelState = {
    bidding: resolution.state,
    bidCount: state.bidCount + rows.length,
    handles,
  };
  return {
    ok: true,
    rows,
    ownSeq,
    next,
    reply: {
      result: resolution.result,
      amount: resolution.placedAmount,
      maxAmount: resolution.placedMax,
      kind: manualAmount === null ? "proxy" : "manual",
      currentPrice: next.bidding.currentPrice,
      bidCount: next.bidCount,
      leaderIsYou: next.bidding.leader?.bidderId === bidderId,
      minimumNextBid: minimumNextBid(next.bidding, increment),
      reserveMet: reserveMet(next.bidding),
    },
  };
}

/** The public handle of a bidder as the history and the auction show it to others. */
export function handleOf(state: ModelState, bidderId: string): string {
  const n = state.handles.get(bidderId);
  if (n === undefined) throw new Error(`bidder ${bidderId} has no handle yet`);
  return `b***${n}`;
}
