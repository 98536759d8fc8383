import { describe, expect, it } from "vitest";
import {
  applyFrame,
  type RoomEffect,
  type RoomState,
  roomFromAuction,
  viewerBid,
} from "../../src/client/live/room-state";
import type { LiveAuction, RoomFrame } from "../../src/shared/live-frames";
import { liveAuction as auction } from "./fixtures";

const T0 = Date.parse("2026-11-20T10:00:00.000Z");
const ALICE = "usr_alice";

function bid(seq: number, overrides: Partial<Extract<RoomFrame, { type: "bid" }>> = {}): RoomFrame {
  return {
    type: "bid",
    seq,
    serverTime: "2026-11-20T10:00:05.000Z",
    price: 10_000 + seq * 1_000,
    bidCount: seq,
    leader: { handle: `b***${seq}` },
    leaderIsYou: false,
    endsAt: "2026-11-20T11:00:00.000Z",
    extended: false,
    minimumNextBid: 11_000 + seq * 1_000,
    reserveMet: true,
    ...overrides,
  };
}

const bid3Closed = (): RoomFrame => ({
  type: "closed",
  seq: 3,
  serverTime: "2026-11-20T11:00:00.000Z",
  outcome: "sold",
  endedBy: "time",
  finalPrice: 12_000,
  winner: { handle: "b***2" },
  winnerIsYou: false,
});

const start = (overrides: Partial<LiveAuction> = {}, seq: number | null = 1, viewer: string | null = ALICE) =>
  roomFromAuction(auction(overrides), seq, viewer, T0);

