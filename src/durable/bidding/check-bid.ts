import {
  type BiddingState,
  type BidResolution,
  type IncomingBid,
  type Increment,
  minimumNextBid,
  resolveBid,
} from "./proxy";

/**
 * What makes a bid valid: SPEC §5's checks, in the spec's order, in one pure function. The
 * AuctionRoom loads the auction, calls this, and commits what it returns; nothing else decides.
 */

/** SPEC §5 rule 5: at most this many accepted bids per user per auction per second. */
export const BIDS_PER_SECOND = 5;
const RATE_WINDOW_MS = 1_000;

/** What the checks need to know about the auction. */
export interface BidAuction {
  status: "scheduled" | "open" | "closed" | "cancelled";
  sellerId: string;
  currency: string;
  buyNowPrice: number | null;
  bidding: BiddingState;
  increment: Increment;
}

/** A bid as the bidder sent it: `{}` is both null (the minimum), `{maxAmount}` a proxy bid. */
export type BidAttempt = IncomingBid;

export type BidRefusal =
  | { ok: false; code: "AUCTION_NOT_FOUND" }
  | { ok: false; code: "AUCTION_NOT_OPEN"; status: BidAuction["status"] }
  | { ok: false; code: "SELLER_CANNOT_BID" }
  | { ok: false; code: "BID_TOO_LOW"; minimum: number }
  | { ok: false; code: "BID_AT_OR_ABOVE_BUY_NOW"; buyNowPrice: number }
  | { ok: false; code: "RATE_LIMITED"; retryAfterSeconds: number }
  | { ok: false; code: "MAX_NOT_RAISED"; currentMax: number }
  | { ok: false; code: "HOLD_TOO_SMALL"; needed: number };

/**
 * The bidder's money, when bids require funds (SPEC §8): the hold the worker reserved for this
 * bid (null: none yet) and the newest reservation of theirs this auction already settled.
 */
export interface BidFunds {
  hold: { reservation: number; amount: number } | null;
  settledUpTo: number | null;
}

export type BidDecision =
  | {
      ok: true;
      /** `manual` when the bidder named an amount (or sent `{}`), `proxy` for a bare maximum. */
      kind: "manual" | "proxy";
      resolution: Extract<BidResolution, { ok: true }>;
    }
  | BidRefusal;

/**
 * Decides one bid. `recentAcceptedAt` holds when this bidder's earlier bids on this auction were
 * accepted (epoch ms); `now` is the room's clock, passed in so tests control time. With `funds`
 * (bids require money), a bid that passes every rule must also be covered by a fresh hold: else
 * HOLD_TOO_SMALL says how much to reserve. The worker reserves and asks again; a bidder never sees
 * that code.
 */
export function checkBid(
  auction: BidAuction | null,
  attempt: BidAttempt,
  recentAcceptedAt: readonly number[],
  now: number,
  funds: BidFunds | null = null,
): BidDecision {
  if (auction === null) return { ok: false, code: "AUCTION_NOT_FOUND" };
  if (auction.status !== "open") return { ok: false, code: "AUCTION_NOT_OPEN", status: auction.status };
  if (auction.sellerId === attempt.bidderId) return { ok: false, code: "SELLER_CANNOT_BID" };

  const minimum = minimumNextBid(auction.bidding, auction.increment);
  // `{}` is a manual bid of exactly the minimum; only a bare `maxAmount` is a pure proxy bid.
  const amount = attempt.amount ?? (attempt.maxAmount === null ? minimum : null);
  // A maximum below the minimum would commit the bidder above the limit they typed: refuse it too.
  if ((amount ?? minimum) < minimum || (attempt.maxAmount !== null && attempt.maxAmount < minimum)) {
    return { ok: false, code: "BID_TOO_LOW", minimum };
  }
  const commitment = Math.max(amount ?? minimum, attempt.maxAmount ?? 0);
  const buyNowPrice = auction.buyNowPrice;
  if (buyNowPrice !== null && auction.bidding.currentPrice < buyNowPrice && commitment >= buyNowPrice) {
    return { ok: false, code: "BID_AT_OR_ABOVE_BUY_NOW", buyNowPrice };
  }
  if (recentAcceptedAt.filter((t) => t > now - RATE_WINDOW_MS).length >= BIDS_PER_SECOND) {
    return { ok: false, code: "RATE_LIMITED", retryAfterSeconds: 1 };
  }

  const resolution = resolveBid(
    auction.bidding,
    { bidderId: attempt.bidderId, amount, maxAmount: attempt.maxAmount },
    auction.increment,
  );
  // resolveBid guards the minimum itself (it is a total function); from here it cannot fire.
  if (!resolution.ok) {
    return resolution.code === "MAX_NOT_RAISED"
      ? { ok: false, code: "MAX_NOT_RAISED", currentMax: resolution.currentMax }
      : { ok: false, code: "BID_TOO_LOW", minimum: resolution.minimum };
  }
  if (funds && !covers(funds, commitment)) return { ok: false, code: "HOLD_TOO_SMALL", needed: commitment };
  return { ok: true, kind: amount === null ? "proxy" : "manual", resolution };
}

/**
 * A hold covers a commitment when it is large enough and its reservation is newer than any the
 * auction settled: a settled one may already have been lowered on the strength of that settling.
 */
export function covers(funds: BidFunds, commitment: number): boolean {
  const { hold, settledUpTo } = funds;
  if (hold === null || hold.amount < commitment) return false;
  return settledUpTo === null || hold.reservation > settledUpTo;
}

/** The problem `detail` for a refusal: what a bidder needs to know to bid again. */
export function refusalDetail(refusal: BidRefusal, currency: string): string {
  switch (refusal.code) {
    case "AUCTION_NOT_FOUND":
      return "No such auction.";
    case "AUCTION_NOT_OPEN":
      return `The auction is ${refusal.status}; it takes no bids.`;
    case "SELLER_CANNOT_BID":
      return "Sellers cannot bid on their own auction.";
    case "BID_TOO_LOW":
      return `The minimum acceptable bid is ${refusal.minimum} ${currency}.`;
    case "BID_AT_OR_ABOVE_BUY_NOW":
      return `Bids must stay below the buy-now price of ${refusal.buyNowPrice} ${currency}; use buy-now instead.`;
    case "RATE_LIMITED":
      return `At most ${BIDS_PER_SECOND} bids per second per auction.`;
    case "MAX_NOT_RAISED":
      return `You already lead with a maximum of ${refusal.currentMax}; a new bid must raise it.`;
    case "HOLD_TOO_SMALL":
      return `Your funds must cover ${refusal.needed} ${currency}.`;
  }
}
