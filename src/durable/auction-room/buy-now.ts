import type { Close } from "./lifecycle";
import { fail, type RoomFailure } from "./results";
import type { AuctionState } from "./state";
import { buyNowAvailable } from "./view";

/**
 * Buy-now (SPEC §5), pure: while the auction is open and the price is below the buy-now price,
 * it closes at once, sold to the caller at the buy-now price.
 */
export function boughtNow(
  state: AuctionState | null,
  buyerId: string,
  now: number,
): { ok: true; next: AuctionState; close: Close } | RoomFailure {
  if (!state) return fail("AUCTION_NOT_FOUND", "No such auction.");
  if (state.sellerId === buyerId) return fail("SELLER_CANNOT_BID", "Sellers cannot buy their own auction.");
  if (!buyNowAvailable(state) || state.buyNowPrice === null) {
    return fail("BUY_NOW_UNAVAILABLE", "Buy-now is not available for this auction.");
  }
  const price = state.buyNowPrice;
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
