import type { Balance, Entry, Hold, Transfer } from "./ledger";

/**
 * What an operation did:
 * - `applied`: `transfers` move money; the object writes everything returned;
 * - `unchanged`: the state already satisfies the instruction (a hold that covers, keep = amount);
 * - `stale_version`: the instruction names an older version of the hold, so it is ignored;
 * - `already_resolved`: the hold was posted, voided or expired before; it resolves only once;
 * - `not_due`: an expiry asked for before the hold's `expiresAt`;
 * - `expired`: the hold was overdue, so it expired (with its transfer) instead of doing what was asked.
 */
export type Effect = "applied" | "unchanged" | "stale_version" | "already_resolved" | "not_due" | "expired";

/**
 * An accepted instruction. The object persists it in one storage transaction: `balance` replaces
 * the row, each of `holds` is upserted, `transfers` and `entries` are inserted (transfers unique on
 * id — see `classifyReplay`). Every field but `effect` is empty or unchanged unless something moved.
 */
export interface Change {
  ok: true;
  effect: Effect;
  balance: Balance;
  holds: Hold[];
  transfers: Transfer[];
  entries: Entry[];
}

/** A change concerning one hold; `hold` is that hold afterwards (also when nothing was written). */
export interface HoldChange extends Change {
  hold: Hold;
}

/** A refused instruction: nothing changes. The figures let the API explain the refusal. */
export type Refusal =
  | { ok: false; code: "INVALID_AMOUNT"; amount: number }
  | { ok: false; code: "INSUFFICIENT_FUNDS"; available: number; needed: number }
  | { ok: false; code: "INSUFFICIENT_PENDING"; pendingPayout: number; needed: number }
  | { ok: false; code: "EXCEEDS_HOLD"; held: number; requested: number }
  | { ok: false; code: "BALANCE_LIMIT"; limit: number };

export type RefusalCode = Refusal["code"];
export type MoneyResult = Change | Refusal;
export type HoldResult = HoldChange | Refusal;
