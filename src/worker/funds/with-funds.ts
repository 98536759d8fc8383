import type { ReservedHold } from "../../durable/auction-room/funds";
import type { FundedReply, StoredReply } from "../../durable/auction-room/results";
import type { RoomInstruction } from "../../durable/money";
import type { ErrorCode } from "../../shared/error-codes";
import { bidsRequireFunds } from "../../shared/funds-setting";
import { ApiError } from "../errors";
import { walletRefusal } from "../wallet-refusal";
import { auctionHint, inFlight, minimumEstimate, rememberCurrency } from "./auction-hints";

/**
 * A bid, buy-now or second-chance acceptance with funds required (SPEC §8): reserve on the
 * user's Wallet, then let the room decide with `{reservation, amount}` — the room's critical
 * section stays synchronous, with no wait on another object inside it. What a call reserves:
 * - an exact bid or a maximum: the larger of the two, known from the request;
 * - `{}`: the minimum the room last told this isolate, plus a margin for this isolate's other
 *   bids in flight;
 * - buy-now, a second-chance acceptance, and `{}` when this isolate has heard nothing: what the
 *   room names when asked first (a call with no hold: it runs every rule, then names what to
 *   reserve). When the price rose between reserve and bid, the hold is raised to the room's
 *   figure and the call tried again (a `{}` bid up to MINIMUM_BID_ATTEMPTS times, with growing
 *   headroom); if it keeps moving, the caller gets `movedCode` and nothing is kept.
 * The room's rules always come first: a bid it would refuse anyway gets that refusal, never
 * INSUFFICIENT_FUNDS. Whatever the room says the user may hold less of (a refused or instantly
 * outbid bid) is applied to the Wallet before the answer, so the money is back at once.
 */
export interface FundedCall {
  env: Env;
  userId: string;
  auctionId: string;
  purpose: "bid" | "buy_now" | "second_chance";
  /** What the call commits the user to when the request says it; null: what the room says. */
  commitment: number | null;
  /** The refusal when the price moved past the hold twice. */
  movedCode: Extract<ErrorCode, "BID_TOO_LOW" | "BUY_NOW_UNAVAILABLE" | "SECOND_CHANCE_STATE">;
  /** Calls the room with the reserved hold (null: none, to learn what it needs). */
  send(hold: ReservedHold | null): Promise<FundedReply>;
}

/**
 * How often a `{}` bid is tried when the minimum keeps moving past its hold (under a storm of
 * bids on one auction); an exact bid or a buy-now is tried twice.
 */
const MINIMUM_BID_ATTEMPTS = 4;

export async function withFunds(call: FundedCall): Promise<StoredReply> {
  if (!bidsRequireFunds(call.env)) return settled(await call.send(null));
  return inFlight(call.auctionId, () => reserveAndSend(call));
}

async function reserveAndSend(call: FundedCall): Promise<StoredReply> {
  const wallet = call.env.WALLET.getByName(call.userId);
  const instructions: RoomInstruction[] = [];
  const reserve = (atLeast: number, currency: string) =>
    wallet.reserveForBid(call.userId, {
      auctionId: call.auctionId,
      currency,
      atLeast,
      purpose: call.purpose,
    });
  try {
    const minimumBid = call.commitment === null && call.purpose === "bid";
    const guessed = minimumBid ? minimumEstimate(call.auctionId) : null;
    let needed = call.commitment ?? guessed;
    let currency = auctionHint(call.auctionId)?.currency ?? null;
    let roomAnswer: FundedReply | null = null;
    if (needed === null || currency === null) {
      roomAnswer = await call.send(null);
      if (roomAnswer.ok || roomAnswer.code !== "HOLD_TOO_SMALL") return settled(roomAnswer);
      ({ needed, currency } = roomAnswer);
      rememberCurrency(call.auctionId, currency);
    }
    for (let attempt = 1; ; attempt++) {
      let reserved = await reserve(needed, currency);
      // A guess with headroom the wallet cannot cover: try the bare minimum last heard of.
      const bare = auctionHint(call.auctionId)?.minimum ?? null;
      if (!reserved.ok && guessed !== null && bare !== null && bare < needed) {
        needed = bare;
        reserved = await reserve(needed, currency);
      }
      if (!reserved.ok) {
        // The room's own refusal comes first: ask it (once) before blaming the money.
        roomAnswer ??= await call.send(null);
        if (!roomAnswer.ok && roomAnswer.code !== "HOLD_TOO_SMALL") return settled(roomAnswer);
        throw walletRefusal(reserved);
      }
      const hold = { reservation: reserved.reservation, amount: reserved.holdAmount };
      const reply = await call.send(hold);
      // Money the bidder must get back now (refused, outbid at once); what a leader reserved
      // beyond their bid comes back through the broker, off the bid's path.
      if (reply.hold && (!reply.ok || reply.hold.keep === 0)) instructions.push(reply.hold);
      if (reply.ok || reply.code !== "HOLD_TOO_SMALL") return settled(reply);
      if (attempt === (minimumBid ? MINIMUM_BID_ATTEMPTS : 2)) {
        throw new ApiError(call.movedCode, "The price moved while your funds were being held; try again.");
      }
      // A `{}` bid tries again with the room's figure plus headroom that grows with each miss.
      needed = minimumBid
        ? (minimumEstimate(call.auctionId, reply.needed, attempt) ?? reply.needed)
        : reply.needed;
    }
  } finally {
    if (instructions.length > 0) await wallet.followRoom(call.userId, instructions);
  }
}

/** A room reply the route can answer with; HOLD_TOO_SMALL never reaches a bidder. */
function settled(reply: FundedReply): StoredReply {
  if (!reply.ok && reply.code === "HOLD_TOO_SMALL") {
    throw new Error("unreachable: the room asked for funds this deployment does not require");
  }
  const { hold: _instruction, ...stored } = reply;
  return stored;
}
