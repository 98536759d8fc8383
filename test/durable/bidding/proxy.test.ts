import { describe, expect, it } from "vitest";
import {
  type BiddingState,
  type BidResolution,
  closeOutcome,
  type Increment,
  incrementFor,
  minimumNextBid,
  reserveMet,
  resolveBid,
} from "../../../src/durable/bidding";

const krw: Increment = (price) => incrementFor(price, "KRW", null);

function fresh(startingPrice: number, reservePrice: number | null = null): BiddingState {
  return { startingPrice, reservePrice, currentPrice: startingPrice, hasBids: false, leader: null };
}

function accepted(resolution: BidResolution) {
  if (!resolution.ok) throw new Error(`expected the bid to be accepted, got ${resolution.code}`);
  return resolution;
}

/** Alice leads with a 50,000 max at 21,000 after Bob's manual 20,000 was outbid by her proxy. */
const aliceLeadsAt21k: BiddingState = {
  startingPrice: 10_000,
  reservePrice: null,
  currentPrice: 21_000,
  hasBids: true,
  leader: { bidderId: "alice", maxAmount: 50_000 },
};

describe("minimumNextBid", () => {
  it("is the starting price while there are no bids", () => {
    expect(minimumNextBid(fresh(10_000), krw)).toBe(10_000);
  });

  it("is the current price plus the increment at the current price once bid on", () => {
    expect(minimumNextBid(aliceLeadsAt21k, krw)).toBe(22_000);
    expect(minimumNextBid({ ...aliceLeadsAt21k, currentPrice: 9_500 }, krw)).toBe(10_000);
    expect(minimumNextBid(aliceLeadsAt21k, () => 700)).toBe(21_700);
  });
});

describe("reserveMet", () => {
  it("is always met without a reserve, even with no bids", () => {
    expect(reserveMet(fresh(10_000))).toBe(true);
  });

  it("is not met with no bids even when the starting price equals the reserve", () => {
    expect(reserveMet(fresh(10_000, 10_000))).toBe(false);
  });

  it("is met once the current price reaches the reserve", () => {
    const at = (currentPrice: number): BiddingState => ({
      ...aliceLeadsAt21k,
      reservePrice: 30_000,
      currentPrice,
    });
    expect(reserveMet(at(29_999))).toBe(false);
    expect(reserveMet(at(30_000))).toBe(true);
  });
});

describe("resolveBid: the first bid", () => {
  it("a manual amount leads at exactly that amount", () => {
    const r = accepted(resolveBid(fresh(10_000), { bidderId: "bob", amount: 15_000, maxAmount: null }, krw));
    expect(r).toEqual({
      ok: true,
      result: "leading",
      state: {
        startingPrice: 10_000,
        reservePrice: null,
        currentPrice: 15_000,
        hasBids: true,
        leader: { bidderId: "bob", maxAmount: 15_000 },
      },
      entries: [{ bidderId: "bob", amount: 15_000, kind: "manual" }],
      priceChanged: true,
      leaderChanged: true,
      previousLeaderId: null,
      placedAmount: 15_000,
      placedMax: 15_000,
    });
  });

  it("an empty bid is the minimum acceptable bid: the starting price", () => {
    const r = accepted(resolveBid(fresh(10_000), { bidderId: "bob", amount: null, maxAmount: null }, krw));
    expect(r.result).toBe("leading");
    expect(r.state.currentPrice).toBe(10_000);
    expect(r.state.leader).toEqual({ bidderId: "bob", maxAmount: 10_000 });
    expect(r.entries).toEqual([{ bidderId: "bob", amount: 10_000, kind: "proxy" }]);
    expect(r.priceChanged).toBe(false);
    expect(r.leaderChanged).toBe(true);
  });

  it("does not mutate the state it was given", () => {
    const state = fresh(10_000);
    const before = structuredClone(state);
    resolveBid(state, { bidderId: "bob", amount: 15_000, maxAmount: 40_000 }, krw);
    expect(state).toEqual(before);
  });
});

