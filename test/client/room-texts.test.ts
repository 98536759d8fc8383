import { describe, expect, it } from "vitest";
import { type RoomState, roomFromAuction } from "../../src/client/live/room-state";
import { historyLine, roomTexts } from "../../src/client/live/room-texts";

const NOW = Date.parse("2026-11-20T10:00:00.000Z");

function state(overrides: Partial<RoomState> = {}): RoomState {
  const base = roomFromAuction(
    {
      id: "auc_1",
      title: "Film camera",
      currency: "KRW",
      status: "open",
      outcome: null,
      currentPrice: 12_000,
      bidCount: 3,
      leader: { handle: "b***2" },
      leaderIsYou: false,
      minimumNextBid: 13_000,
      reserveMet: false,
      buyNowPrice: null,
      endsAt: "2026-11-20T10:04:05.900Z",
      extendedCount: 0,
      winnerId: null,
      serverTime: "2026-11-20T10:00:00.000Z",
    },
    3,
    null,
    NOW,
  );
  return { ...base, ...overrides };
}

describe("roomTexts", () => {
  it("writes the live figures as the page does", () => {
    expect(roomTexts(state(), "en", NOW)).toEqual({
      price: "₩12,000",
      bidCount: "3",
      leader: "b***2",
      minimum: "₩13,000",
      reserve: "Reserve not met",
      timeLeft: "4m 05s",
      status: "Open",
      standing: "",
      result: "",
    });
  });

  it("in Korean too", () => {
    expect(roomTexts(state({ reserveMet: true, standing: "leading" }), "ko", NOW)).toMatchObject({
      price: "12,000원",
      reserve: "최저 낙찰가 충족",
      standing: "현재 최고 입찰자입니다",
    });
  });

  it("says who leads, or that nobody has bid", () => {
    expect(roomTexts(state({ leader: null, bidCount: 0 }), "en", NOW).leader).toBe("No bids yet");
  });

  it("counts down on the server's clock", () => {
    // The browser is 65 s behind the server: 65 s less is left than its own clock says.
    expect(roomTexts(state({ offsetMs: 65_000 }), "en", NOW).timeLeft).toBe("3m 00s");
    expect(roomTexts(state(), "en", NOW + 10 * 60_000).timeLeft).toBe("Ended");
  });

  it("writes the standing and the result after the close", () => {
    const sold = state({
      status: "closed",
      standing: "won",
      result: { kind: "sold", winner: "b***2", price: 15_000 },
    });
    expect(roomTexts(sold, "en", NOW)).toMatchObject({
      standing: "You won",
      result: "Sold to b***2 for ₩15,000",
      timeLeft: "Ended",
    });
    expect(
      roomTexts(state({ status: "closed", standing: "lost", result: { kind: "unsold" } }), "en", NOW),
    ).toMatchObject({
      standing: "You did not win",
      result: "Not sold",
    });
    expect(roomTexts(state({ standing: "outbid" }), "en", NOW).standing).toBe("You were outbid");
    expect(roomTexts(state({ status: "cancelled", result: { kind: "cancelled" } }), "en", NOW)).toMatchObject(
      {
        result: "This auction was cancelled",
        timeLeft: "Ended",
      },
    );
  });
});

describe("historyLine", () => {
  it("is the bidder's handle, the amount and when, in the reader's language and Korea's time", () => {
    expect(
      historyLine(
        { amount: 12_000, bidder: { handle: "you" }, placedAt: "2026-11-20T01:02:00.000Z" },
        "KRW",
        "en",
      ),
    ).toEqual({
      handle: "you",
      price: "₩12,000",
      time: "Nov 20, 2026, 10:02 AM",
      iso: "2026-11-20T01:02:00.000Z",
    });
  });
});
