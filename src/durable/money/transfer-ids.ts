import type { Transfer } from "./ledger";

/**
 * Transfer ids are idempotency keys (TigerBeetle's rule): the same id with the same fields is the
 * same transfer, with other fields a conflict. Balance operations take the caller's id
 * (`topup:<topUpId>`, `adjust:<adjustmentId>`, `payout:<auctionId>`, …). Hold transfers derive
 * theirs, so each can exist only once:
 * - a reservation moves money at most once, whether it creates or raises a hold;
 * - a lowering is keyed by the version it lowered, and each version is lowered at most once;
 * - a hold has one resolution (void, post or expire), so those are keyed by the hold alone.
 */
export const transferIds = {
  reserve: (reservationId: string) => `reserve:${reservationId}`,
  settle: (holdId: string, version: number) => `settle:${holdId}:v${version}`,
  void: (holdId: string) => `void:${holdId}`,
  post: (holdId: string) => `post:${holdId}`,
  postRest: (holdId: string) => `post:${holdId}:rest`,
  expire: (holdId: string) => `expire:${holdId}`,
} as const;

// Ids joined with ":" must not contain it, or "post:a:rest" could be two different transfers.
const SAFE_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/** Hold and reservation ids are minted by the system (e.g. crypto.randomUUID()), never taken from a client. */
export function assertSafeId(id: string): void {
  if (!SAFE_ID.test(id)) throw new Error(`money: id ${JSON.stringify(id)} must match ${SAFE_ID}`);
}

export function sameTransfer(a: Transfer, b: Transfer): boolean {
  return (
    a.id === b.id &&
    a.kind === b.kind &&
    a.debit === b.debit &&
    a.credit === b.credit &&
    a.amount === b.amount &&
    a.currency === b.currency &&
    a.auctionId === b.auctionId &&
    a.holdId === b.holdId
  );
}

export type Replay = { kind: "new" } | { kind: "duplicate" } | { kind: "conflict"; transferId: string };

/**
 * How a change's transfers relate to those already stored (`stored` looks one up by id), checked
 * before writing: `new` → write it; `duplicate` → this instruction was applied before, write
 * nothing and answer as before; `conflict` → an id is taken by something else (a reused key, or a
 * late copy of an instruction whose figures have moved on): write nothing.
 */
export function classifyReplay(
  proposed: readonly Transfer[],
  stored: (id: string) => Transfer | undefined,
): Replay {
  const found = proposed.map((transfer) => ({ transfer, existing: stored(transfer.id) }));
  if (found.every(({ existing }) => existing === undefined)) return { kind: "new" };
  const differing = found.find(({ transfer, existing }) => !existing || !sameTransfer(existing, transfer));
  return differing ? { kind: "conflict", transferId: differing.transfer.id } : { kind: "duplicate" };
}
