/**
 * Load shedding for a Durable Object (SPEC §2 "an object that cannot answer within its budget
 * sheds before doing any work"). A Durable Object runs one call at a time; under more load than it
 * can serve, calls wait in its input queue and every answer gets later, without bound. The caller
 * stamps each call with the time it sent it; a call that has already waited longer than the budget
 * is refused before it reads or writes anything, so the queue drains at the cost of a comparison
 * and the calls that are served still answer quickly. Pure: no runtime imports.
 *
 * The clocks compared are the worker's and the object's. Locally they are one process; on
 * Cloudflare both are the platform's synchronised clocks. A caller clock ahead of the object's
 * (negative wait) never sheds.
 */

/** The longest a call may wait in an object's queue before it is shed. */
export const QUEUE_BUDGET_MS = 500;
/** What a shed call tells the client: come back shortly, the backlog drains fast. */
const RETRY_AFTER_SECONDS = 1;

export interface Overloaded {
  ok: false;
  code: "OVERLOADED";
  detail: string;
  retryAfterSeconds: number;
}

/** The refusal for a call sent at `sentAt` and starting at `now`, or null to serve it. */
export function shedIfLate(sentAt: number | undefined, now: number): Overloaded | null {
  if (sentAt === undefined || now - sentAt <= QUEUE_BUDGET_MS) return null;
  return {
    ok: false,
    code: "OVERLOADED",
    detail: `The auction is too busy to answer within ${QUEUE_BUDGET_MS} ms; nothing was done, try again.`,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  };
}
