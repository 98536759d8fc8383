/**
 * Countdowns run on the server's clock (SPEC §6): the browser's own clock may be minutes off, so
 * each frame (or server-rendered time) gives an offset, and the time left is read through it.
 */

/** serverTime − the browser's clock now; 0 when the time cannot be read. */
export function clockOffset(serverTime: string, clientNow: number): number {
  const server = Date.parse(serverTime);
  return Number.isNaN(server) ? 0 : server - clientNow;
}

/** Milliseconds left until `endsAt` (epoch ms) on the server's clock, never negative. */
export function timeLeft(endsAt: number, clientNow: number, offsetMs: number): number {
  return Math.max(0, endsAt - (clientNow + offsetMs));
}

/**
 * When to redraw next: the shown text changes as the whole seconds left do (formatTimeLeft rounds
 * down), so wake at that boundary rather than on a drifting one-second interval. Null at the end.
 */
export function nextTickIn(leftMs: number): number | null {
  if (leftMs <= 0) return null;
  return leftMs % 1_000 || 1_000;
}
