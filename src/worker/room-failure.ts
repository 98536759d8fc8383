import type { RoomFailure, StoredReply } from "../durable/auction-room/results";
import { ApiError } from "./errors";

/** Turns an AuctionRoom failure into the API's error (the room owns codes; their statuses live in shared/error-codes.ts). */
export function roomError(failure: RoomFailure): ApiError {
  const headers =
    failure.retryAfterSeconds === undefined
      ? undefined
      : { "retry-after": String(failure.retryAfterSeconds) };
  return new ApiError(failure.code, failure.detail, { errors: failure.errors, headers });
}

export function auctionNotFound(): ApiError {
  return new ApiError("AUCTION_NOT_FOUND", "No such auction.");
}

/**
 * The body of a stored room reply, or the failure as a problem. First answers and replays take
 * the same path from the same stored text, so a replay is byte-identical.
 */
export function replyBody(reply: StoredReply): unknown {
  if (!reply.ok) throw roomError(reply);
  return JSON.parse(reply.body);
}
