import { describe, expect, it } from "vitest";
import { type StandingFacts, standingOf } from "../../src/shared/standing";

const open: StandingFacts = {
  status: "open",
  outcome: null,
  leaderIsYou: false,
  winnerIsYou: false,
  viewerHasBid: false,
};

describe("standingOf", () => {
  it("says nothing to a reader who has not bid", () => {
    expect(standingOf(open)).toBe(null);
    expect(standingOf({ ...open, status: "closed", outcome: "sold" })).toBe(null);
  });

  it("tells a bidder whether they lead while it is open", () => {
    expect(standingOf({ ...open, viewerHasBid: true, leaderIsYou: true })).toBe("leading");
    expect(standingOf({ ...open, viewerHasBid: true })).toBe("outbid");
  });

  it("tells a bidder whether they won once it closed", () => {
    const closed = { ...open, status: "closed" as const, outcome: "sold" as const, viewerHasBid: true };
    expect(standingOf({ ...closed, winnerIsYou: true })).toBe("won");
    expect(standingOf(closed)).toBe("lost");
    expect(standingOf({ ...closed, outcome: "unsold", leaderIsYou: true })).toBe("lost");
    expect(standingOf({ ...closed, status: "cancelled" })).toBe(null);
  });
});
