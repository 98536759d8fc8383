import { incrementFor, minimumNextBid, reserveMet } from "../bidding";
import type { BidAuction } from "../bidding/check-bid";
import type { AuctionState } from "./state";

export interface AuctionView {
  id: string;
  sellerId: string;
  seller: { id: string; nickname: string };
  title: string;
  description: string;
  category: string | null;
  imageUrls: string[];
  currency: string;
  startingPrice: number;
  reservePrice?: number | null;
  buyNowPrice: number | null;
  minIncrement: number | null;
  startsAt: string;
  endsAt: string;
  softClose: { windowSeconds: number; extendSeconds: number; hardEndsAt: string | null } | null;
  status: AuctionState["status"];
  outcome: AuctionState["outcome"];
  endedBy: AuctionState["endedBy"];
  currentPrice: number;
  bidCount: number;
  leader: { handle: string } | null;
  leaderIsYou: boolean;
  minimumNextBid: number;
  reserveMet: boolean;
  buyNowAvailable: boolean;
  extendedCount: number;
  winnerId: string | null;
  serverTime: string;
  createdAt: string;
  updatedAt: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function biddingStateOf(state: AuctionState) {
  return {
    startingPrice: state.startingPrice,
    reservePrice: state.reservePrice,
    currentPrice: state.currentPrice,
    hasBids: state.hasBids,
    leader: state.leader,
  };
}

export function incrementOf(state: Pick<AuctionState, "currency" | "minIncrement">) {
  return (price: number) => incrementFor(price, state.currency, state.minIncrement);
}

/** What the bid checks (bidding/check-bid.ts) need to know about the auction. */
export function bidAuctionOf(state: AuctionState): BidAuction {
  return {
    status: state.status,
    sellerId: state.sellerId,
    currency: state.currency,
    buyNowPrice: state.buyNowPrice,
    bidding: biddingStateOf(state),
    increment: incrementOf(state),
  };
}

export function buyNowAvailable(state: AuctionState): boolean {
  return state.status === "open" && state.buyNowPrice !== null && state.currentPrice < state.buyNowPrice;
}

/**
 * The auction resource as `viewerId` may see it: the reserve only for the seller, the leader as an
 * anonymised handle, `leaderIsYou` for the leader. No maximum bid is ever part of it.
 */
export function auctionView(
  state: AuctionState,
  viewerId: string | null,
  leaderHandle: string | null,
  now: number,
): AuctionView {
  const isSeller = viewerId !== null && viewerId === state.sellerId;
  return {
    id: state.id,
    sellerId: state.sellerId,
    seller: { id: state.sellerId, nickname: state.sellerNickname },
    title: state.title,
    description: state.description,
    category: state.category,
    imageUrls: state.imageUrls,
    currency: state.currency,
    startingPrice: state.startingPrice,
    ...(isSeller ? { reservePrice: state.reservePrice } : {}),
    buyNowPrice: state.buyNowPrice,
    minIncrement: state.minIncrement,
    startsAt: iso(state.startsAt),
    endsAt: iso(state.endsAt),
    softClose: state.softClose && {
      windowSeconds: state.softClose.windowSeconds,
      extendSeconds: state.softClose.extendSeconds,
      hardEndsAt: state.softClose.hardEndsAt === null ? null : iso(state.softClose.hardEndsAt),
    },
    status: state.status,
    outcome: state.outcome,
    endedBy: state.endedBy,
    currentPrice: state.currentPrice,
    bidCount: state.bidCount,
    leader: state.leader && leaderHandle ? { handle: leaderHandle } : null,
    leaderIsYou: viewerId !== null && state.leader?.bidderId === viewerId,
    minimumNextBid: minimumNextBid(biddingStateOf(state), incrementOf(state)),
    reserveMet: reserveMet(biddingStateOf(state)),
    buyNowAvailable: buyNowAvailable(state),
    extendedCount: state.extendedCount,
    winnerId: state.outcome === "sold" ? state.winnerId : null,
    serverTime: iso(now),
    createdAt: iso(state.createdAt),
    updatedAt: iso(state.updatedAt),
  };
}

/** A bidder's public handle: `b***N`, N being the order in which they first bid here. */
export function handleOf(handleNo: number): string {
  return `b***${handleNo}`;
}
