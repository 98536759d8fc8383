/**
 * Proxy bidding with eBay semantics. Everything here is a pure function of the state it is given,
 * so the auction room can run read-check-write without awaiting anything but storage.
 */

/** What the bidding rules need to know about an auction; amounts are in the currency's minor unit. */
export interface BiddingState {
  startingPrice: number;
  reservePrice: number | null;
  /** Equals `startingPrice` while there are no bids. */
  currentPrice: number;
  hasBids: boolean;
  leader: { bidderId: string; maxAmount: number } | null;
}

/** The bid increment at a given price (see `incrementFor`). */
export type Increment = (price: number) => number;

/** A bid as submitted; both amounts null means "the minimum acceptable bid". */
export interface IncomingBid {
  bidderId: string;
  amount: number | null;
  maxAmount: number | null;
}

/** A public bid-history row; `proxy` rows were placed by the system on a bidder's behalf. */
export interface HistoryEntry {
  bidderId: string;
  amount: number;
  kind: "manual" | "proxy";
}

export type BidResolution =
  | {
      ok: true;
      result: "leading" | "outbid" | "max_raised";
      state: BiddingState;
      /** New history rows in the order they happened; amounts never decrease. */
      entries: HistoryEntry[];
      priceChanged: boolean;
      leaderChanged: boolean;
      previousLeaderId: string | null;
      /** The amount recorded for the submitting bidder (the current price for a max raise). */
      placedAmount: number;
      placedMax: number;
    }
  | { ok: false; code: "BID_TOO_LOW"; minimum: number }
  | { ok: false; code: "MAX_NOT_RAISED"; currentMax: number };

export type CloseOutcome =
  | { outcome: "sold"; winnerId: string; finalPrice: number }
  | { outcome: "unsold"; finalPrice: null };

type Leader = NonNullable<BiddingState["leader"]>;

interface Provisional {
  result: "leading" | "outbid" | "max_raised";
  price: number;
  leader: Leader;
  entries: HistoryEntry[];
}

/** The lowest amount a bid may have: the starting price with no bids, else one increment above the price. */
export function minimumNextBid(state: BiddingState, increment: Increment): number {
  if (!state.hasBids) return state.startingPrice;
  return state.currentPrice + increment(state.currentPrice);
}

/** Whether the auction would sell now: always without a reserve, else once a bid has reached it. */
export function reserveMet(state: BiddingState): boolean {
  if (state.reservePrice === null) return true;
  return state.hasBids && state.currentPrice >= state.reservePrice;
}

/**
 * Applies one bid. The leader is whoever holds the highest max (ties go to the earlier bid) and pays
 * the lowest price that keeps them ahead: one increment over the runner-up's max, capped at their
 * own max, never below a manual amount they typed. A leader bidding again only raises their max.
 * When the leader's max covers the reserve the price jumps to the reserve, since the seller has
 * agreed to sell there and the leader has agreed to pay it.
 */
export function resolveBid(state: BiddingState, bid: IncomingBid, increment: Increment): BidResolution {
  const minimum = minimumNextBid(state, increment);
  const amount = bid.amount ?? minimum;
  const max = Math.max(bid.maxAmount ?? amount, amount);
  if (amount < minimum) return { ok: false, code: "BID_TOO_LOW", minimum };

  const kind = bid.amount !== null ? "manual" : "proxy";
  const current = state.leader;
  let provisional: Provisional;

  if (current === null) {
    provisional = {
      result: "leading",
      price: amount,
      leader: { bidderId: bid.bidderId, maxAmount: max },
      entries: [{ bidderId: bid.bidderId, amount, kind }],
    };
  } else if (current.bidderId === bid.bidderId) {
    if (max <= current.maxAmount) {
      return { ok: false, code: "MAX_NOT_RAISED", currentMax: current.maxAmount };
    }
    // A max is secret; raising it is not a public bid and must not push the price up on oneself.
    provisional = {
      result: "max_raised",
      price: state.currentPrice,
      leader: { bidderId: bid.bidderId, maxAmount: max },
      entries: [],
    };
  } else if (max > current.maxAmount) {
    const price = Math.max(amount, Math.min(max, current.maxAmount + increment(current.maxAmount)));
    // The old leader's proxy bid up to its max before giving way; history shows that fight.
    const exhausted: HistoryEntry[] =
      current.maxAmount > state.currentPrice
        ? [{ bidderId: current.bidderId, amount: current.maxAmount, kind: "proxy" }]
        : [];
    provisional = {
      result: "leading",
      price,
      leader: { bidderId: bid.bidderId, maxAmount: max },
      entries: [...exhausted, { bidderId: bid.bidderId, amount: price, kind }],
    };
  } else {
    // The challenger's proxy would have gone all the way to its max before losing.
    const defended = Math.min(current.maxAmount, max + increment(max));
    provisional = {
      result: "outbid",
      price: defended,
      leader: current,
      entries: [
        { bidderId: bid.bidderId, amount: max, kind },
        { bidderId: current.bidderId, amount: defended, kind: "proxy" },
      ],
    };
  }

  const { result, price, leader, entries } = applyReserveJump(provisional, state.reservePrice);
  return {
    ok: true,
    result,
    state: { ...state, currentPrice: price, hasBids: true, leader },
    entries,
    priceChanged: price !== state.currentPrice,
    leaderChanged: leader.bidderId !== current?.bidderId,
    previousLeaderId: current?.bidderId ?? null,
    placedAmount: result === "outbid" ? max : price,
    placedMax: max,
  };
}

function applyReserveJump(provisional: Provisional, reservePrice: number | null): Provisional {
  const { price, leader, entries } = provisional;
  if (reservePrice === null || leader.maxAmount < reservePrice || price >= reservePrice) return provisional;
  const last = entries.at(-1);
  const jumped: HistoryEntry[] =
    last !== undefined && last.bidderId === leader.bidderId
      ? [...entries.slice(0, -1), { ...last, amount: reservePrice }]
      : [...entries, { bidderId: leader.bidderId, amount: reservePrice, kind: "proxy" }];
  return { ...provisional, price: reservePrice, entries: jumped };
}

/** How the auction ends if it closes in this state: sold to the leader at the current price, or unsold. */
export function closeOutcome(state: BiddingState): CloseOutcome {
  if (state.leader !== null && reserveMet(state)) {
    return { outcome: "sold", winnerId: state.leader.bidderId, finalPrice: state.currentPrice };
  }
  return { outcome: "unsold", finalPrice: null };
}
