import type { HoldInstruction } from "../../queue/events";
import type { BidFunds } from "../bidding/check-bid";
import type { RoomInstruction } from "../money";
import type { AuctionState } from "./state";

/**
 * The room's side of funds to bid (SPEC §8), pure. A bidder must hold what the auction may still
 * ask of them: the leader their maximum, the winner of a sale its price, everyone else nothing.
 * The room never touches a wallet; it says who may hold less — in its events (the broker passes
 * that on) and in its answer to the worker about the bidder's own hold.
 */

/** The hold the worker reserved for a bid or buy-now: its reservation's number and the hold's amount. */
export interface ReservedHold {
  reservation: number;
  amount: number;
}

/** What `userId` must keep held for this auction in `state`. */
export function requirementOf(state: AuctionState | null, userId: string): number {
  if (!state) return 0;
  const running = state.status === "open" || state.status === "scheduled";
  if (running && state.leader?.bidderId === userId) return state.leader.maxAmount;
  if (state.status === "closed" && state.outcome === "sold" && state.winnerId === userId) {
    return state.currentPrice;
  }
  return 0;
}

/**
 * Whose hold a change lowers: the leaders and winners before or after it whose requirement fell
 * (outbid, sold for less than their maximum, unsold, cancelled).
 */
export function loweredHolds(
  before: AuctionState | null,
  after: AuctionState,
  settledUpTo: (userId: string) => number | null,
): HoldInstruction[] {
  const people = new Set(
    [before?.leader?.bidderId, before?.winnerId, after.leader?.bidderId, after.winnerId].filter(
      (id): id is string => typeof id === "string",
    ),
  );
  return [...people].flatMap((userId) => {
    const keep = requirementOf(after, userId);
    return keep < requirementOf(before, userId) ? [{ userId, keep, settledUpTo: settledUpTo(userId) }] : [];
  });
}

/** The bidder's money as checkBid sees it: the hold they brought and what this auction settled. */
export function bidFunds(hold: ReservedHold | null | undefined, settledUpTo: number | null): BidFunds {
  return { hold: hold ?? null, settledUpTo };
}

/**
 * The answer about a hold the room did not adopt (the bid was refused, shed, or answered from an
 * earlier reply): that reservation is settled, and so is every one up to `settledUpTo` (the
 * bidder's earlier adopted or released ones); keep what the auction asks of the bidder now.
 */
export function unadopted(
  auctionId: string,
  hold: ReservedHold,
  keep: number,
  seq: number,
  settledUpTo: number | null,
): RoomInstruction {
  return { auctionId, seq, keep, settledUpTo, settles: hold.reservation };
}

/**
 * The answer about a hold the room adopted, when the bidder may hold less than they reserved
 * (instantly outbid, or a `{}` bid reserved above the price it paid); null when it all stays.
 */
export function adopted(
  auctionId: string,
  hold: ReservedHold,
  keep: number,
  seq: number,
): RoomInstruction | null {
  if (keep >= hold.amount) return null;
  return { auctionId, seq, keep, settledUpTo: hold.reservation, settles: null };
}

/** A wallet instruction as the event carries it for the broker. */
export function asEventHold(userId: string, instruction: RoomInstruction): HoldInstruction {
  return { userId, keep: instruction.keep, settledUpTo: instruction.settledUpTo };
}
