import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BiddingState,
  type BidResolution,
  closeOutcome,
  type HistoryEntry,
  type IncomingBid,
  type Increment,
  incrementFor,
  minimumNextBid,
  reserveMet,
  resolveBid,
} from "../../../src/durable/bidding";

/** A bid described relative to the minimum at the moment it is placed, so most of them are acceptable. */
interface BidPlan {
  bidderId: string;
  shape: "amount" | "max" | "both" | "none";
  delta: number;
  maxExtra: number;
}

interface Auction {
  startingPrice: number;
  reservePrice: number | null;
  increment: Increment;
}

interface Step {
  before: BiddingState;
  bid: IncomingBid;
  resolution: BidResolution;
}

const bidderIds = ["alice", "bob", "carol"];

const deltaArb = fc.oneof(
  { arbitrary: fc.integer({ min: -5_000, max: -1 }), weight: 1 },
  { arbitrary: fc.constant(0), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 3_000 }), weight: 3 },
  { arbitrary: fc.integer({ min: 3_001, max: 200_000 }), weight: 2 },
);

const planArb = (bidders: readonly string[]): fc.Arbitrary<BidPlan> =>
  fc.record({
    bidderId: fc.constantFrom(...bidders),
    shape: fc.constantFrom("amount", "max", "both", "none"),
    delta: deltaArb,
    maxExtra: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200_000 })),
  });

const auctionArb: fc.Arbitrary<Auction> = fc
  .record({
    startingPrice: fc.integer({ min: 1, max: 600_000 }),
    reserveOffset: fc.option(fc.integer({ min: 0, max: 400_000 }), { nil: null }),
    table: fc.constantFrom("KRW", "USD", "fixed"),
    fixed: fc.integer({ min: 1, max: 5_000 }),
  })
  .map(({ startingPrice, reserveOffset, table, fixed }) => {
    const currency = table === "fixed" ? "EUR" : table;
    const minIncrement = table === "fixed" ? fixed : null;
    return {
      startingPrice,
      reservePrice: reserveOffset === null ? null : startingPrice + reserveOffset,
      increment: (price: number) => incrementFor(price, currency, minIncrement),
    };
  });

function toBid(plan: BidPlan, minimum: number): IncomingBid {
  const amount = Math.max(1, minimum + plan.delta);
  switch (plan.shape) {
    case "amount":
      return { bidderId: plan.bidderId, amount, maxAmount: null };
    case "max":
      return { bidderId: plan.bidderId, amount: null, maxAmount: amount };
    case "both":
      // Callers validate maxAmount >= amount before the domain sees a bid.
      return { bidderId: plan.bidderId, amount, maxAmount: amount + plan.maxExtra };
    case "none":
      return { bidderId: plan.bidderId, amount: null, maxAmount: null };
  }
}

function replay(auction: Auction, plans: readonly BidPlan[]): { steps: Step[]; final: BiddingState } {
  let state: BiddingState = {
    startingPrice: auction.startingPrice,
    reservePrice: auction.reservePrice,
    currentPrice: auction.startingPrice,
    hasBids: false,
    leader: null,
  };
  const steps: Step[] = [];
  for (const plan of plans) {
    const bid = toBid(plan, minimumNextBid(state, auction.increment));
    const resolution = resolveBid(state, bid, auction.increment);
    steps.push({ before: state, bid, resolution });
    if (resolution.ok) state = resolution.state;
  }
  return { steps, final: state };
}

const scenarioArb = fc.record({
  auction: auctionArb,
  plans: fc.array(planArb(bidderIds), { minLength: 1, maxLength: 40 }),
});

