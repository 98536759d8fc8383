/**
 * How a bid hold follows its auction (SPEC §8 "Funds to bid"), pure. The worker *reserves*
 * before the room sees a bid: the user's one hold on the auction is created or raised, and the
 * reservation gets the next number for that (user, auction). Only the room *lowers* a hold, by
 * instructions: "keep this much, as of my event seq; these reservations are done". Two rules make
 * that safe when instructions and bids race:
 * - the newest word wins: an instruction older (by seq) than the one applied changes no amount;
 * - nothing is lowered while a reservation is still on its way to the room (outstanding): the
 *   room's answer to it, or the wallet's own sweep after asking the room, settles it first.
 * The room refuses a bid whose reservation it already counts as settled, so a lowering can never
 * be followed by the adoption of a reservation it did not count.
 */

export interface RoomInstruction {
  auctionId: string;
  /** The room's latest event seq when it decided; 0 before its first event. */
  seq: number;
  /** What the room requires this user to hold for the auction now. */
  keep: number;
  /** Every reservation numbered up to this one is settled (adopted, refused as stale, or released). */
  settledUpTo: number | null;
  /** This one reservation is settled (the room refused its bid, or never acted on it). */
  settles: number | null;
}

/** The room's newest word on a hold: `seq` and `keep` of the newest instruction applied. */
export interface RoomWord {
  seq: number;
  keep: number;
}

export interface Following {
  word: RoomWord | null;
  /** Reservation numbers the room has not settled yet. */
  outstanding: number[];
  /** The amount to lower the hold to now, or null to leave it as it is. */
  lowerTo: number | null;
}

/**
 * Applies one instruction to a hold's room word and outstanding reservations. `lowerTo` is set
 * only when nothing is outstanding; the caller lowers (or voids, at 0) only if it is below the
 * hold's amount — the room never asks for more than was reserved.
 */
export function followRoom(
  word: RoomWord | null,
  outstanding: readonly number[],
  instruction: RoomInstruction,
): Following {
  const { settledUpTo, settles } = instruction;
  const left = outstanding.filter((n) => !(n === settles || (settledUpTo !== null && n <= settledUpTo)));
  const newer = word === null || instruction.seq >= word.seq;
  const next = newer ? { seq: instruction.seq, keep: instruction.keep } : word;
  return { word: next, outstanding: left, lowerTo: left.length === 0 ? next.keep : null };
}
