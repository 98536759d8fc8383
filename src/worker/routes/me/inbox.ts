import { createRoute, z } from "@hono/zod-openapi";
import {
  countUnread,
  listInboxMessages,
  markAllMessagesRead,
  markMessageRead,
} from "../../../db/queries/inbox";
import { INBOX_KINDS, inboxMessageView } from "../../../queue/notifications";
import { decodeCursor, keysetPage } from "../../cursor";
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
    const after = decodeCursor(cursor);
    if (after && typeof after[0] !== "number")
      throw new ApiError("INVALID_CURSOR", "The cursor is not one this API issued.");
    const rows = await listInboxMessages(c.env.DB, me.id, {
      unreadOnly: unread === "true",
      after,
      limit: limit + 1,
    });
    return c.json(
      keysetPage(
        rows,
        limit,
        (row) => [row.created_at, row.id],
        (row) => InboxMessageSchema.parse(inboxMessageView(row)),
      ),
      200,
    );
  })
  .openapi(unreadCount, async (c) => c.json({ count: await countUnread(c.env.DB, currentUser(c).id) }, 200))
  .openapi(markAllRead, async (c) => {
    const updated = await markAllMessagesRead(c.env.DB, currentUser(c).id, Date.now());
    return c.json({ updated }, 200);
  })
  .openapi(markRead, async (c) => {
    const row = await markMessageRead(c.env.DB, currentUser(c).id, c.req.valid("param").id, Date.now());
    if (!row) throw messageNotFound();
    return c.json(InboxMessageSchema.parse(inboxMessageView(row)), 200);
  });
