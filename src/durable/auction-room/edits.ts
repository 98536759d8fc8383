import type { AuctionEventDraft } from "../../queue/events";
import { type AuctionTerms, auctionTermErrors } from "../auction-terms";
import { fail, type RoomFailure } from "./results";
import { type AdminCancellation, type AuctionPatch, type AuctionState, TEXT_FIELDS } from "./state";

/**
 * What a seller may change (SPEC §4), pure: text until the close; prices, times and soft close
 * only before the first bid; cancelling only while nobody has bid. An administrator may cancel
 * any auction that has not ended, bids or not (SPEC §9).
 */

type Edited = { ok: true; next: AuctionState } | RoomFailure;

export function editedState(
  state: AuctionState | null,
  sellerId: string,
  patch: AuctionPatch,
  now: number,
): Edited {
  if (!state) return fail("AUCTION_NOT_FOUND", "No such auction.");
  if (state.sellerId !== sellerId) return fail("FORBIDDEN", "Only the seller can edit this auction.");
  if (state.status === "closed" || state.status === "cancelled") {
    return fail("AUCTION_CLOSED", `The auction is ${state.status}; it can no longer be edited.`);
  }
  const termKeys = Object.keys(patch).filter((k) => !(TEXT_FIELDS as readonly string[]).includes(k));
  if (termKeys.length > 0 && state.hasBids) {
    return fail("AUCTION_HAS_BIDS", `The auction has bids; ${termKeys.join(", ")} can no longer change.`);
  }
  if (patch.startsAt !== undefined && state.status !== "scheduled") {
    return fail("VALIDATION_FAILED", "startsAt can only change before the auction starts.", {
      errors: [{ path: "startsAt", message: "the auction has already started" }],
    });
  }
  const next: AuctionState = { ...state, ...patch, updatedAt: now };
  const terms: AuctionTerms = next;
  const errors = auctionTermErrors(terms, now);
  if (patch.endsAt !== undefined && patch.endsAt <= now)
    errors.push({ path: "endsAt", message: "must be in the future" });
  if (errors.length > 0) {
    return fail(
      "VALIDATION_FAILED",
      `Invalid auction: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`,
      { errors },
    );
  }
  if (next.status === "scheduled" && next.startsAt <= now) next.status = "open";
  if (patch.startingPrice !== undefined) next.currentPrice = next.startingPrice;
  return { ok: true, next };
}

export function cancelledState(state: AuctionState | null, sellerId: string, now: number): Edited {
  if (!state) return fail("AUCTION_NOT_FOUND", "No such auction.");
  if (state.sellerId !== sellerId) return fail("FORBIDDEN", "Only the seller can cancel this auction.");
  if (state.status === "closed" || state.status === "cancelled") {
    return fail("AUCTION_NOT_OPEN", `The auction is already ${state.status}.`);
  }
  if (state.hasBids) return fail("AUCTION_HAS_BIDS", "The auction has bids and can no longer be cancelled.");
  return { ok: true, next: { ...state, status: "cancelled", updatedAt: now } };
}

export interface AdminCancelOrder {
  adminId: string;
  reason: string;
}

/**
 * A refusal to cancel; `cancellation` when an administrator already cancelled the auction, so
 * the worker can make sure that cancellation's audit row exists.
 */
export type AdminCancelRefusal = RoomFailure & { cancellation?: AdminCancellation };

/**
 * An administrator's cancellation: allowed while scheduled or open, bids or not. Its event tells
 * every bidder (`bidderIds`, in bidding order) and carries the reason for the seller.
 */
export function cancelledByAdmin(
  state: AuctionState | null,
  order: AdminCancelOrder,
  bidderIds: readonly string[],
  now: number,
):
  | { ok: true; next: AuctionState; cancellation: AdminCancellation; event: AuctionEventDraft }
  | AdminCancelRefusal {
  if (!state) return fail("AUCTION_NOT_FOUND", "No such auction.");
  if (state.status === "closed" || state.status === "cancelled") {
    const refusal = fail("AUCTION_NOT_OPEN", `The auction is already ${state.status}.`);
    return state.adminCancellation ? { ...refusal, cancellation: state.adminCancellation } : refusal;
  }
  const cancellation: AdminCancellation = {
    adminId: order.adminId,
    reason: order.reason,
    at: now,
    previousStatus: state.status,
    bidCount: state.bidCount,
    bidders: bidderIds.length,
  };
  return {
    ok: true,
    next: { ...state, status: "cancelled", updatedAt: now, adminCancellation: cancellation },
    cancellation,
    event: { type: "auction.cancelled", bidderIds: [...bidderIds], byAdmin: true, reason: order.reason },
  };
}