describe("resolveBid properties over random bid sequences", () => {
  it("the leader holds the highest max accepted so far, and the first bidder to reach it", () => {
    fc.assert(
      fc.property(scenarioArb, ({ auction, plans }) => {
        let highest: { bidderId: string; maxAmount: number } | null = null;
        for (const { bid, resolution } of replay(auction, plans).steps) {
          if (!resolution.ok) continue;
          if (highest === null || resolution.placedMax > highest.maxAmount) {
            highest = { bidderId: bid.bidderId, maxAmount: resolution.placedMax };
          }
          expect(resolution.state.leader).toEqual(highest);
        }
      }),
    );
  });

  it("the price stays between the starting price and the leader's max", () => {
    fc.assert(
      fc.property(scenarioArb, ({ auction, plans }) => {
        for (const { resolution } of replay(auction, plans).steps) {
          if (!resolution.ok) continue;
          const { currentPrice, leader } = resolution.state;
          expect(currentPrice).toBeGreaterThanOrEqual(auction.startingPrice);
          expect(leader).not.toBeNull();
          expect(currentPrice).toBeLessThanOrEqual(leader?.maxAmount ?? Number.NaN);
        }
      }),
    );
  });

  it("the price never decreases, and every accepted bid except a max raise strictly increases it", () => {
    fc.assert(
      fc.property(scenarioArb, ({ auction, plans }) => {
        for (const { before, resolution } of replay(auction, plans).steps) {
          if (!resolution.ok) continue;
          const after = resolution.state.currentPrice;
          expect(after).toBeGreaterThanOrEqual(before.currentPrice);
          expect(resolution.priceChanged).toBe(after !== before.currentPrice);
          expect(resolution.state.hasBids).toBe(true);
          // The first bid may be at exactly the starting price, which is already the current price.
          if (before.hasBids && resolution.result !== "max_raised") {
            expect(after).toBeGreaterThan(before.currentPrice);
          }
        }
      }),
    );
  });

  it("a bid never leaves the price below the amount typed, and a max raise strictly raises the max", () => {
    fc.assert(
      fc.property(scenarioArb, ({ auction, plans }) => {
        for (const { before, bid, resolution } of replay(auction, plans).steps) {
          if (!resolution.ok) continue;
          if (resolution.result === "max_raised") {
            expect(resolution.state.leader?.maxAmount).toBeGreaterThan(
              before.leader?.maxAmount ?? Number.NaN,
            );
            expect(resolution.placedAmount).toBe(resolution.state.currentPrice);
          } else {
            expect(resolution.state.currentPrice).toBeGreaterThanOrEqual(bid.amount ?? 0);
            expect(resolution.placedAmount).toBeGreaterThanOrEqual(bid.amount ?? 0);
          }
          expect(resolution.placedMax).toBeGreaterThanOrEqual(resolution.placedAmount);
        }
      }),
    );
  });

  it("a bid is refused as too low exactly when its amount is under the minimum, which it reports", () => {
    fc.assert(
      fc.property(scenarioArb, ({ auction, plans }) => {
        for (const { before, bid, resolution } of replay(auction, plans).steps) {
          const minimum = minimumNextBid(before, auction.increment);
          const tooLow = bid.amount !== null && bid.amount < minimum;
          if (tooLow) expect(resolution).toEqual({ ok: false, code: "BID_TOO_LOW", minimum });
          else expect(resolution.ok || resolution.code === "MAX_NOT_RAISED").toBe(true);
          if (!resolution.ok && resolution.code === "MAX_NOT_RAISED") {
            expect(before.leader?.bidderId).toBe(bid.bidderId);
            expect(resolution.currentMax).toBe(before.leader?.maxAmount);
          }
        }
      }),
    );
  });

  it("history amounts never decrease, each bidder's own rows strictly increase, and a bid ends at the new price", () => {
    fc.assert(
      fc.property(scenarioArb, ({ auction, plans }) => {
        const history: HistoryEntry[] = [];
        for (const { resolution } of replay(auction, plans).steps) {
          if (!resolution.ok) continue;
          history.push(...resolution.entries);
          const last = resolution.entries.at(-1);
          if (last !== undefined) expect(last.amount).toBe(resolution.state.currentPrice);
          if (resolution.result !== "max_raised") expect(resolution.entries.length).toBeGreaterThan(0);
        }
        for (let i = 1; i < history.length; i++) {
          expect(history[i]?.amount).toBeGreaterThanOrEqual(history[i - 1]?.amount ?? Number.NaN);
        }
        // A bidder never appears twice at the same amount: each of their rows is a real step up.
        for (const bidderId of bidderIds) {
          const own = history.filter((entry) => entry.bidderId === bidderId).map((entry) => entry.amount);
          for (let i = 1; i < own.length; i++) {
            expect(own[i]).toBeGreaterThan(own[i - 1] ?? Number.NaN);
          }
        }
      }),
    );
  });

  it("once the leader's max covers the reserve, the reserve is met", () => {
    fc.assert(
      fc.property(scenarioArb, ({ auction, plans }) => {
        for (const { resolution } of replay(auction, plans).steps) {
          if (!resolution.ok || auction.reservePrice === null) continue;
          const covered = (resolution.state.leader?.maxAmount ?? 0) >= auction.reservePrice;
          expect(reserveMet(resolution.state)).toBe(covered);
        }
      }),
    );
  });

  it("with a single bidder the price is the starting price, their first manual amount, or the reserve", () => {
    fc.assert(
      fc.property(
        auctionArb,
        fc.array(planArb(["alice"]), { minLength: 1, maxLength: 20 }),
        (auction, plans) => {
          const { steps, final } = replay(auction, plans);
          const first = steps.find((step) => step.resolution.ok);
          if (first === undefined) {
            expect(final.hasBids).toBe(false);
            return;
          }
          const allowed = [first.bid.amount ?? auction.startingPrice, auction.reservePrice];
          for (const { resolution } of steps) {
            if (!resolution.ok) continue;
            expect(allowed).toContain(resolution.state.currentPrice);
            expect(resolution.entries.every((entry) => entry.bidderId === "alice")).toBe(true);
          }
        },
      ),
    );
  });

  it("the auction is sold to the leader at the current price exactly when the reserve is met", () => {
    fc.assert(
      fc.property(scenarioArb, ({ auction, plans }) => {
        const { final } = replay(auction, plans);
        const outcome = closeOutcome(final);
        if (final.leader !== null && reserveMet(final)) {
          expect(outcome).toEqual({
            outcome: "sold",
            winnerId: final.leader.bidderId,
            finalPrice: final.currentPrice,
          });
          expect(final.currentPrice).toBeGreaterThanOrEqual(auction.reservePrice ?? 0);
        } else {
          expect(outcome).toEqual({ outcome: "unsold", finalPrice: null });
        }
      }),
    );
  });
});
