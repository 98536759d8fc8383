import type { AuctionEventDraft } from "../../queue/events";
import { closeOutcome } from "../bidding";
import { type AuctionState, endingSoonAt, type NewAuction } from "./state";
import { biddingStateOf } from "./view";

/**
 * What time alone changes in an auction, as pure functions of (state, now): it opens at startsAt,
 * announces "ending soon" once, closes at endsAt. The room applies them on every entry point
 * (so a bid after endsAt is refused even if the alarm is late) and wakes for them through its
 * named schedules; the stored status makes each happen exactly once.
 */

/** A new auction: open when it starts now (the worker already turned a small skew into now). */
export function newAuctionState(input: NewAuction, now: number): AuctionState {
  return {
    ...input,
    status: input.startsAt <= now ? "open" : "scheduled",
    outcome: null,
    endedBy: null,
    currentPrice: input.startingPrice,
    hasBids: false,
    bidCount: 0,
    leader: null,
    winnerId: null,
    extendedCount: 0,
    endingSoonSent: false,
    updatedAt: input.createdAt,
  };
}

/** The auction opened at startsAt, or null when it is not (yet) due. */
export function openingAt(state: AuctionState, now: number): AuctionState | null {
  if (state.status !== "scheduled" || now < state.startsAt) return null;
  return { ...state, status: "open", updatedAt: now };
}

/** How an auction ended, as its `auction.closed` event tells it. */
export interface Close {
  outcome: "sold" | "unsold";
  endedBy: "time" | "buy_now";
  finalPrice: number | null;
  winnerId: string | null;
}

/**
 * The close at endsAt (SPEC §5): sold to the leader at the current price when there is one and
 * the reserve is met, else unsold; null when it is not (yet) due.
 */
export function closingAt(state: AuctionState, now: number): { closed: AuctionState; close: Close } | null {
  if (state.status !== "open" || now < state.endsAt) return null;
  const outcome = closeOutcome(biddingStateOf(state));
  const winnerId = outcome.outcome === "sold" ? outcome.winnerId : null;
  return {
    closed: {
      ...state,
      status: "closed",
      outcome: outcome.outcome,
      endedBy: "time",
      winnerId,
      updatedAt: now,
    },
    close: { outcome: outcome.outcome, endedBy: "time", finalPrice: outcome.finalPrice, winnerId },
  };
}

export function closedEvent(
  close: Close,
  winnerHandle: string | null,
  bidderIds: string[],
): AuctionEventDraft {
  return { type: "auction.closed", ...close, winnerHandle, bidderIds };
}

/** Whether "ending soon" is due now and not yet announced. */
export function endingSoonDue(state: AuctionState, now: number): boolean {
  return state.status === "open" && !state.endingSoonSent && now >= endingSoonAt(state);
}

/** The AuctionRoom's named schedules for what time alone changes (kit/alarm-scheduler.ts). */
export const LIFECYCLE_HANDLERS = ["auction.open", "auction.ending-soon", "auction.close"] as const;
export type LifecycleHandler = (typeof LIFECYCLE_HANDLERS)[number];

/**
 * When the room must wake for its auction: at startsAt while scheduled; at "ending soon" (once)
 * and at endsAt while open; never once it is closed or cancelled. null = no wake-up.
 */
export function lifecycleSchedules(state: AuctionState | null): Record<LifecycleHandler, number | null> {
  const open = state?.status === "open";
  return {
    "auction.open": state?.status === "scheduled" ? state.startsAt : null,
    "auction.ending-soon": state && open && !state.endingSoonSent ? endingSoonAt(state) : null,
    "auction.close": state && open ? state.endsAt : null,
  };
}

/** The schedules a change of state moves (a bid that extends the end moves only the close). */
export function lifecycleChanges(
  before: AuctionState | null,
  after: AuctionState | null,
): [LifecycleHandler, number | null][] {
  const was = lifecycleSchedules(before);
  const is = lifecycleSchedules(after);
  return LIFECYCLE_HANDLERS.filter((name) => was[name] !== is[name]).map((name) => [name, is[name]]);
}
