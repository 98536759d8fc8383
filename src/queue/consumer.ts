import { z } from "zod";
import {
  inboxStatements,
  insertDeadLetter,
  type PendingInboxRow,
  recordBidder,
  unreadAndOfflineStatement,
  unreadIncrementStatement,
  watchersOf,
} from "../db/queries/broker-writes";
import { upsertCatalog } from "../db/queries/catalog";
import { recordTransfer } from "../db/queries/ledger";
import { upsertOrder } from "../db/queries/orders";
import { newId } from "../shared/crypto";
import { type AuctionEvent, type QueueEvent, QueueEventSchema, type WalletEvent } from "./events";
import { tellWallets } from "./hold-instructions";
import {
  type InboxRow,
  inboxMessageView,
  type Notification,
  needsWatchers,
  notificationsFor,
  walletNotificationsFor,
} from "./notifications";
import { payWallets } from "./order-money";

/** One of the two event families on the queue: an AuctionRoom's or a user's Wallet's. */
function parseQueueEvent(body: unknown): QueueEvent | null {
  const parsed = QueueEventSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

const isWalletEvent = (event: QueueEvent): event is WalletEvent => "userId" in event;

/**
 * AuctionRooms publish the event's JSON text (contentType "text"); an object body is accepted too.
 * Text that is not JSON yields null, which fails validation and is dead-lettered.
 */
function eventBody(body: unknown): unknown {
  if (typeof body !== "string") return body;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/** Backoff for a failed message: 2, 4, 8 … seconds, at most a minute. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(2 ** attempts, 60);
}

/**
 * D1 statements that project events into the catalog and the bidders table. Only each auction's
 * newest event in the batch touches the catalog (every event carries the whole row, and the
 * seq guard would discard the older ones anyway): a hot auction costs one catalog write per batch.
 */
function projectionStatements(db: D1Database, events: AuctionEvent[]): D1PreparedStatement[] {
  const newest = new Map<string, AuctionEvent>();
  for (const event of events) {
    const seen = newest.get(event.auctionId);
    if (!seen || event.seq > seen.seq) newest.set(event.auctionId, event);
  }
  const statements = [...newest.values()].map((event) =>
    upsertCatalog(db, event.auctionId, event.seq, event.catalog),
  );
  for (const event of events) {
    if (event.type === "bid.placed")
      statements.push(recordBidder(db, event.auctionId, event.bidderId, event.occurredAt));
    if ("order" in event) {
      const { order } = event;
      const row = { ...order, title: event.catalog.title };
      statements.push(upsertOrder(db, event.seq, row));
    }
  }
  return statements;
}

/**
 * The D1 ledger (SPEC §8): every transfer a Wallet wrote (its `wallet.ledger` events) and every
 * order transfer a room wrote (its order events), each recorded by its writer.
 */
function ledgerStatements(db: D1Database, all: readonly QueueEvent[]): D1PreparedStatement[] {
  return all.flatMap((event) => {
    if (isWalletEvent(event)) {
      if (event.type !== "wallet.ledger") return [];
      return event.transfers.map((t) => recordTransfer(db, `wallet:${event.userId}`, t, event.occurredAt));
    }
    if (!("money" in event)) return [];
    return event.money.map((m) =>
      recordTransfer(db, `room:${event.auctionId}`, m.transfer, event.occurredAt),
    );
  });
}

function pendingRows(event: QueueEvent, notifications: Notification[]): PendingInboxRow[] {
  return notifications.map((n) => ({
    id: newId("msg"),
    recipientId: n.recipientId,
    eventId: event.id,
    // Wallet messages are about no auction; the column predates them and is NOT NULL.
    auctionId: isWalletEvent(event) ? "" : event.auctionId,
    kind: n.kind,
    title: n.title,
    body: n.body,
    data: JSON.stringify(n.data),
    createdAt: event.occurredAt,
  }));
}

/**
 * Projects the events and writes their inbox rows in one D1 batch (all or nothing: one
 * transaction, one round trip for a whole queue batch), then pushes the newly written rows to
 * their recipients' hubs, skipping those listed in `live_offline`. A push is best effort: the row
 * is already in the inbox, so a failed push is logged and never fails the events.
 */
async function handleEvents(env: Env, all: QueueEvent[]): Promise<void> {
  const db = env.DB;
  const events = all.filter((event): event is AuctionEvent => !isWalletEvent(event));
  const watchers = await watchersOf(
    db,
    events.filter(needsWatchers).map((e) => e.auctionId),
  );
  const rows = all.flatMap((event) =>
    isWalletEvent(event)
      ? pendingRows(event, walletNotificationsFor(event))
      : pendingRows(event, notificationsFor(event, watchers.get(event.auctionId) ?? [])),
  );
  const projection = [...projectionStatements(db, events), ...ledgerStatements(db, all)];
  const inserts = inboxStatements(db, rows);
  const recipients = [...new Set(rows.map((r) => r.recipientId))];
  const statements = [...projection, ...inserts];
  if (recipients.length > 0) {
    statements.push(unreadIncrementStatement(db, rows), unreadAndOfflineStatement(db, recipients));
  }

  const results = await db.batch<Record<string, unknown>>(statements);
  await tellWallets(env, events);
  await payWallets(env, events);
  if (recipients.length === 0) return;

  const inserted: InboxRow[] = [];
  for (const result of results.slice(projection.length, projection.length + inserts.length)) {
    // Rows of our own RETURNING clause, whose columns are exactly InboxRow's.
    inserted.push(...(result.results as InboxRow[]));
  }
  const unread = new Map<string, number>();
  const offline = new Set<string>();
  for (const row of results.at(-1)?.results ?? []) {
    unread.set(String(row.recipient_id), Number(row.unread));
    if (Number(row.offline) === 1) offline.add(String(row.recipient_id));
  }

  // One push per recipient for the whole batch, in the order the rows were written; none to a
  // recipient whose hub said it has no live socket (the rows wait in the inbox).
  const byRecipient = new Map<string, InboxRow[]>();
  for (const row of inserted) {
    if (offline.has(row.recipient_id)) continue;
    byRecipient.set(row.recipient_id, [...(byRecipient.get(row.recipient_id) ?? []), row]);
  }
  const recipientsPushed = [...byRecipient.keys()];
  const pushes = await Promise.allSettled(
    recipientsPushed.map((recipientId) => {
      const rowsOf = byRecipient.get(recipientId) ?? [];
      return env.USER_HUB.getByName(recipientId).notifyMany(
        rowsOf.map(inboxMessageView),
        unread.get(recipientId) ?? rowsOf.length,
      );
    }),
  );
  pushes.forEach((push, i) => {
    if (push.status === "rejected") {
      const recipientId = recipientsPushed[i] ?? "";
      console.error(
        JSON.stringify({
          level: "warn",
          message: "live push failed; the messages stay in the inbox",
          recipientId,
          messageIds: (byRecipient.get(recipientId) ?? []).map((row) => row.id),
          error: String(push.reason),
        }),
      );
    }
  });
}

/** Whose event a message is (a room's or a wallet's): enough to confirm it, read from any body that has it. */
const EventRefSchema = z.union([
  z.object({ auctionId: z.string().min(1), seq: z.number().int().positive() }),
  z.object({ userId: z.string().min(1), seq: z.number().int().positive() }),
]);
type EventRef = z.infer<typeof EventRefSchema>;

/** One confirmation call per object per batch, with the exact seqs. */
function seqsByObject(refs: readonly { key: string; seq: number }[]): { key: string; seqs: number[] }[] {
  const byKey = new Map<string, Set<number>>();
  for (const { key, seq } of refs) byKey.set(key, (byKey.get(key) ?? new Set<number>()).add(seq));
  return [...byKey].map(([key, seqs]) => ({ key, seqs: [...seqs].sort((a, b) => a - b) }));
}

/** Tells each Wallet which of its events are written (as confirmToRooms does for rooms). */
async function confirmToWallets(env: Env, refs: readonly EventRef[]): Promise<void> {
  const calls = seqsByObject(
    refs.flatMap((ref) => ("userId" in ref ? [{ key: ref.userId, seq: ref.seq }] : [])),
  );
  const results = await Promise.allSettled(
    calls.map(({ key, seqs }) => env.WALLET.getByName(key).confirmEvents(seqs)),
  );
  results.forEach((result, i) => {
    if (result.status === "rejected") {
      console.error(
        JSON.stringify({
          level: "warn",
          message: "confirm to wallet failed; the wallet will send its events again",
          userId: calls[i]?.key,
          seqs: calls[i]?.seqs,
          error: String(result.reason),
        }),
      );
    }
  });
}

/**
 * Tells each room which of its events the broker is done with, so the room stops sending them
 * again (SPEC §1: a room keeps an event until it is confirmed). One call per auction per batch,
 * with the exact seqs: an earlier event of the same auction may be the one the queue lost. A
 * failed call is only logged: the effects are written, the room will send the events again, and
 * writing them again changes nothing.
 */
async function confirmToRooms(env: Env, refs: readonly EventRef[]): Promise<void> {
  const seqsByAuction = new Map<string, Set<number>>();
  for (const ref of refs) {
    if (!("auctionId" in ref)) continue;
    const { auctionId, seq } = ref;
    const seqs = seqsByAuction.get(auctionId) ?? new Set<number>();
    seqs.add(seq);
    seqsByAuction.set(auctionId, seqs);
  }
  const calls = [...seqsByAuction].map(([auctionId, seqs]) => ({
    auctionId,
    seqs: [...seqs].sort((a, b) => a - b),
  }));
  const results = await Promise.allSettled(
    calls.map(({ auctionId, seqs }) => env.AUCTION_ROOM.getByName(auctionId).confirmEvents(seqs)),
  );
  results.forEach((result, i) => {
    if (result.status === "rejected") {
      console.error(
        JSON.stringify({
          level: "warn",
          message: "confirm to room failed; the room will send its events again",
          auctionId: calls[i]?.auctionId,
          seqs: calls[i]?.seqs,
          error: String(result.reason),
        }),
      );
    }
  });
}

/** Records one message the events queue gave up on, where an operator can see it (D1 and the log). */
async function recordDeadLetter(queue: string, message: Message, env: Env): Promise<void> {
  const body = JSON.stringify(message.body);
  console.error(
    JSON.stringify({ level: "error", message: "dead-lettered event", queue, id: message.id, body }),
  );
  await insertDeadLetter(env.DB, {
    id: message.id,
    queue,
    body,
    attempts: message.attempts,
    receivedAt: Date.now(),
  });
}

/**
 * Records a message as dead and acks it; true when recorded. A recorded event counts as handled
 * (it is kept whole in dead_letters for an operator to replay): its room may stop sending it,
 * rather than send a message that can never succeed forever.
 */
async function deadLetterOrRetry(queue: string, message: Message, env: Env): Promise<boolean> {
  try {
    await recordDeadLetter(queue, message, env);
    message.ack();
    return true;
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        message: "could not record dead letter",
        id: message.id,
        error: String(error),
      }),
    );
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    return false;
  }
}

