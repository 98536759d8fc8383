import { createRoute, z } from "@hono/zod-openapi";
import { INBOX_KINDS, type InboxRow, inboxMessageView } from "../../../queue/notifications";
import { decodeCursor, encodeCursor } from "../../cursor";
import { ApiError } from "../../errors";
import { currentUser, requireUser } from "../../middleware/auth";
import { bearerSecurity, createRouter, jsonContent, problems } from "../../openapi";
import { PageQuery, pageOf } from "../../schemas/auction";

export const InboxMessageSchema = z
  .object({
    id: z.string().openapi({ example: "msg_3k9x0c2m8v7b6n5q4r1t" }),
    kind: z.enum(INBOX_KINDS),
    auctionId: z.string(),
    title: z.string().openapi({ example: "You've been outbid" }),
    body: z
      .string()
      .openapi({ example: 'Someone outbid you on "Vintage film camera"; the price is now 12,000 KRW.' }),
    data: z.record(z.string(), z.unknown()).openapi({
      description:
        "Structured fields for clients that render their own text: always auctionId, auctionTitle, price (minor units), " +
        "currency, endsAt; plus leaderHandle/bidCount for bids and outcome/endedBy when an auction closes.",
    }),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .openapi("InboxMessage");

const InboxPage = pageOf(InboxMessageSchema, "InboxPage");

const MessageIdParam = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "msg_3k9x0c2m8v7b6n5q4r1t" }),
});

const listInbox = createRoute({
  method: "get",
  path: "/inbox",
  tags: ["Inbox"],
  summary: "My notifications, newest first",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  request: {
    query: z.object({
      unread: z
        .enum(["true", "false"])
        .optional()
        .openapi({ description: "`true`: only messages not yet read." }),
      ...PageQuery,
    }),
  },
  responses: { 200: jsonContent(InboxPage, "A page of messages"), ...problems(400, 401) },
});

const unreadCount = createRoute({
  method: "get",
  path: "/inbox/unread-count",
  tags: ["Inbox"],
  summary: "How many of my messages are unread",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  responses: {
    200: jsonContent(z.object({ count: z.number().int() }).openapi("UnreadCount"), "The count"),
    ...problems(401),
  },
});

const markRead = createRoute({
  method: "post",
  path: "/inbox/{id}/read",
  tags: ["Inbox"],
  summary: "Mark one message read",
  description:
    "Idempotent: a message already read keeps its first `readAt`. Another user's message is a 404.",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  request: { params: MessageIdParam },
  responses: { 200: jsonContent(InboxMessageSchema, "The message, read"), ...problems(401, 404) },
});

const markAllRead = createRoute({
  method: "post",
  path: "/inbox/read-all",
  tags: ["Inbox"],
  summary: "Mark all my messages read",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  responses: {
    200: jsonContent(
      z
        .object({ updated: z.number().int().openapi({ description: "How many were unread" }) })
        .openapi("ReadAll"),
      "Done",
    ),
    ...problems(401),
  },
});

const messageNotFound = () => new ApiError("INBOX_MESSAGE_NOT_FOUND", "You have no message with that id.");

/** Inbox API (SPEC §7). Every query is scoped to the caller: nobody can see another user's inbox. */
export const inboxRouter = createRouter()
  .openapi(listInbox, async (c) => {
    const me = currentUser(c);
    const { unread, limit, cursor } = c.req.valid("query");
    const where = ["recipient_id = ?"];
    const params: (string | number)[] = [me.id];
    if (unread === "true") where.push("read_at IS NULL");
    const after = decodeCursor(cursor);
    if (after) {
      if (typeof after[0] !== "number")
        throw new ApiError("INVALID_CURSOR", "The cursor is not one this API issued.");
      // Keyset on (created_at, id), both descending: stable while new messages arrive.
      where.push("(created_at < ? OR (created_at = ? AND id < ?))");
      params.push(after[0], after[0], after[1]);
    }
    const { results } = await c.env.DB.prepare(
      `SELECT * FROM inbox_messages WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
      .bind(...params, limit + 1)
      .all<InboxRow>();
    const page = results.slice(0, limit);
    const last = page.at(-1);
    return c.json(
      {
        items: page.map((row) => InboxMessageSchema.parse(inboxMessageView(row))),
        nextCursor: results.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
      },
      200,
    );
  })
  .openapi(unreadCount, async (c) => {
    const row = await c.env.DB.prepare("SELECT count FROM inbox_unread WHERE user_id = ?")
      .bind(currentUser(c).id)
      .first<{ count: number }>();
    return c.json({ count: row?.count ?? 0 }, 200);
  })
  .openapi(markAllRead, async (c) => {
    const userId = currentUser(c).id;
    // One batch (a transaction): the messages and the unread counter change together.
    const [result] = await c.env.DB.batch([
      c.env.DB.prepare(
        "UPDATE inbox_messages SET read_at = ? WHERE recipient_id = ? AND read_at IS NULL",
      ).bind(Date.now(), userId),
      c.env.DB.prepare("UPDATE inbox_unread SET count = 0 WHERE user_id = ?").bind(userId),
    ]);
    return c.json({ updated: result?.meta.changes ?? 0 }, 200);
  })
  .openapi(markRead, async (c) => {
    const userId = currentUser(c).id;
    const { id } = c.req.valid("param");
    // The counter drops only if this call is the one that marks the message read; both in one batch.
    const [, updated] = await c.env.DB.batch<InboxRow>([
      c.env.DB.prepare(
        `UPDATE inbox_unread SET count = count - 1 WHERE user_id = ?1 AND count > 0
         AND EXISTS (SELECT 1 FROM inbox_messages WHERE id = ?2 AND recipient_id = ?1 AND read_at IS NULL)`,
      ).bind(userId, id),
      c.env.DB.prepare(
        "UPDATE inbox_messages SET read_at = COALESCE(read_at, ?) WHERE id = ? AND recipient_id = ? RETURNING *",
      ).bind(Date.now(), id, userId),
    ]);
    const row = updated?.results[0];
    if (!row) throw messageNotFound();
    return c.json(InboxMessageSchema.parse(inboxMessageView(row)), 200);
  });