/** Applies frames in order, collecting every effect. */
function run(state: RoomState, frames: RoomFrame[], now = T0) {
  const effects: RoomEffect[] = [];
  for (const frame of frames) {
    const step = applyFrame(state, frame, now);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

describe("roomFromAuction", () => {
  it("reads the page's auction as the starting state, with the clock offset from serverTime", () => {
    const state = roomFromAuction(auction({ serverTime: "2026-11-20T10:00:02.500Z" }), 7, null, T0);
    expect(state).toMatchObject({
      seq: 7,
      offsetMs: 2_500,
      price: 10_000,
      bidCount: 0,
      leader: null,
      minimumNextBid: 10_000,
      endsAt: Date.parse("2026-11-20T11:00:00.000Z"),
      standing: null,
      extended: false,
      result: null,
    });
  });

  it("starts a leading viewer as leading, an extended auction as extended", () => {
    const state = start({ leaderIsYou: true, leader: { handle: "b***1" }, bidCount: 1, extendedCount: 2 });
    expect(state.standing).toBe("leading");
    expect(state.extended).toBe(true);
  });

  it("starts a viewer the page knew had bid, and who does not lead, as outbid", () => {
    expect(roomFromAuction(auction(), 1, ALICE, T0, true).standing).toBe("outbid");
    expect(
      roomFromAuction(auction({ status: "closed", outcome: "unsold" }), 1, ALICE, T0, true).standing,
    ).toBe("lost");
  });

  it("shows a closed auction's result: sold to the leader at the current price", () => {
    const state = start({
      status: "closed",
      outcome: "sold",
      currentPrice: 42_000,
      leader: { handle: "b***2" },
      winnerId: ALICE,
      leaderIsYou: true,
    });
    expect(state.result).toEqual({ kind: "sold", winner: "b***2", price: 42_000 });
    expect(state.standing).toBe("won");
  });
});

describe("applyFrame", () => {
  it("moves price, count, leader, minimum, reserve and end with each bid frame", () => {
    const { state, effects } = run(start(), [
      bid(2, { reserveMet: false, endsAt: "2026-11-20T11:00:30.000Z", extended: true }),
    ]);
    expect(state).toMatchObject({
      seq: 2,
      price: 12_000,
      bidCount: 2,
      leader: "b***2",
      leaderIsYou: false,
      minimumNextBid: 13_000,
      reserveMet: false,
      endsAt: Date.parse("2026-11-20T11:00:30.000Z"),
      extended: true,
      offsetMs: 5_000,
    });
    expect(effects).toEqual(["history"]);
  });

  it("adds a bid's history rows when they are all that changed, else reads the history again", () => {
    const rows = [
      { amount: 12_000, bidder: { handle: "b***1" }, placedAt: "2026-11-20T10:00:05.000Z" },
      { amount: 11_000, bidder: { handle: "you" }, placedAt: "2026-11-20T10:00:05.000Z" },
    ];
    const two = applyFrame(start(), bid(2, { bidCount: 2, history: rows }), T0);
    expect(two.effects).toEqual([{ prepend: rows }]);
    // The count moved by more than the rows say (a frame missed in between): read it all again.
    expect(applyFrame(two.state, bid(3, { bidCount: 5, history: rows.slice(0, 1) }), T0).effects).toEqual([
      "history",
    ]);
    // A frame of an event stored before frames carried rows.
    expect(applyFrame(two.state, bid(3, { bidCount: 3 }), T0).effects).toEqual(["history"]);
  });

  it("ignores frames it has already seen, so a replay after a reconnect adds no duplicate", () => {
    const once = run(start(), [bid(2), bid(3)]);
    const replayed = run(once.state, [bid(2), bid(3), bid(4)]);
    expect(replayed.state).toMatchObject({ seq: 4, bidCount: 4, price: 14_000 });
    expect(replayed.effects).toEqual(["history"]);
    const stale = applyFrame(replayed.state, bid(3, { price: 1 }), T0);
    expect(stale.state).toBe(replayed.state);
    expect(stale.effects).toEqual([]);
  });

  it("takes every frame when it has seen none yet (no lastSeq on the page)", () => {
    const { state } = run(start({}, null), [bid(1)]);
    expect(state).toMatchObject({ seq: 1, bidCount: 1 });
  });

  it("keeps an extension shown once a later bid does not extend", () => {
    const { state } = run(start(), [bid(2, { extended: true }), bid(3)]);
    expect(state.extended).toBe(true);
  });

  it("says leading while the viewer leads, and outbid once a bid takes the lead from them", () => {
    const leading = run(start(), [bid(2, { leaderIsYou: true })]);
    expect(leading.state.standing).toBe("leading");
    expect(leading.effects).toEqual(["history"]);
    const outbid = run(leading.state, [bid(3)]);
    expect(outbid.state.standing).toBe("outbid");
    expect(outbid.effects).toEqual(["history", "outbid"]);
    // Still outbid on the next bid by others: one toast per lost lead, not per bid.
    const later = run(outbid.state, [bid(4)]);
    expect(later.state.standing).toBe("outbid");
    expect(later.effects).toEqual(["history"]);
    expect(run(later.state, [bid(5, { leaderIsYou: true })]).state.standing).toBe("leading");
  });

  it("never says outbid to a viewer who was not leading", () => {
    const { state, effects } = run(start(), [bid(2), bid(3)]);
    expect(state.standing).toBeNull();
    expect(effects).not.toContain("outbid");
  });

  it("closes sold: the winner won, an outbid bidder lost, a mere watcher has no standing", () => {
    const closed = (winnerIsYou: boolean): RoomFrame => ({
      type: "closed",
      seq: 5,
      serverTime: "2026-11-20T11:00:00.000Z",
      outcome: "sold",
      endedBy: "time",
      finalPrice: 15_000,
      winner: { handle: "b***4" },
      winnerIsYou,
    });
    const leading = run(start(), [bid(2, { leaderIsYou: true })]).state;
    const won = run(leading, [closed(true)]).state;
    expect(won).toMatchObject({
      status: "closed",
      standing: "won",
      result: { kind: "sold", winner: "b***4", price: 15_000 },
    });
    const outbid = run(leading, [bid(3)]).state;
    expect(run(outbid, [closed(false)]).state.standing).toBe("lost");
    expect(run(start(), [closed(false)]).state.standing).toBeNull();
  });

  it("closes unsold, and cancels", () => {
    const unsold = run(start(), [
      {
        type: "closed",
        seq: 2,
        serverTime: "2026-11-20T11:00:00.000Z",
        outcome: "unsold",
        endedBy: "time",
        finalPrice: null,
        winner: null,
        winnerIsYou: false,
      },
    ]).state;
    expect(unsold).toMatchObject({ status: "closed", result: { kind: "unsold" } });
    const cancelled = run(start({ leaderIsYou: true }), [
      { type: "cancelled", seq: 2, serverTime: "2026-11-20T10:30:00.000Z" },
    ]).state;
    expect(cancelled).toMatchObject({ status: "cancelled", result: { kind: "cancelled" }, standing: null });
  });

  it("replaces everything with a snapshot, keeping what only the viewer's history knows", () => {
    const leading = run(start(), [bid(2, { leaderIsYou: true, extended: true })]).state;
    const snapshot: RoomFrame = {
      type: "snapshot",
      seq: 9,
      serverTime: "2026-11-20T10:10:00.000Z",
      auction: auction({
        currentPrice: 30_000,
        bidCount: 9,
        leader: { handle: "b***3" },
        minimumNextBid: 31_000,
        endsAt: "2026-11-20T11:05:00.000Z",
        extendedCount: 0,
      }),
    };
    const { state, effects } = run(leading, [snapshot], T0 + 1_000);
    expect(state).toMatchObject({
      seq: 9,
      price: 30_000,
      bidCount: 9,
      leader: "b***3",
      minimumNextBid: 31_000,
      endsAt: Date.parse("2026-11-20T11:05:00.000Z"),
      extended: false,
      standing: "outbid",
      offsetMs: 599_000,
    });
    expect(effects).toEqual(["history", "outbid"]);
  });

  it("counts the viewer as a bidder once their own bid went through, even when a proxy outbid it at once", () => {
    const watching = start();
    expect(watching.standing).toBeNull();
    const bid = viewerBid(watching);
    expect(bid.standing).toBe("outbid");
    expect(run(bid, [bid3Closed()]).state.standing).toBe("lost");
  });

  it("asks for the history again after a snapshot only when the bid count moved", () => {
    const snapshot: RoomFrame = {
      type: "snapshot",
      seq: 1,
      serverTime: "2026-11-20T10:00:00.000Z",
      auction: auction(),
    };
    expect(run(start(), [snapshot]).effects).toEqual([]);
  });

  it("ignores a snapshot older than what it has seen", () => {
    const later = run(start(), [bid(2), bid(3)]).state;
    const old: RoomFrame = {
      type: "snapshot",
      seq: 2,
      serverTime: "2026-11-20T10:00:00.000Z",
      auction: auction(),
    };
    expect(applyFrame(later, old, T0).state).toBe(later);
  });

  it("updates buy-now availability with the price", () => {
    expect(start().buyNowAvailable).toBe(true);
    expect(run(start(), [bid(2, { price: 90_000 })]).state.buyNowAvailable).toBe(false);
    expect(start({ buyNowPrice: null }).buyNowAvailable).toBe(false);
  });
});
