import { describe, expect, it } from "vitest";
import { followRoom, type RoomInstruction } from "../../../src/durable/money/room-instructions";

const say = (fields: Partial<RoomInstruction>): RoomInstruction => ({
  auctionId: "a1",
  seq: 10,
  keep: 0,
  settledUpTo: null,
  settles: null,
  ...fields,
});

describe("followRoom: a bid hold follows its auction", () => {
  it("an outbid leader whose only reservation the room adopted is lowered to nothing", () => {
    expect(followRoom(null, [1], say({ seq: 10, keep: 0, settledUpTo: 1 }))).toEqual({
      word: { seq: 10, keep: 0 },
      outstanding: [],
      lowerTo: 0,
    });
  });

  it("an outbid instruction waits while the leader's raise is still on its way to the room", () => {
    // A led with reservation 1; A reserved 2 to raise; meanwhile B outbid A (the room saw only 1).
    const outbid = followRoom(null, [1, 2], say({ seq: 10, keep: 0, settledUpTo: 1 }));
    expect(outbid).toEqual({ word: { seq: 10, keep: 0 }, outstanding: [2], lowerTo: null });
    // The room refused the raise (too low by then): now nothing is outstanding and the hold goes.
    const refused = followRoom(outbid.word, outbid.outstanding, say({ seq: 10, keep: 0, settles: 2 }));
    expect(refused).toEqual({ word: { seq: 10, keep: 0 }, outstanding: [], lowerTo: 0 });
  });

  it("a refused bid settles only its own reservation: an older one still on its way keeps the hold", () => {
    // Reservations 2 and 3 race; the room refuses 3 first while 2 is in flight.
    expect(followRoom({ seq: 7, keep: 5_000 }, [2, 3], say({ seq: 9, keep: 5_000, settles: 3 }))).toEqual({
      word: { seq: 9, keep: 5_000 },
      outstanding: [2],
      lowerTo: null,
    });
  });

  it("an instruction older than the newest word settles reservations but changes no amount", () => {
    const late = followRoom({ seq: 12, keep: 8_000 }, [4], say({ seq: 11, keep: 0, settledUpTo: 4 }));
    expect(late).toEqual({ word: { seq: 12, keep: 8_000 }, outstanding: [], lowerTo: 8_000 });
  });

  it("a word at the same seq replaces the stored one (both describe the same state)", () => {
    expect(followRoom({ seq: 12, keep: 8_000 }, [], say({ seq: 12, keep: 8_000 })).lowerTo).toBe(8_000);
  });

  it("an instruction for other reservations leaves unknown numbers outstanding", () => {
    expect(followRoom(null, [5, 6], say({ seq: 3, keep: 0, settledUpTo: 4 }))).toEqual({
      word: { seq: 3, keep: 0 },
      outstanding: [5, 6],
      lowerTo: null,
    });
  });
});