describe("resolveBid: BID_TOO_LOW", () => {
  it("refuses a first bid below the starting price and names the minimum", () => {
    expect(resolveBid(fresh(10_000), { bidderId: "bob", amount: 9_999, maxAmount: null }, krw)).toEqual({
      ok: false,
      code: "BID_TOO_LOW",
      minimum: 10_000,
    });
  });

  it("refuses an amount below current price + increment, accepts exactly that", () => {
    expect(resolveBid(aliceLeadsAt21k, { bidderId: "bob", amount: 21_999, maxAmount: 90_000 }, krw)).toEqual({
      ok: false,
      code: "BID_TOO_LOW",
      minimum: 22_000,
    });
    expect(resolveBid(aliceLeadsAt21k, { bidderId: "bob", amount: 22_000, maxAmount: null }, krw).ok).toBe(
      true,
    );
  });

  it("is checked before the leader's max, so a leader's low amount is too low, not a max raise", () => {
    expect(
      resolveBid(aliceLeadsAt21k, { bidderId: "alice", amount: 21_500, maxAmount: 90_000 }, krw),
    ).toEqual({ ok: false, code: "BID_TOO_LOW", minimum: 22_000 });
  });

  it("uses a fixed increment when the auction has one", () => {
    const fixed700: Increment = (price) => incrementFor(price, "KRW", 700);
    expect(
      resolveBid(aliceLeadsAt21k, { bidderId: "bob", amount: 21_699, maxAmount: null }, fixed700),
    ).toEqual({
      ok: false,
      code: "BID_TOO_LOW",
      minimum: 21_700,
    });
    const r = accepted(
      resolveBid(aliceLeadsAt21k, { bidderId: "bob", amount: 21_700, maxAmount: null }, fixed700),
    );
    // Alice defends one fixed increment above Bob.
    expect(r.entries).toEqual([
      { bidderId: "bob", amount: 21_700, kind: "manual" },
      { bidderId: "alice", amount: 22_400, kind: "proxy" },
    ]);
  });
});

