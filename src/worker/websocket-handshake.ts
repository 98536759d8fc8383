import { ApiError } from "./errors";

/** RFC 6455 §4.1: the key is 16 random bytes in base64 (24 characters, ending in "=="). */
const WEBSOCKET_KEY = /^[A-Za-z0-9+/]{22}==$/;
const WEBSOCKET_VERSION = "13";

/**
 * Checks a WebSocket opening handshake before anything is opened, so a malformed one gets a
 * problem like every other refusal instead of the runtime's plain-text 400 after the fact.
 */
export function assertWebSocketHandshake(headers: Headers): void {
  if (headers.get("upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError("UPGRADE_REQUIRED", "This endpoint speaks WebSocket: send `Upgrade: websocket`.", {
      headers: { upgrade: "websocket" },
    });
  }
  if (headers.get("sec-websocket-version") !== WEBSOCKET_VERSION) {
    throw new ApiError(
      "UNSUPPORTED_WEBSOCKET_VERSION",
      `Only WebSocket version ${WEBSOCKET_VERSION} (RFC 6455) is supported.`,
      { headers: { "sec-websocket-version": WEBSOCKET_VERSION } },
    );
  }
  if (!WEBSOCKET_KEY.test(headers.get("sec-websocket-key") ?? "")) {
    throw new ApiError(
      "INVALID_WEBSOCKET_HANDSHAKE",
      "Sec-WebSocket-Key must be 16 bytes in base64, as RFC 6455 requires.",
    );
  }
}
