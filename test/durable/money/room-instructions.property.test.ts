import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { covers } from "../../../src/durable/bidding/check-bid";
import { followRoom, type RoomInstruction, type RoomWord } from "../../../src/durable/money";

/**
 * The funds-to-bid protocol as a whole, on one (user, auction): reservations, bids reaching the
 * room in any order, other bidders outbidding, instructions delivered late, twice or never (then
 * the sweep), with the pure rules on both sides (followRoom for the wallet, covers for the room).
 * Whatever the interleaving, what the auction may ask of the user is always held, and once
 * everything is delivered the hold is exactly that.
 */

interface World {
  // The wallet.
  held: number;
  nextReservation: number;
  outstanding: number[];
  word: RoomWord | null;
  // The room.
  settledUpTo: number | null;
  requirement: number;
  seq: number;
  // Between them.
  bidsInFlight: { reservation: number; amount: number; commitment: number }[];
  instructionsInFlight: RoomInstruction[];
}

type Step =
  | { op: "reserveAndSend"; commitment: number }
  | { op: "deliverBid"; pick: number; leads: boolean }
  | { op: "outbidByOther" }
  | { op: "deliverInstruction"; pick: number; duplicate: boolean }
  | { op: "loseInstruction"; pick: number }
  | { op: "sweep" };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant("reserveAndSend" as const), commitment: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ op: fc.constant("deliverBid" as const), pick: fc.nat(), leads: fc.boolean() }),
  fc.record({ op: fc.constant("outbidByOther" as const) }),
  fc.record({ op: fc.constant("deliverInstruction" as const), pick: fc.nat(), duplicate: fc.boolean() }),
  fc.record({ op: fc.constant("loseInstruction" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("sweep" as const) }),
);

const AUCTION = "a1";

function follow(world: World, instruction: RoomInstruction): void {
  const next = followRoom(world.word, world.outstanding, instruction);
  world.word = next.word;
  world.outstanding = next.outstanding;
  if (next.lowerTo !== null && next.lowerTo < world.held) world.held = next.lowerTo;
}

function take<T>(list: T[], pick: number): T | undefined {
  if (list.length === 0) return undefined;
  return list.splice(pick % list.length, 1)[0];
}

function apply(world: World, s: Step): void {
  switch (s.op) {
    case "reserveAndSend": {
      // The wallet raises the one hold to cover it and numbers the reservation.
      const reservation = world.nextReservation++;
      world.held = Math.max(world.held, s.commitment);
      world.outstanding.push(reservation);
      world.bidsInFlight.push({ reservation, amount: world.held, commitment: s.commitment });
      return;
    }
    case "deliverBid": {
      const bid = take(world.bidsInFlight, s.pick);
      if (!bid) return;
      const hold = { reservation: bid.reservation, amount: bid.amount };
      if (!covers({ hold, settledUpTo: world.settledUpTo }, bid.commitment)) {
        // Refused: the worker passes the room's answer on at once.
        follow(world, {
          auctionId: AUCTION,
          seq: world.seq,
          keep: world.requirement,
          settledUpTo: world.settledUpTo,
          settles: bid.reservation,
        });
        return;
      }
      world.settledUpTo = bid.reservation;
      world.seq += 1;
      world.requirement = s.leads ? Math.max(world.requirement, bid.commitment) : 0;
      if (world.requirement < bid.amount) {
        const own = {
          auctionId: AUCTION,
          seq: world.seq,
          keep: world.requirement,
          settledUpTo: bid.reservation,
          settles: null,
        };
        follow(world, own); // the worker, from the reply
        world.instructionsInFlight.push(own); // the broker, from the event
      }
      return;
    }
    case "outbidByOther": {
      if (world.requirement === 0) return;
      world.seq += 1;
      world.requirement = 0;
      world.instructionsInFlight.push({
        auctionId: AUCTION,
        seq: world.seq,
        keep: 0,
        settledUpTo: world.settledUpTo,
        settles: null,
      });
      return;
    }
    case "deliverInstruction": {
      const instruction = s.duplicate
        ? world.instructionsInFlight[s.pick % Math.max(world.instructionsInFlight.length, 1)]
        : take(world.instructionsInFlight, s.pick);
      if (instruction) follow(world, instruction);
      return;
    }
    case "loseInstruction": {
      take(world.instructionsInFlight, s.pick);
      return;
    }
    case "sweep": {
      // Reservations whose bid can no longer arrive (the worker gave up on them) are released;
      // a hold with nothing outstanding is asked about (its room may have gone silent).
      const stuck = world.outstanding.filter((n) => !world.bidsInFlight.some((b) => b.reservation === n));
      const upTo = stuck.length > 0 ? Math.max(...stuck) : null;
      if (upTo !== null) world.settledUpTo = Math.max(world.settledUpTo ?? 0, upTo);
      follow(world, {
        auctionId: AUCTION,
        seq: world.seq,
        keep: world.requirement,
        settledUpTo: upTo,
        settles: null,
      });
      return;
    }
  }
}

describe("funds to bid, as a protocol between wallet and room", () => {
  it("always holds what the auction may ask, and exactly that once everything has arrived", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const world: World = {
          held: 0,
          nextReservation: 1,
          outstanding: [],
          word: null,
          settledUpTo: null,
          requirement: 0,
          seq: 0,
          bidsInFlight: [],
          instructionsInFlight: [],
        };
        for (const s of steps) {
          apply(world, s);
          expect(world.held).toBeGreaterThanOrEqual(world.requirement);
        }
        // Quiesce: every bid reaches the room, every instruction the wallet, then the sweep.
        while (world.bidsInFlight.length > 0) apply(world, { op: "deliverBid", pick: 0, leads: false });
        while (world.instructionsInFlight.length > 0) {
          apply(world, { op: "deliverInstruction", pick: 0, duplicate: false });
        }
        apply(world, { op: "sweep" });
        expect(world.held).toBeGreaterThanOrEqual(world.requirement);
        expect(world.outstanding).toEqual([]);
        expect(world.held).toBe(world.requirement);
      }),
      {
        numRuns: 5_000,
        examples: [
          [
            [
              { op: "reserveAndSend", commitment: 10 },
              { op: "reserveAndSend", commitment: 20 },
              { op: "deliverBid", pick: 1, leads: true },
              { op: "deliverBid", pick: 0, leads: true },
              { op: "outbidByOther" },
              { op: "loseInstruction", pick: 0 },
            ],
          ],
        ],
      },
    );
  });
});