describe("resolveBid: a proxy duel, step by step (KRW, start 10,000)", () => {
  it("follows eBay: the leader pays one increment over the runner-up's max, capped at their own", () => {
    // 1. Alice's proxy opens at the starting price.
    const s1 = accepted(
      resolveBid(fresh(10_000), { bidderId: "alice", amount: null, maxAmount: 50_000 }, krw),
    );
    expect(s1.result).toBe("leading");
    expect(s1.state.currentPrice).toBe(10_000);
    expect(s1.state.leader).toEqual({ bidderId: "alice", maxAmount: 50_000 });
    expect(s1.entries).toEqual([{ bidderId: "alice", amount: 10_000, kind: "proxy" }]);
    expect(s1.placedAmount).toBe(10_000);
    expect(s1.placedMax).toBe(50_000);

    // 2. Bob bids 20,000 by hand; Alice's proxy answers with 20,000 + 1,000.
    const s2 = accepted(resolveBid(s1.state, { bidderId: "bob", amount: 20_000, maxAmount: null }, krw));
    expect(s2.result).toBe("outbid");
    expect(s2.entries).toEqual([
      { bidderId: "bob", amount: 20_000, kind: "manual" },
      { bidderId: "alice", amount: 21_000, kind: "proxy" },
    ]);
    expect(s2.state.currentPrice).toBe(21_000);
    expect(s2.state.leader).toEqual({ bidderId: "alice", maxAmount: 50_000 });
    expect(s2.priceChanged).toBe(true);
    expect(s2.leaderChanged).toBe(false);
    expect(s2.previousLeaderId).toBe("alice");
    expect(s2.placedAmount).toBe(20_000);
    expect(s2.placedMax).toBe(20_000);

    // 3. Bob's 60,000 proxy exhausts Alice's 50,000 and leads at 50,000 + 2,000.
    const s3 = accepted(resolveBid(s2.state, { bidderId: "bob", amount: null, maxAmount: 60_000 }, krw));
    expect(s3.result).toBe("leading");
    expect(s3.entries).toEqual([
      { bidderId: "alice", amount: 50_000, kind: "proxy" },
      { bidderId: "bob", amount: 52_000, kind: "proxy" },
    ]);
    expect(s3.state.currentPrice).toBe(52_000);
    expect(s3.state.leader).toEqual({ bidderId: "bob", maxAmount: 60_000 });
    expect(s3.leaderChanged).toBe(true);
    expect(s3.previousLeaderId).toBe("alice");
    expect(s3.placedAmount).toBe(52_000);
    expect(s3.placedMax).toBe(60_000);

    // 4. Alice matches Bob's max by hand: the tie goes to Bob's earlier bid, at his max.
    const s4 = accepted(resolveBid(s3.state, { bidderId: "alice", amount: 60_000, maxAmount: null }, krw));
    expect(s4.result).toBe("outbid");
    expect(s4.entries).toEqual([
      { bidderId: "alice", amount: 60_000, kind: "manual" },
      { bidderId: "bob", amount: 60_000, kind: "proxy" },
    ]);
    expect(s4.state.currentPrice).toBe(60_000);
    expect(s4.state.leader).toEqual({ bidderId: "bob", maxAmount: 60_000 });

    // 5. Alice goes to 100,000; Bob's max equals the price, so no proxy entry is owed to him.
    const s5 = accepted(resolveBid(s4.state, { bidderId: "alice", amount: null, maxAmount: 100_000 }, krw));
    expect(s5.result).toBe("leading");
    expect(s5.entries).toEqual([{ bidderId: "alice", amount: 62_000, kind: "proxy" }]);
    expect(s5.state.currentPrice).toBe(62_000);
    expect(s5.state.leader).toEqual({ bidderId: "alice", maxAmount: 100_000 });
  });

  it("an equal max loses to the earlier bid, which defends at that max", () => {
    const r = accepted(
      resolveBid(aliceLeadsAt21k, { bidderId: "bob", amount: null, maxAmount: 50_000 }, krw),
    );
    expect(r.result).toBe("outbid");
    expect(r.entries).toEqual([
      { bidderId: "bob", amount: 50_000, kind: "proxy" },
      { bidderId: "alice", amount: 50_000, kind: "proxy" },
    ]);
    expect(r.state.currentPrice).toBe(50_000);
    expect(r.state.leader).toEqual({ bidderId: "alice", maxAmount: 50_000 });
  });

  it("a losing bid with a max records the max, since the bidder's proxy would have gone that far", () => {
    const r = accepted(
      resolveBid(aliceLeadsAt21k, { bidderId: "bob", amount: 25_000, maxAmount: 30_000 }, krw),
    );
    expect(r.entries).toEqual([
      { bidderId: "bob", amount: 30_000, kind: "manual" },
      { bidderId: "alice", amount: 31_000, kind: "proxy" },
    ]);
    expect(r.placedAmount).toBe(30_000);
    expect(r.placedMax).toBe(30_000);
  });

  it("never prices a winning manual amount below what was typed", () => {
    const r = accepted(
      resolveBid(aliceLeadsAt21k, { bidderId: "bob", amount: 90_000, maxAmount: null }, krw),
    );
    expect(r.result).toBe("leading");
    expect(r.entries).toEqual([
      { bidderId: "alice", amount: 50_000, kind: "proxy" },
      { bidderId: "bob", amount: 90_000, kind: "manual" },
    ]);
    expect(r.state.currentPrice).toBe(90_000);
  });

  it("an amount with a higher max leads one increment over the old max, recorded as manual", () => {
    const r = accepted(
      resolveBid(aliceLeadsAt21k, { bidderId: "carol", amount: 30_000, maxAmount: 70_000 }, krw),
    );
    expect(r.entries).toEqual([
      { bidderId: "alice", amount: 50_000, kind: "proxy" },
      { bidderId: "carol", amount: 52_000, kind: "manual" },
    ]);
    expect(r.state.leader).toEqual({ bidderId: "carol", maxAmount: 70_000 });
    expect(r.placedAmount).toBe(52_000);
    expect(r.placedMax).toBe(70_000);
  });

  it("a max just above the old max leads at that max rather than a full increment over", () => {
    const r = accepted(
      resolveBid(aliceLeadsAt21k, { bidderId: "bob", amount: null, maxAmount: 50_500 }, krw),
    );
    expect(r.state.currentPrice).toBe(50_500);
    expect(r.entries).toEqual([
      { bidderId: "alice", amount: 50_000, kind: "proxy" },
      { bidderId: "bob", amount: 50_500, kind: "proxy" },
    ]);
  });
});

describe("resolveBid: the leader bids again", () => {
  it("raises the max without raising the price or writing public history", () => {
    const r = accepted(
      resolveBid(aliceLeadsAt21k, { bidderId: "alice", amount: null, maxAmount: 80_000 }, krw),
    );
    expect(r).toEqual({
      ok: true,
      result: "max_raised",
      state: { ...aliceLeadsAt21k, leader: { bidderId: "alice", maxAmount: 80_000 } },
      entries: [],
      priceChanged: false,
      leaderChanged: false,
      previousLeaderId: "alice",
      placedAmount: 21_000,
      placedMax: 80_000,
    });
  });

  it("a manual amount from the leader only raises the max too", () => {
    const r = accepted(
      resolveBid(aliceLeadsAt21k, { bidderId: "alice", amount: 60_000, maxAmount: null }, krw),
    );
    expect(r.result).toBe("max_raised");
    expect(r.state.currentPrice).toBe(21_000);
    expect(r.state.leader).toEqual({ bidderId: "alice", maxAmount: 60_000 });
  });

  it("refuses a max that is not above the current one with MAX_NOT_RAISED", () => {
    const notRaised = { ok: false, code: "MAX_NOT_RAISED", currentMax: 50_000 };
    expect(resolveBid(aliceLeadsAt21k, { bidderId: "alice", amount: null, maxAmount: 50_000 }, krw)).toEqual(
      notRaised,
    );
    expect(resolveBid(aliceLeadsAt21k, { bidderId: "alice", amount: null, maxAmount: 40_000 }, krw)).toEqual(
      notRaised,
    );
    expect(resolveBid(aliceLeadsAt21k, { bidderId: "alice", amount: null, maxAmount: null }, krw)).toEqual(
      notRaised,
    );
  });
});

