import { describe, expect, it } from "vitest";
import {
  BIDS_PER_SECOND,
  type BidAttempt,
  type BidAuction,
  checkBid,
  refusalDetail,
} from "../../../src/durable/bidding/check-bid";
import { incrementFor } from "../../../src/durable/bidding/increments";

const NOW = Date.UTC(2026, 8, 1, 12, 0, 0);
const SELLER = "seller";
const ALICE = "alice";
const BOB = "bob";

/** An open KRW auction at 10,000 (next bid 11,000) with a buy-now of 50,000; Bob leads with a max of 20,000. */
function auction(overrides: Partial<BidAuction> = {}): BidAuction {
  return {
    status: "open",
    sellerId: SELLER,
    currency: "KRW",
    buyNowPrice: 50_000,
    increment: (price) => incrementFor(price, "KRW", null),
    bidding: {
      startingPrice: 10_000,
      reservePrice: null,
      currentPrice: 10_000,
      hasBids: true,
      leader: { bidderId: BOB, maxAmount: 20_000 },
    },
    ...overrides,
  };
}

function attempt(bidderId: string, amount: number | null, maxAmount: number | null = null): BidAttempt {
  return { bidderId, amount, maxAmount };
}

/** Five accepted bids within the last second: the sixth is over the limit. */
const FLOODED = Array.from({ length: BIDS_PER_SECOND }, (_, i) => NOW - 100 * i);

describe("checkBid: SPEC §5's checks, in order", () => {
  // Each row breaks every rule from its expected code on, so a reordering changes the answer.
  it.each([
    [
      "missing auction, seller, too low, over buy-now, flooded",
      null,
      attempt(SELLER, 1, 60_000),
      FLOODED,
      "AUCTION_NOT_FOUND",
    ],
    [
      "closed, seller, too low, over buy-now, flooded",
      auction({ status: "closed" }),
      attempt(SELLER, 1, 60_000),
      FLOODED,
      "AUCTION_NOT_OPEN",
    ],
    [
      "scheduled, seller, too low",
      auction({ status: "scheduled" }),
      attempt(SELLER, 1),
      FLOODED,
      "AUCTION_NOT_OPEN",
    ],
    [
      "seller, too low, over buy-now, flooded",
      auction(),
      attempt(SELLER, 1, 60_000),
      FLOODED,
      "SELLER_CANNOT_BID",
    ],
    [
      "too low amount, max over buy-now, flooded",
      auction(),
      attempt(ALICE, 1, 60_000),
      FLOODED,
      "BID_TOO_LOW",
    ],
    ["max below the minimum, flooded", auction(), attempt(ALICE, null, 10_900), FLOODED, "BID_TOO_LOW"],
    ["at buy-now, flooded", auction(), attempt(ALICE, 50_000), FLOODED, "BID_AT_OR_ABOVE_BUY_NOW"],
    [
      "max at buy-now, flooded",
      auction(),
      attempt(ALICE, 11_000, 50_000),
      FLOODED,
      "BID_AT_OR_ABOVE_BUY_NOW",
    ],
    ["flooded, leader not raising", auction(), attempt(BOB, 11_000, 15_000), FLOODED, "RATE_LIMITED"],
    ["leader not raising", auction(), attempt(BOB, 11_000, 15_000), [], "MAX_NOT_RAISED"],
  ] as const)("%s → %s", (_name, state, bid, recent, code) => {
    const decision = checkBid(state, bid, recent, NOW);
    expect(decision.ok ? "accepted" : decision.code).toBe(code);
  });

  it("allows bids at or over buy-now once the price has reached it (buy-now no longer available)", () => {
    const state = auction({
      buyNowPrice: 12_000,
      bidding: { ...auction().bidding, currentPrice: 12_000, leader: { bidderId: BOB, maxAmount: 12_000 } },
    });
    const decision = checkBid(state, attempt(ALICE, 13_000), [], NOW);
    expect(decision.ok).toBe(true);
  });

  it("forgets accepted bids older than a second", () => {
    const old = FLOODED.map((t) => t - 1_000);
    expect(checkBid(auction(), attempt(ALICE, 11_000), old, NOW).ok).toBe(true);
  });

  it("treats {} as a manual bid of exactly the minimum, and a bare max as a proxy bid", () => {
    const plain = checkBid(auction(), attempt(ALICE, null), [], NOW);
    if (!plain.ok) throw new Error(plain.code);
    expect(plain.kind).toBe("manual");
    // Bob's proxy answers at once: Alice's entry comes first, then his.
    expect(plain.resolution.entries[0]).toEqual({ bidderId: ALICE, amount: 11_000, kind: "manual" });
    expect(plain.resolution.result).toBe("outbid");
    const proxy = checkBid(auction(), attempt(ALICE, null, 30_000), [], NOW);
    if (!proxy.ok) throw new Error(proxy.code);
    expect(proxy.kind).toBe("proxy");
    expect(proxy.resolution.result).toBe("leading");
    expect(proxy.resolution.state.currentPrice).toBe(21_000);
  });

  it("describes each refusal with the figures a bidder needs", () => {
    const tooLow = checkBid(auction(), attempt(ALICE, 1), [], NOW);
    if (tooLow.ok) throw new Error("accepted");
    expect(refusalDetail(tooLow, "KRW")).toBe("The minimum acceptable bid is 11000 KRW.");
    const buyNow = checkBid(auction(), attempt(ALICE, 60_000), [], NOW);
    if (buyNow.ok) throw new Error("accepted");
    expect(refusalDetail(buyNow, "KRW")).toBe(
      "Bids must stay below the buy-now price of 50000 KRW; use buy-now instead.",
    );
    const flood = checkBid(auction(), attempt(ALICE, 11_000), FLOODED, NOW);
    expect(flood).toEqual({ ok: false, code: "RATE_LIMITED", retryAfterSeconds: 1 });
  });
});

describe("checkBid with funds required: a fresh hold must cover the commitment, checked last", () => {
  const hold = (reservation: number, amount: number) => ({ hold: { reservation, amount }, settledUpTo: 2 });

  it("refuses by every rule of §5 first, even with no hold at all", () => {
    const noHold = { hold: null, settledUpTo: null };
    expect(checkBid(auction(), attempt(ALICE, 1), [], NOW, noHold)).toMatchObject({ code: "BID_TOO_LOW" });
    expect(checkBid(auction(), attempt(BOB, 11_000, 15_000), [], NOW, noHold)).toMatchObject({
      code: "MAX_NOT_RAISED",
    });
  });

  it.each([
    ["{} needs the minimum", attempt(ALICE, null), 11_000],
    ["an exact bid needs its amount", attempt(ALICE, 14_000), 14_000],
    ["a bid with a maximum needs the maximum", attempt(ALICE, 12_000, 30_000), 30_000],
    ["a leader raising needs the new maximum", attempt(BOB, null, 40_000), 40_000],
  ] as const)("%s (%i)", (_name, bid, needed) => {
    expect(checkBid(auction(), bid, [], NOW, hold(3, needed - 1))).toEqual({
      ok: false,
      code: "HOLD_TOO_SMALL",
      needed,
    });
    expect(checkBid(auction(), bid, [], NOW, hold(3, needed)).ok).toBe(true);
  });

  it("does not count a hold whose reservation the auction already settled (it may have been lowered since)", () => {
    expect(checkBid(auction(), attempt(ALICE, 14_000), [], NOW, hold(2, 50_000))).toEqual({
      ok: false,
      code: "HOLD_TOO_SMALL",
      needed: 14_000,
    });
  });
});
