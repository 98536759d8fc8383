/**
 * Limits on what a client may send up a socket, the same for every Durable Object: client
 * frames are tiny control messages (`ping`, `{"type":"snapshot"}`), so anything bigger or faster
 * is abuse or a bug, and must not cost other users their object's time (3,000 pings on one
 * socket once delayed bids on unrelated auctions by seconds). Pure: no runtime imports.
 */

export const MAX_CLIENT_FRAME_BYTES = 1024;
export const CLIENT_FRAMES_PER_WINDOW = 20;
export const CLIENT_FRAME_WINDOW_MS = 10_000;

/** Close codes (RFC 6455 §7.4.1): 1009 "message too big", 1008 "policy violation". */
export const FRAME_TOO_LARGE = { code: 1009, reason: "frame too large" } as const;
export const TOO_MANY_FRAMES = { code: 1008, reason: "too many frames" } as const;

/** The rate window kept in each socket's attachment, so it survives hibernation. */
export interface FrameWindow {
  windowStartedAt: number;
  framesInWindow: number;
}

export type FrameVerdict =
  | { ok: true; window: FrameWindow }
  | { ok: false; code: 1008 | 1009; reason: string };

const encoder = new TextEncoder();

function tooLarge(message: string | ArrayBuffer): boolean {
  if (typeof message !== "string") return message.byteLength > MAX_CLIENT_FRAME_BYTES;
  // A UTF-16 unit is 1 to 3 bytes in UTF-8: only encode when the length alone cannot decide.
  if (message.length > MAX_CLIENT_FRAME_BYTES) return true;
  if (message.length * 3 <= MAX_CLIENT_FRAME_BYTES) return false;
  return encoder.encode(message).byteLength > MAX_CLIENT_FRAME_BYTES;
}

/** Whether one more client frame is admitted, and the socket's window after it. */
export function admitClientFrame(
  message: string | ArrayBuffer,
  window: FrameWindow,
  now: number,
): FrameVerdict {
  if (tooLarge(message)) return { ok: false, ...FRAME_TOO_LARGE };
  const fresh = now - window.windowStartedAt > CLIENT_FRAME_WINDOW_MS;
  const next: FrameWindow = fresh
    ? { windowStartedAt: now, framesInWindow: 1 }
    : { windowStartedAt: window.windowStartedAt, framesInWindow: window.framesInWindow + 1 };
  if (next.framesInWindow > CLIENT_FRAMES_PER_WINDOW) return { ok: false, ...TOO_MANY_FRAMES };
  return { ok: true, window: next };
}
