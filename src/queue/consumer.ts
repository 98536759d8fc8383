import { upsertCatalog } from "./catalog";
import { type AuctionEvent, AuctionEventSchema } from "./events";

/** Backoff for a failed message: 2, 4, 8 … seconds, at most a minute. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(2 ** attempts, 60);
}

/** D1 statements that project one event into the catalog and the bidders table. */
function projectionStatements(db: D1Database, event: AuctionEvent): D1PreparedStatement[] {
  const statements = [upsertCatalog(db, event.auctionId, event.seq, event.catalog)];
  if (event.type === "bid.placed") {
    statements.push(
      db
        .prepare(
          `INSERT INTO auction_bidders (auction_id, user_id, last_bid_at) VALUES (?, ?, ?)
           ON CONFLICT(auction_id, user_id) DO UPDATE SET last_bid_at = MAX(last_bid_at, excluded.last_bid_at)`,
        )
        .bind(event.auctionId, event.bidderId, event.occurredAt),
    );
  }
  return statements;
}

async function handleEvent(env: Env, event: AuctionEvent): Promise<void> {
  await env.DB.batch(projectionStatements(env.DB, event));
}

/** Records what the events queue gave up on, where an operator can see it (D1 and the log). */
async function recordDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const body = JSON.stringify(message.body);
    console.error(
      JSON.stringify({
        level: "error",
        message: "dead-lettered event",
        queue: batch.queue,
        id: message.id,
        body,
      }),
    );
    await env.DB.prepare(
      "INSERT INTO dead_letters (id, queue, message_id, body, attempts, received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
    )
      .bind(message.id, batch.queue, message.id, body, message.attempts, Date.now())
      .run();
    message.ack();
  }
}

/**
 * The broker. Each message is acknowledged or retried on its own, so one bad event never holds
 * back the others; every write is idempotent, so redelivery is harmless.
 */
export async function handleQueue(batch: MessageBatch, env: Env): Promise<void> {
  if (batch.queue.endsWith("-dlq")) return recordDeadLetters(batch, env);
  for (const message of batch.messages) {
    const parsed = AuctionEventSchema.safeParse(message.body);
    if (!parsed.success) {
      // Retrying cannot fix a malformed event: send it straight to the dead-letter record.
      await recordDeadLetters({ ...batch, messages: [message] }, env);
      continue;
    }
    try {
      await handleEvent(env, parsed.data);
      message.ack();
    } catch (error) {
      console.error(
        JSON.stringify({
          level: "warn",
          message: "event failed, will retry",
          id: parsed.data.id,
          error: String(error),
        }),
      );
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
