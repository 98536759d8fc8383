import type { CatalogSnapshot } from "../../queue/events";
import type { AuctionState } from "./state";
import type { AuctionView } from "./view";

/**
 * What every event carries for the D1 catalog (the broker's projection for listing and search):
 * the fields it filters and sorts on, and the public summary it lists (`summary`, the auction as
 * an anonymous viewer sees it, minus the time it was rendered).
 */
export function catalogSnapshot(state: AuctionState, publicView: AuctionView): CatalogSnapshot {
  const { serverTime: _serverTime, ...summary } = publicView;
  return {
    sellerId: state.sellerId,
    title: state.title,
    category: state.category,
    currency: state.currency,
    startingPrice: state.startingPrice,
    currentPrice: state.currentPrice,
    bidCount: state.bidCount,
    status: state.status,
    outcome: state.outcome,
    leaderId: state.leader?.bidderId ?? null,
    winnerId: state.winnerId,
    startsAt: state.startsAt,
    endsAt: state.endsAt,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    summary: JSON.stringify(summary),
  };
}
