import { type AuctionState, endingSoonAt } from "./state";

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
