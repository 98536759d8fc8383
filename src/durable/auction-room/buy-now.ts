import { type BidFunds, covers } from "../bidding/check-bid";
import type { Close } from "./lifecycle";
import { fail, type HoldTooSmall, type RoomFailure } from "./results";
import type { AuctionState } from "./state";
import { buyNowAvailable } from "./view";

/**
 * Buy-now (SPEC §5), pure: while the auction is open and the price is below the buy-now price,
 * it closes at once, sold to the caller at the buy-now price. With `funds`, the caller's hold
 * must cover that price (checked last, like a bid's).
 */
export function boughtNow(
  state: AuctionState | null,
  buyerId: string,
  now: number,
  funds: BidFunds | null = null,
): { ok: true; next: AuctionState; close: Close } | RoomFailure | HoldTooSmall {
  if (!state) return fail("AUCTION_NOT_FOUND", "No such auction.");
  if (state.sellerId === buyerId) return fail("SELLER_CANNOT_BID", "Sellers cannot buy their own auction.");
  if (!buyNowAvailable(state) || state.buyNowPrice === null) {
    return fail("BUY_NOW_UNAVAILABLE", "Buy-now is not available for this auction.");
  }
  const price = state.buyNowPrice;
  if (funds && !covers(funds, price)) {
    const detail = `Your funds must cover ${price} ${state.currency}.`;
    return { ok: false, code: "HOLD_TOO_SMALL", needed: price, currency: state.currency, detail };
  }
  return {
    ok: true,
    next: {
      ...state,
      status: "closed",
      outcome: "sold",
      endedBy: "buy_now",
      currentPrice: price,
      leader: { bidderId: buyerId, maxAmount: price },
      winnerId: buyerId,
      updatedAt: now,
    },
    close: { outcome: "sold", endedBy: "buy_now", finalPrice: price, winnerId: buyerId },
  };
}