describe("resolveBid: reserve jump", () => {
  it("a first proxy that covers the reserve opens at the reserve", () => {
    const r = accepted(
      resolveBid(fresh(10_000, 30_000), { bidderId: "alice", amount: null, maxAmount: 50_000 }, krw),
    );
    expect(r.result).toBe("leading");
    expect(r.state.currentPrice).toBe(30_000);
    expect(r.entries).toEqual([{ bidderId: "alice", amount: 30_000, kind: "proxy" }]);
    expect(r.priceChanged).toBe(true);
    expect(r.placedAmount).toBe(30_000);
    expect(reserveMet(r.state)).toBe(true);
  });

  it("a max below the reserve leaves the price alone and the reserve unmet", () => {
    const r = accepted(
      resolveBid(fresh(10_000, 30_000), { bidderId: "alice", amount: null, maxAmount: 29_999 }, krw),
    );
    expect(r.state.currentPrice).toBe(10_000);
    expect(reserveMet(r.state)).toBe(false);
  });

  it("a new leader whose max covers the reserve lifts the price from the proxy price to the reserve", () => {
    const below: BiddingState = {
      startingPrice: 10_000,
      reservePrice: 40_000,
      currentPrice: 10_000,
      hasBids: true,
      leader: { bidderId: "alice", maxAmount: 35_000 },
    };
    const r = accepted(resolveBid(below, { bidderId: "bob", amount: null, maxAmount: 45_000 }, krw));
    // Without the reserve Bob would lead at 35,000 + 1,000.
    expect(r.entries).toEqual([
      { bidderId: "alice", amount: 35_000, kind: "proxy" },
      { bidderId: "bob", amount: 40_000, kind: "proxy" },
    ]);
    expect(r.state.currentPrice).toBe(40_000);
    expect(r.placedAmount).toBe(40_000);
  });

  it("a leader raising their max past the reserve makes a public proxy bid at the reserve", () => {
    const below: BiddingState = {
      startingPrice: 10_000,
      reservePrice: 30_000,
      currentPrice: 10_000,
      hasBids: true,
      leader: { bidderId: "alice", maxAmount: 10_000 },
    };
    const r = accepted(resolveBid(below, { bidderId: "alice", amount: null, maxAmount: 40_000 }, krw));
    expect(r.result).toBe("max_raised");
    expect(r.entries).toEqual([{ bidderId: "alice", amount: 30_000, kind: "proxy" }]);
    expect(r.state.currentPrice).toBe(30_000);
    expect(r.state.leader).toEqual({ bidderId: "alice", maxAmount: 40_000 });
    expect(r.priceChanged).toBe(true);
    expect(r.leaderChanged).toBe(false);
    expect(r.placedAmount).toBe(30_000);
    expect(r.placedMax).toBe(40_000);
  });

  it("a manual amount already above the reserve is kept", () => {
    const r = accepted(
      resolveBid(fresh(10_000, 30_000), { bidderId: "alice", amount: 35_000, maxAmount: 50_000 }, krw),
    );
    expect(r.state.currentPrice).toBe(35_000);
    expect(r.entries).toEqual([{ bidderId: "alice", amount: 35_000, kind: "manual" }]);
  });
});

describe("closeOutcome", () => {
  it("is unsold when nobody bid", () => {
    expect(closeOutcome(fresh(10_000))).toEqual({ outcome: "unsold", finalPrice: null });
  });

  it("is sold to the leader at the current price when there is no reserve", () => {
    expect(closeOutcome(aliceLeadsAt21k)).toEqual({ outcome: "sold", winnerId: "alice", finalPrice: 21_000 });
  });

  it("is unsold while the reserve is not met, sold once it is", () => {
    expect(closeOutcome({ ...aliceLeadsAt21k, reservePrice: 21_001 })).toEqual({
      outcome: "unsold",
      finalPrice: null,
    });
    expect(closeOutcome({ ...aliceLeadsAt21k, reservePrice: 21_000 })).toEqual({
      outcome: "sold",
      winnerId: "alice",
      finalPrice: 21_000,
    });
  });
});
