import type { ErrorCode } from "../../shared/error-codes";
import type { FieldError } from "../../shared/field-error";
import type { RoomInstruction } from "../money";
import type { ReservedHold } from "./funds";
import type { AuctionView } from "./view";

/**
 * What AuctionRoom RPC methods answer: a discriminated union the worker maps to HTTP.
 * Failures carry a stable `code`; the worker owns the status codes and problem+json bodies.
 */
export type RoomFailure = {
  ok: false;
  code: Extract<
    ErrorCode,
    | "AUCTION_NOT_FOUND"
    | "AUCTION_NOT_OPEN"
    | "AUCTION_CLOSED"
    | "AUCTION_HAS_BIDS"
    | "FORBIDDEN"
    | "SELLER_CANNOT_BID"
    | "BID_TOO_LOW"
    | "MAX_NOT_RAISED"
    | "BID_AT_OR_ABOVE_BUY_NOW"
    | "RATE_LIMITED"
    | "BUY_NOW_UNAVAILABLE"
    | "IDEMPOTENCY_KEY_REUSED"
    | "VALIDATION_FAILED"
    | "OVERLOADED"
    | "ORDER_NOT_FOUND"
    | "ORDER_STATE"
    | "SECOND_CHANCE_NOT_FOUND"
    | "SECOND_CHANCE_STATE"
    | "UNKNOWN_BIDDER"
    | "BIDDER_NOT_ELIGIBLE"
  >;
  detail: string;
  errors?: FieldError[];
  retryAfterSeconds?: number;
};

export type RoomResult<T extends object> = ({ ok: true } & T) | RoomFailure;

export interface BidReply {
  bid: { id: string; amount: number; maxAmount: number; kind: "manual" | "proxy"; placedAt: string };
  result: "leading" | "outbid" | "max_raised";
  auction: {
    currentPrice: number;
    bidCount: number;
    leaderIsYou: boolean;
    minimumNextBid: number;
    reserveMet: boolean;
    endsAt: string;
    extended: boolean;
  };
}

export interface BuyNowReply {
  price: number;
  auction: AuctionView;
}

export interface HistoryItem {
  id: string;
  amount: number;
  kind: "manual" | "proxy";
  bidder: { handle: string };
  placedAt: string;
}

/**
 * A reply kept under an Idempotency-Key. `body` is the exact JSON text of a success so a retry
 * gets byte-identical output; a failure keeps its code and detail.
 */
export type StoredReply = { ok: true; body: string } | RoomFailure;

/**
 * The bid passed every rule but the worker's hold does not cover it (or none came): reserve
 * `needed` in `currency` and ask again. Internal to worker and room; no bidder sees it.
 */
export type HoldTooSmall = {
  ok: false;
  code: "HOLD_TOO_SMALL";
  needed: number;
  currency: string;
  detail: string;
};

/**
 * What a bid or buy-now answers the worker: the reply, and — when funds are required and the
 * bidder may now hold less than the worker reserved — the instruction for their Wallet.
 */
export type FundedReply = (StoredReply | HoldTooSmall) & { hold?: RoomInstruction };

export function fail(
  code: RoomFailure["code"],
  detail: string,
  extra: Pick<RoomFailure, "errors" | "retryAfterSeconds"> = {},
): RoomFailure {
  return { ok: false, code, detail, ...extra };
}

/** When the worker sent a call (epoch ms), for load shedding; see kit/load-shedding.ts. */
interface Stamped {
  sentAt?: number;
}

/** The hold the worker reserved for the call (SPEC §8); absent or null when it reserved none. */
interface Funded {
  hold?: ReservedHold | null;
}

export interface PlaceBidRequest extends Stamped, Funded {
  bidderId: string;
  amount: number | null;
  maxAmount: number | null;
  idempotencyKey: string | null;
  requestHash: string;
}

export interface BuyNowRequest extends Stamped, Funded {
  buyerId: string;
  idempotencyKey: string | null;
  requestHash: string;
}
