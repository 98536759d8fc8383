/** Anti-sniping settings of an auction; `hardEndsAt` is epoch ms, or null for no cap. */
export interface SoftClose {
  windowSeconds: number;
  extendSeconds: number;
  hardEndsAt: number | null;
}

/**
 * Where the auction ends after a bid placed at `now` (epoch ms). A bid that changed the price or
 * the leader within the last `windowSeconds` pushes the end to `now + extendSeconds`, so rivals get
 * time to answer a last-second bid; the end never moves earlier and never past `hardEndsAt`.
 */
export function applySoftClose(
  endsAt: number,
  softClose: SoftClose | null,
  now: number,
  priceOrLeaderChanged: boolean,
): { endsAt: number; extended: boolean } {
  if (!priceOrLeaderChanged || softClose === null || endsAt - now > softClose.windowSeconds * 1_000) {
    return { endsAt, extended: false };
  }
  const candidate = Math.min(
    now + softClose.extendSeconds * 1_000,
    softClose.hardEndsAt ?? Number.POSITIVE_INFINITY,
  );
  const next = Math.max(endsAt, candidate);
  return { endsAt: next, extended: next > endsAt };
}
