import { createRoute, z } from "@hono/zod-openapi";
import { isSessionLive } from "../../../db/queries/sessions";
import {
  HUB_SESSION_HEADER,
  HUB_TICKET_HEADER,
  HUB_USER_HEADER,
  sessionTagOf,
  ticketUserId,
} from "../../../durable/user-hub";
import { ApiError } from "../../errors";
import { currentUser, requireUser } from "../../middleware/auth";
import { bearerSecurity, createRouter, jsonContent, problems } from "../../openapi";
import { assertWebSocketHandshake } from "../../websocket-handshake";

const LiveTicketSchema = z
  .object({
    ticket: z
      .string()
      .openapi({ description: "Pass as `?ticket=` to `GET /api/v1/me/live` within a minute; works once." }),
    expiresAt: z.string().openapi({ example: "2026-09-01T12:01:00.000Z" }),
  })
  .openapi("LiveTicket");

const NOTIFICATION_FRAME_DOC =
  'Server → client frames are JSON `{"type":"notification","message":InboxMessage,"unreadCount":N}`. ' +
  "Send the text `ping` to get `pong` (answered without waking the server). Client frames over 1 KiB or not JSON close the socket with 1008.";

const meLive = createRoute({
  method: "get",
  path: "/live",
  tags: ["Real time"],
  summary: "Your notifications, live (WebSocket)",
  description:
    "A WebSocket upgrade to the caller's notification channel. Authenticated by the session (cookie or bearer) " +
    "or, for clients that cannot send either on an upgrade, by a single-use `?ticket=` from `POST /api/v1/me/live-ticket`. " +
    NOTIFICATION_FRAME_DOC +
    " The socket lasts no longer than the session that opened it (or issued its ticket): logging out closes it " +
    'with 1008 "session ended", a password change on another session with 1008 "session revoked".',
  // The empty requirement: a ticket in the query also authenticates.
  security: [...bearerSecurity, {}],
  request: { query: z.object({ ticket: z.string().max(200).optional() }) },
  responses: {
    101: { description: "Switching Protocols: the socket is open." },
    ...problems(400, 401, 403, 426),
  },
});

const issueLiveTicket = createRoute({
  method: "post",
  path: "/live-ticket",
  tags: ["Real time"],
  summary: "A short-lived ticket to open /me/live",
  description:
    "Browsers cannot set headers on a WebSocket; this ticket stands in for them once, within 60 s. " +
    "It belongs to the calling session: ending that session revokes it, and closes the socket it opened.",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  responses: { 201: jsonContent(LiveTicketSchema, "The ticket"), ...problems(401) },
});

const unauthenticated = (detail: string) =>
  new ApiError("UNAUTHENTICATED", detail, {
    headers: {
      "www-authenticate": 'Bearer realm="secondhand-auction"',
    },
  });

/**
 * The session cache may still hold a session another instance revoked (SPEC §3 allows 30 s).
 * That is fine for a request, but a socket opened in that window would outlive its session, since
 * the hub already closed that session's sockets. So a live channel is only opened (or a ticket
 * issued) for a session D1 says is live: one small query, once per socket.
 */
async function requireLiveSession(db: D1Database, tokenHash: string | undefined): Promise<string> {
  if (tokenHash !== undefined && (await isSessionLive(db, tokenHash, Date.now()))) {
    return sessionTagOf(tokenHash);
  }
  throw unauthenticated("The session has ended; sign in again.");
}

/** WebSocket endpoints (SPEC §6): the caller's own notification channel. */
export const liveRouter = createRouter()
  .openapi(meLive, async (c) => {
    // Checked before authentication so a plain GET never burns a ticket.
    assertWebSocketHandshake(c.req.raw.headers);
    const user = c.get("user");
    const { ticket } = c.req.valid("query");
    let userId: string;
    const forwarded = new Headers({ upgrade: "websocket" });
    if (user) {
      userId = user.id;
      forwarded.set(HUB_USER_HEADER, user.id);
      forwarded.set(HUB_SESSION_HEADER, await requireLiveSession(c.env.DB, c.get("sessionTokenHash")));
    } else if (ticket !== undefined) {
      const owner = ticketUserId(ticket);
      if (owner === null) throw unauthenticated("The live ticket is not valid.");
      userId = owner;
      forwarded.set(HUB_TICKET_HEADER, ticket);
    } else {
      throw unauthenticated("Sign in first, or pass `?ticket=` from POST /api/v1/me/live-ticket.");
    }
    const response = await c.env.USER_HUB.getByName(userId).fetch("https://user-hub/connect", {
      headers: forwarded,
    });
    if (response.status === 401)
      throw unauthenticated("The live ticket is not valid, has expired or was already used.");
    if (response.status !== 101 || !response.webSocket) {
      throw new ApiError("LIVE_UNAVAILABLE", "The live channel could not be opened; try again.");
    }
    return response;
  })
  .openapi(issueLiveTicket, async (c) => {
    const user = currentUser(c);
    const sessionTag = await requireLiveSession(c.env.DB, c.get("sessionTokenHash"));
    const issued = await c.env.USER_HUB.getByName(user.id).issueTicket(sessionTag);
    // Unreachable: the tag is derived from a SHA-256 hex digest above.
    if (!issued.ok) throw new Error(`UserHub refused to issue a live ticket: ${issued.code}`);
    c.header("cache-control", "no-store");
    return c.json({ ticket: issued.ticket, expiresAt: new Date(issued.expiresAt).toISOString() }, 201);
  });
