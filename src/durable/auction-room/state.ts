import type { SoftClose } from "../bidding";

/** What the worker hands the AuctionRoom to create an auction (already validated and normalised). */
export interface NewAuction {
  id: string;
  sellerId: string;
  sellerNickname: string;
  title: string;
  description: string;
  category: string | null;
  imageUrls: string[];
  currency: string;
  startingPrice: number;
  reservePrice: number | null;
  buyNowPrice: number | null;
  minIncrement: number | null;
  /** Epoch ms. */
  startsAt: number;
  endsAt: number;
  softClose: SoftClose | null;
  createdAt: number;
}

export type AuctionStatus = "scheduled" | "open" | "closed" | "cancelled";

/** The authoritative state of one auction, kept as one row in the AuctionRoom's SQLite storage. */
export interface AuctionState extends NewAuction {
  status: AuctionStatus;
  outcome: "sold" | "unsold" | null;
  endedBy: "time" | "buy_now" | null;
  currentPrice: number;
  hasBids: boolean;
  /** Number of public history entries (manual and proxy bids). */
  bidCount: number;
  leader: { bidderId: string; maxAmount: number } | null;
  winnerId: string | null;
  extendedCount: number;
  endingSoonSent: boolean;
  updatedAt: number;
  /** Set when an administrator cancelled the auction (absent from states written before). */
  adminCancellation?: AdminCancellation;
}

/**
 * An administrator's cancellation as the room recorded it: what the audit log says about it, so
 * an audit row lost after the room answered is written again, identically, by a retry.
 */
export interface AdminCancellation {
  adminId: string;
  reason: string;
  /** Epoch ms, the room's clock. */
  at: number;
  previousStatus: "scheduled" | "open";
  bidCount: number;
  /** How many people had bid. */
  bidders: number;
}

/** Fields a seller may change with PATCH; which of them are allowed depends on the state. */
export interface AuctionPatch {
  title?: string;
  description?: string;
  category?: string | null;
  imageUrls?: string[];
  startingPrice?: number;
  reservePrice?: number | null;
  buyNowPrice?: number | null;
  minIncrement?: number | null;
  startsAt?: number;
  endsAt?: number;
  softClose?: SoftClose | null;
}

export const TEXT_FIELDS = ["title", "description", "category", "imageUrls"] as const;

/** "auction_ending_soon" goes out 10 minutes before the end, or at the start of shorter auctions. */
export const ENDING_SOON_LEAD_MS = 10 * 60 * 1000;

export function endingSoonAt(state: Pick<AuctionState, "startsAt" | "endsAt">): number {
  return Math.max(state.startsAt, state.endsAt - ENDING_SOON_LEAD_MS);
}
