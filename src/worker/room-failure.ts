import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { RoomFailure } from "../durable/room-results";
import { ApiError } from "./errors";

const STATUS: Record<RoomFailure["code"], ContentfulStatusCode> = {
  AUCTION_NOT_FOUND: 404,
  AUCTION_NOT_OPEN: 409,
  AUCTION_CLOSED: 409,
  AUCTION_HAS_BIDS: 409,
  FORBIDDEN: 403,
  SELLER_CANNOT_BID: 403,
  BID_TOO_LOW: 422,
  MAX_NOT_RAISED: 422,
  BID_AT_OR_ABOVE_BUY_NOW: 422,
  RATE_LIMITED: 429,
  BUY_NOW_UNAVAILABLE: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  VALIDATION_FAILED: 422,
  OVERLOADED: 503,
};

/** Turns an AuctionRoom failure into the API's error (the room owns codes, the worker owns HTTP). */
export function roomError(failure: RoomFailure): ApiError {
  const headers =
    failure.retryAfterSeconds === undefined
      ? undefined
      : { "retry-after": String(failure.retryAfterSeconds) };
  return new ApiError(STATUS[failure.code], failure.code, failure.detail, failure.errors, headers);
}

export function auctionNotFound(): ApiError {
  return new ApiError(404, "AUCTION_NOT_FOUND", "No such auction.");
}
