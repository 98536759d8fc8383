import { describe, expect, it } from "vitest";
import { lifecycleChanges, lifecycleSchedules } from "../../../src/durable/auction-room/lifecycle";
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
