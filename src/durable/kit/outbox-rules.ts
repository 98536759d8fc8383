/**
 * The outbox's rules (kit/outbox.ts), with no runtime imports: when an event the broker has not
 * confirmed is sent again, and how events are cut into batches the queue accepts.
 *
 * An event stays in its object's outbox until the broker confirms it wrote the event's effects (SPEC
 * §1: events are never lost, even when the queue loses a message). A queue hands a message to the
 * broker within about a second (max_batch_timeout = 1) and retries a failed one for about a minute
 * (2 + 4 + … + 32 s backoff); an event still unconfirmed 30 s after it was sent was most likely
 * lost, and a needless resend only costs an idempotent no-op. Each further resend waits twice as
 * long, so a long broker outage does not flood the queue with copies.
 */
export const REDELIVERY_AFTER_MS = 30_000;
/** The longest wait between two sends of one unconfirmed event. */
export const REDELIVERY_MAX_MS = 15 * 60_000;

/** How long after its `publishCount`-th send (1 = the first) an unconfirmed event is sent again. */
export function redeliveryDelayMs(publishCount: number): number {
  const doublings = Math.min(Math.max(publishCount - 1, 0), 30);
  return Math.min(REDELIVERY_AFTER_MS * 2 ** doublings, REDELIVERY_MAX_MS);
}

/** Cloudflare Queues take at most 100 messages per sendBatch… */
export const MAX_BATCH_MESSAGES = 100;
/**
 * …and at most 256 KB per batch. Bodies are counted in UTF-8 bytes; the rest of the limit covers
 * each message's own overhead. (A listing's text rides in every event: 5,000 characters of
 * Hangul are 15 KB, so 100 such events would be refused whole, and the outbox would stall.)
 */
export const MAX_BATCH_BYTES = 200_000;

/** UTF-8 length without allocating an encoded copy. */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // a surrogate pair: one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Cuts rows (in seq order) into consecutive batches within the queue's limits. A message larger
 * than the byte budget goes alone: the queue judges it, rather than the outbox never sending it.
 */
export function publishBatches<T extends { body: string }>(rows: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = utf8Bytes(row.body);
    if (current.length > 0 && (current.length >= MAX_BATCH_MESSAGES || bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Seqs as runs of consecutive numbers (`[first, last]`, in order, each seq once): a broker's
 * confirmation is mostly one run, so storage updates a range per run instead of a row per seq.
 */
export function seqRuns(seqs: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const seq of [...new Set(seqs)].sort((a, b) => a - b)) {
    const last = runs.at(-1);
    if (last && seq === last[1] + 1) last[1] = seq;
    else runs.push([seq, seq]);
  }
  return runs;
}
