/**
 * Every error `code` the API answers with, and its HTTP status: the one place both are decided.
 * The worker's problems and the Durable Objects' refusals (which carry only the code) both map
 * through it, so a code always means the same status. Clients branch on `code`, never on text.
 */
export const ERROR_STATUS = {
  // The request itself
  MALFORMED_JSON: 400,
  BAD_REQUEST: 400,
  BODY_NOT_ALLOWED: 400,
  INVALID_PARAMETER: 400,
  INVALID_CURSOR: 400,
  INVALID_WEBSOCKET_HANDSHAKE: 400,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  UPGRADE_REQUIRED: 426,
  UNSUPPORTED_WEBSOCKET_VERSION: 426,
  // Who is asking
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  ORIGIN_NOT_ALLOWED: 403,
  SELLER_CANNOT_BID: 403,
  TOO_MANY_ATTEMPTS: 429,
  // Accounts
  USERNAME_TAKEN: 409,
  PASSWORD_TOO_WEAK: 422,
  INVALID_CURRENT_PASSWORD: 422,
  ACCOUNT_SUSPENDED: 403,
  // Administration (SPEC §9)
  USER_NOT_FOUND: 404,
  ACCOUNT_ALREADY_SUSPENDED: 409,
  ACCOUNT_NOT_SUSPENDED: 409,
  CANNOT_SUSPEND_ADMIN: 409,
  // Auctions and bids
  AUCTION_NOT_FOUND: 404,
  AUCTION_NOT_OPEN: 409,
  AUCTION_CLOSED: 409,
  AUCTION_HAS_BIDS: 409,
  BUY_NOW_UNAVAILABLE: 409,
  BID_TOO_LOW: 422,
  MAX_NOT_RAISED: 422,
  BID_AT_OR_ABOVE_BUY_NOW: 422,
  RATE_LIMITED: 429,
  // Money (SPEC §8)
  INSUFFICIENT_FUNDS: 422,
  INVALID_SIGNATURE: 400,
  TOP_UP_NOT_FOUND: 404,
  TOP_UP_STATE: 409,
  AMOUNT_MISMATCH: 422,
  WITHDRAWAL_NOT_FOUND: 404,
  WITHDRAWAL_STATE: 409,
  ORDER_NOT_FOUND: 404,
  ORDER_STATE: 409,
  TRANSFER_CONFLICT: 409,
  // Inbox and live channel
  INBOX_MESSAGE_NOT_FOUND: 404,
  LIVE_UNAVAILABLE: 503,
  // The platform
  OVERLOADED: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

export function statusOf(code: ErrorCode): ErrorStatus {
  return ERROR_STATUS[code];
}
