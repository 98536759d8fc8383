import { and, desc, eq, exists, gt, isNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type Keyset, pastKeyset } from "../keyset";
import { inboxMessages, inboxUnread } from "../schema";

/**
 * A message selected under its column names (snake_case): the shape of the rows the broker reads
 * back when it pushes them, so one view function (queue/notifications `inboxMessageView`) serves
 * both the API and the live channel.
 */
const inboxRow = {
  id: inboxMessages.id,
  recipient_id: inboxMessages.recipientId,
  event_id: inboxMessages.eventId,
  kind: inboxMessages.kind,
  auction_id: inboxMessages.auctionId,
  title: inboxMessages.title,
  body: inboxMessages.body,
  data: inboxMessages.data,
  created_at: inboxMessages.createdAt,
  read_at: inboxMessages.readAt,
};

/** `userId`'s messages (only the unread ones if asked), newest first, past `after`. */
export async function listInboxMessages(
  db: D1Database,
  userId: string,
  options: { unreadOnly: boolean; after: Keyset | null; limit: number },
) {
  return drizzle(db)
    .select(inboxRow)
    .from(inboxMessages)
    .where(
      and(
        eq(inboxMessages.recipientId, userId),
        options.unreadOnly ? isNull(inboxMessages.readAt) : undefined,
        // Keyset on (created_at, id), both descending: stable while new messages arrive.
        options.after
          ? pastKeyset(inboxMessages.createdAt, inboxMessages.id, options.after, "desc")
          : undefined,
      ),
    )
    .orderBy(desc(inboxMessages.createdAt), desc(inboxMessages.id))
    .limit(options.limit)
    .all();
}

/** Kept in step with the messages by the broker, so this is one row read. */
export async function countUnread(db: D1Database, userId: string): Promise<number> {
  const row = await drizzle(db)
    .select({ count: inboxUnread.count })
    .from(inboxUnread)
    .where(eq(inboxUnread.userId, userId))
    .get();
  return row?.count ?? 0;
}

/** Marks every unread message of `userId` read; returns how many were unread. */
export async function markAllMessagesRead(db: D1Database, userId: string, now: number): Promise<number> {
  const orm = drizzle(db);
  // One batch (a transaction): the messages and the unread counter change together.
  const [result] = await orm.batch([
    orm
      .update(inboxMessages)
      .set({ readAt: now })
      .where(and(eq(inboxMessages.recipientId, userId), isNull(inboxMessages.readAt))),
    orm.update(inboxUnread).set({ count: 0 }).where(eq(inboxUnread.userId, userId)),
  ]);
  return result.meta.changes;
}

/**
 * Marks one of `userId`'s messages read (a message already read keeps its first `readAt`) and
 * returns it; undefined when `userId` has no message `messageId`.
 */
export async function markMessageRead(db: D1Database, userId: string, messageId: string, now: number) {
  const orm = drizzle(db);
  const mine = and(eq(inboxMessages.id, messageId), eq(inboxMessages.recipientId, userId));
  // The counter drops only if this call is the one that marks the message read; both in one batch.
  const [, updated] = await orm.batch([
    orm
      .update(inboxUnread)
      .set({ count: sql`${inboxUnread.count} - 1` })
      .where(
        and(
          eq(inboxUnread.userId, userId),
          gt(inboxUnread.count, 0),
          exists(
            orm
              .select({ one: sql`1` })
              .from(inboxMessages)
              .where(and(mine, isNull(inboxMessages.readAt))),
          ),
        ),
      ),
    orm
      .update(inboxMessages)
      .set({ readAt: sql`COALESCE(${inboxMessages.readAt}, ${now})` })
      .where(mine)
      .returning(inboxRow),
  ]);
  return updated[0];
}
