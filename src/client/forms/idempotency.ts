/**
 * `Idempotency-Key` for forms marked `data-idempotent` (SPEC §2): one key per submission, the same
 * key when that submission is retried after getting no answer (a dropped connection, a 5xx), so
 * the server does it at most once. An answered attempt — success or refusal — is over: submitting
 * again, even the same body, is a new attempt with a new key (a bid refused for want of funds must
 * not replay its refusal once the wallet is topped up).
 */

export interface PendingAttempt {
  body: string;
  key: string;
}

export function keyForAttempt(pending: PendingAttempt | null, body: string, freshKey: () => string): string {
  return pending !== null && pending.body === body ? pending.key : freshKey();
}

/** What to remember after an attempt: the attempt itself when it got no answer, else nothing. */
export function settleAttempt(
  outcome: "answered" | "unanswered",
  body: string,
  key: string,
): PendingAttempt | null {
  return outcome === "unanswered" ? { body, key } : null;
}
