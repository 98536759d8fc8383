import { describe, expect, it } from "vitest";
import {
  closingAt,
  endingSoonDue,
  lifecycleChanges,
  lifecycleSchedules,
  openingAt,
} from "../../../src/durable/auction-room/lifecycle";
import { type AuctionState, ENDING_SOON_LEAD_MS } from "../../../src/durable/auction-room/state";

const HOUR = 3_600_000;

function auction(overrides: Partial<AuctionState> = {}): AuctionState {
  return {
    id: "auc_1",
    sellerId: "usr_s",
    sellerNickname: "S",
    title: "Camera",
    description: "",
    category: null,
    imageUrls: [],
    currency: "KRW",
    startingPrice: 10_000,
    reservePrice: null,
    buyNowPrice: null,
    minIncrement: null,
    startsAt: 1 * HOUR,
    endsAt: 3 * HOUR,
    softClose: null,
    createdAt: 0,
    status: "open",
    outcome: null,
    endedBy: null,
    currentPrice: 10_000,
    hasBids: false,
    bidCount: 0,
    leader: null,
    winnerId: null,
    extendedCount: 0,
    endingSoonSent: false,
    updatedAt: 0,
    ...overrides,
  };
}

describe("lifecycle schedules", () => {
  it("wakes a scheduled auction at startsAt only", () => {
    expect(lifecycleSchedules(auction({ status: "scheduled" }))).toEqual({
      "auction.open": HOUR,
      "auction.ending-soon": null,
      "auction.close": null,
    });
  });

  it("wakes an open auction for ending soon (10 min before the end, once) and at endsAt", () => {
    expect(lifecycleSchedules(auction())).toEqual({
      "auction.open": null,
      "auction.ending-soon": 3 * HOUR - ENDING_SOON_LEAD_MS,
      "auction.close": 3 * HOUR,
    });
    expect(lifecycleSchedules(auction({ endingSoonSent: true }))["auction.ending-soon"]).toBeNull();
    // A ten-minute auction is "ending soon" as soon as it starts.
    expect(lifecycleSchedules(auction({ endsAt: HOUR + 60_000 }))["auction.ending-soon"]).toBe(HOUR);
  });

  it("never wakes for a closed or cancelled auction, nor for none", () => {
    const none = { "auction.open": null, "auction.ending-soon": null, "auction.close": null };
    expect(lifecycleSchedules(auction({ status: "closed" }))).toEqual(none);
    expect(lifecycleSchedules(auction({ status: "cancelled" }))).toEqual(none);
    expect(lifecycleSchedules(null)).toEqual(none);
  });

  it("lists only what a change moves", () => {
    const open = auction();
    expect(lifecycleChanges(open, { ...open, currentPrice: 11_000 })).toEqual([]);
    expect(lifecycleChanges(open, { ...open, endsAt: 4 * HOUR })).toEqual([
      ["auction.ending-soon", 4 * HOUR - ENDING_SOON_LEAD_MS],
      ["auction.close", 4 * HOUR],
    ]);
    expect(lifecycleChanges(open, { ...open, status: "closed" })).toEqual([
      ["auction.ending-soon", null],
      ["auction.close", null],
    ]);
    expect(lifecycleChanges(null, auction({ status: "scheduled" }))).toEqual([["auction.open", HOUR]]);
  });
});

describe("what time alone changes", () => {
  it("opens a scheduled auction at startsAt, not before", () => {
    const scheduled = auction({ status: "scheduled" });
    expect(openingAt(scheduled, HOUR - 1)).toBeNull();
    expect(openingAt(scheduled, HOUR)).toMatchObject({ status: "open", updatedAt: HOUR });
    expect(openingAt(auction(), 2 * HOUR)).toBeNull();
  });

  it("closes at endsAt: sold to the leader at the current price when the reserve is met", () => {
    const leading = auction({
      hasBids: true,
      currentPrice: 16_000,
      reservePrice: 15_000,
      leader: { bidderId: "usr_a", maxAmount: 20_000 },
    });
    expect(closingAt(leading, 3 * HOUR - 1)).toBeNull();
    expect(closingAt(leading, 3 * HOUR)).toEqual({
      closed: {
        ...leading,
        status: "closed",
        outcome: "sold",
        endedBy: "time",
        winnerId: "usr_a",
        updatedAt: 3 * HOUR,
      },
      close: { outcome: "sold", endedBy: "time", finalPrice: 16_000, winnerId: "usr_a" },
    });
  });

  it("closes unsold below the reserve or without bids, and never twice", () => {
    const below = auction({
      hasBids: true,
      reservePrice: 50_000,
      leader: { bidderId: "usr_a", maxAmount: 20_000 },
    });
    expect(closingAt(below, 3 * HOUR)?.close).toEqual({
      outcome: "unsold",
      endedBy: "time",
      finalPrice: null,
      winnerId: null,
    });
    expect(closingAt(auction(), 3 * HOUR)?.closed.outcome).toBe("unsold");
    expect(closingAt(auction({ status: "closed" }), 4 * HOUR)).toBeNull();
  });

  it("is due to announce ending soon once, from 10 minutes before the end", () => {
    expect(endingSoonDue(auction(), 3 * HOUR - ENDING_SOON_LEAD_MS - 1)).toBe(false);
    expect(endingSoonDue(auction(), 3 * HOUR - ENDING_SOON_LEAD_MS)).toBe(true);
    expect(endingSoonDue(auction({ endingSoonSent: true }), 3 * HOUR)).toBe(false);
    expect(endingSoonDue(auction({ status: "scheduled" }), 3 * HOUR)).toBe(false);
  });
});