/**
 * The broker. A whole batch is written in one D1 transaction; if that fails, each message is
 * tried on its own, so one bad event is retried (with backoff) without holding back the others.
 * Every write is idempotent, so redelivery is harmless.
 */
export async function handleQueue(batch: MessageBatch, env: Env): Promise<void> {
  const handled: EventRef[] = [];
  await handleMessages(batch, env, handled);
  if (handled.length > 0) await Promise.all([confirmToRooms(env, handled), confirmToWallets(env, handled)]);
}

/** Handles a batch; `handled` collects the events whose effects are written (or dead-lettered). */
async function handleMessages(batch: MessageBatch, env: Env, handled: EventRef[]): Promise<void> {
  const queue = batch.queue;
  const deadLetter = async (message: Message) => {
    const ref = EventRefSchema.safeParse(eventBody(message.body));
    if ((await deadLetterOrRetry(queue, message, env)) && ref.success) handled.push(ref.data);
  };
  if (queue.endsWith("-dlq")) {
    for (const message of batch.messages) await deadLetter(message);
    return;
  }
  const valid: { message: Message; event: QueueEvent }[] = [];
  for (const message of batch.messages) {
    const parsed = parseQueueEvent(eventBody(message.body));
    // Retrying cannot fix a malformed event: record it as dead at once.
    if (parsed) valid.push({ message, event: parsed });
    else await deadLetter(message);
  }
  if (valid.length === 0) return;
  if (valid.length > 1) {
    try {
      await handleEvents(
        env,
        valid.map((v) => v.event),
      );
      for (const { message, event } of valid) {
        message.ack();
        handled.push(event);
      }
      return;
    } catch {
      // Fall through: find the culprit by handling each message alone.
    }
  }
  for (const { message, event } of valid) {
    try {
      await handleEvents(env, [event]);
      message.ack();
      handled.push(event);
    } catch (error) {
      console.error(
        JSON.stringify({
          level: "warn",
          message: "event failed, will retry",
          id: event.id,
          error: String(error),
        }),
      );
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
