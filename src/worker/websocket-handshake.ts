import { ApiError } from "./errors";
import { problem } from "./openapi";

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

/**
 * How the WebSocket routes document the refusals above (and the origin check before them), so a
 * client developer can tell each one apart by its `code` without reading this file.
 */
export const WEBSOCKET_REFUSALS = {
  400: problem(
    "`INVALID_WEBSOCKET_HANDSHAKE`: `Sec-WebSocket-Key` is missing or not 16 bytes in base64 (RFC 6455). " +
      "`INVALID_PARAMETER`: a malformed query parameter. `BODY_NOT_ALLOWED`: the upgrade request carried a body.",
  ),
  403: problem(
    "`ORIGIN_NOT_ALLOWED`: an upgrade authenticated by the session cookie came from a site that is neither this one " +
      "nor in `ALLOWED_ORIGINS`.",
  ),
  426: {
    ...problem(
      "`UPGRADE_REQUIRED`: a plain request, not a WebSocket upgrade (answered with `Upgrade: websocket`). " +
        "`UNSUPPORTED_WEBSOCKET_VERSION`: `Sec-WebSocket-Version` is not 13 (answered with `Sec-WebSocket-Version: 13`).",
    ),
    headers: {
      Upgrade: { description: "`websocket`, with `UPGRADE_REQUIRED`.", schema: { type: "string" } },
      "Sec-WebSocket-Version": {
        description: "`13`, with `UNSUPPORTED_WEBSOCKET_VERSION`.",
        schema: { type: "string" },
      },
    },
  },
} as const;
