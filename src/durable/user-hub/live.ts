import { z } from "zod";
import type { InboxMessageView } from "../../queue/notifications";
import { socketBaseShape } from "../kit/sockets";

/** What a user's notification sockets (`GET /me/live`, SPEC §6) carry and remember. */

/** Live sockets per user (tabs, devices); a new one beyond this closes the oldest. */
export const MAX_SOCKETS_PER_USER = 20;

/**
 * Per-socket state that survives hibernation; `v` lets a later version read older sockets.
 * v1 sockets (accepted before sockets knew their session) read as having no session; v1 and v2
 * sockets (before client frames were rate-limited) start a fresh frame window.
 */
const AttachmentV1Schema = z.object({ v: z.literal(1), userId: z.string(), connectedAt: z.number() });
const AttachmentV2Schema = z.object({
  v: z.literal(2),
  userId: z.string(),
  /** null when the worker did not say which session opened the socket. */
  sessionTag: z.string().nullable(),
  connectedAt: z.number(),
});
const AttachmentV3Schema = AttachmentV2Schema.extend({ v: z.literal(3), ...socketBaseShape });
export type HubSocket = z.infer<typeof AttachmentV3Schema>;
export const HubSocketSchema = z
  .discriminatedUnion("v", [AttachmentV1Schema, AttachmentV2Schema, AttachmentV3Schema])
  .transform((a): HubSocket => {
    if (a.v === 3) return a;
    const fresh = { windowStartedAt: a.connectedAt, framesInWindow: 0 };
    return a.v === 1 ? { ...a, ...fresh, v: 3, sessionTag: null } : { ...a, ...fresh, v: 3 };
  });

export function newHubSocket(userId: string, sessionTag: string | null, now: number): HubSocket {
  return { v: 3, userId, sessionTag, connectedAt: now, windowStartedAt: now, framesInWindow: 0 };
}

/** What a client sends up: `{"type":"ping"}` is answered; anything else gets an error frame. */
export const ClientFrameSchema = z.object({ type: z.string().max(32) }).loose();

/** The frame every socket of the user receives for a new inbox message. */
export interface NotificationFrame {
  type: "notification";
  message: InboxMessageView;
  unreadCount: number;
}

/** One frame per message, in order, each with the unread count as of that message. */
export function notificationFrames(
  messages: readonly InboxMessageView[],
  unreadCount: number,
): NotificationFrame[] {
  return messages.map((message, i) => ({
    type: "notification",
    message,
    unreadCount: Math.max(unreadCount - (messages.length - 1 - i), 0),
  }));
}
