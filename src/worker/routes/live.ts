import { createRoute, z } from "@hono/zod-openapi";
import { HUB_TICKET_HEADER, HUB_USER_HEADER, ticketUserId } from "../../durable/user-hub";
import { ApiError } from "../errors";
import { currentUser, requireUser } from "../middleware/auth";
import { bearerSecurity, createRouter, jsonContent, problems } from "../openapi";

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
  path: "/me/live",
  tags: ["Real time"],
  summary: "Your notifications, live (WebSocket)",
  description:
    "A WebSocket upgrade to the caller's notification channel. Authenticated by the session (cookie or bearer) " +
    "or, for clients that cannot send either on an upgrade, by a single-use `?ticket=` from `POST /api/v1/me/live-ticket`. " +
    NOTIFICATION_FRAME_DOC,
  // The empty requirement: a ticket in the query also authenticates.
  security: [...bearerSecurity, {}],
  request: { query: z.object({ ticket: z.string().max(200).optional() }) },
  responses: {
    101: { description: "Switching Protocols: the socket is open." },
    ...problems(401, 426),
  },
});

const issueLiveTicket = createRoute({
  method: "post",
  path: "/me/live-ticket",
  tags: ["Real time"],
  summary: "A short-lived ticket to open /me/live",
  description:
    "Browsers cannot set headers on a WebSocket; this ticket stands in for them once, within 60 s.",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  responses: { 201: jsonContent(LiveTicketSchema, "The ticket"), ...problems(401) },
});

const unauthenticated = (detail: string) =>
  new ApiError(401, "UNAUTHENTICATED", detail, undefined, {
    "www-authenticate": 'Bearer realm="secondhand-auction"',
  });

/** WebSocket endpoints (SPEC §6): the caller's own notification channel. */
export const liveRouter = createRouter()
  .openapi(meLive, async (c) => {
    // Checked before authentication so a plain GET never burns a ticket.
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError(
        426,
        "UPGRADE_REQUIRED",
        "This endpoint is a WebSocket: send `Upgrade: websocket`.",
        undefined,
        {
          upgrade: "websocket",
        },
      );
    }
    const user = c.get("user");
    const { ticket } = c.req.valid("query");
    let userId: string;
    const forwarded = new Headers({ upgrade: "websocket" });
    if (user) {
      userId = user.id;
      forwarded.set(HUB_USER_HEADER, user.id);
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
      throw new ApiError(503, "LIVE_UNAVAILABLE", "The live channel could not be opened; try again.");
    }
    return response;
  })
  .openapi(issueLiveTicket, async (c) => {
    const { ticket, expiresAt } = await c.env.USER_HUB.getByName(currentUser(c).id).issueTicket();
    c.header("cache-control", "no-store");
    return c.json({ ticket, expiresAt: new Date(expiresAt).toISOString() }, 201);
  });
