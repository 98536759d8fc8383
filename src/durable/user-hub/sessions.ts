import { z } from "zod";

/**
 * How the worker and a user's hub agree on who is connecting: the headers of a forwarded upgrade,
 * the session tag that ties sockets and tickets to a session, and the shape of a ticket.
 */

/** Headers the worker sets when it forwards an authenticated upgrade to the hub. */
export const HUB_USER_HEADER = "x-hub-user";
export const HUB_TICKET_HEADER = "x-hub-ticket";
/** The session tag of the vouched-for session (see `sessionTagOf`). */
export const HUB_SESSION_HEADER = "x-hub-session";

/**
 * Which session a socket or ticket belongs to, so ending a session can end its sockets. A prefix
 * of the token's SHA-256 is plenty to tell one user's sessions apart, and tells an attacker who
 * reads hub storage nothing they could log in with; the token itself never reaches the hub.
 */
export function sessionTagOf(tokenHash: string): string {
  return tokenHash.slice(0, 16);
}
export const SessionTagSchema = z.string().regex(/^[0-9a-f]{16}$/);

/** The hibernation tag of a session's sockets, namespaced so other kinds of tag can be added. */
export const socketTag = (sessionTag: string) => `session:${sessionTag}`;

/** Close reasons (code 1008, policy) a client sees when its session stops being valid. */
export const SESSION_ENDED_REASON = "session ended";
export const SESSION_REVOKED_REASON = "session revoked";

/** `<userId>.<43 base64url chars>`: the worker routes on the user id, the hub checks the secret. */
const TICKET_PATTERN = /^([a-z0-9_]{1,64})\.([A-Za-z0-9_-]{43})$/;

/** The user a ticket claims to be for, or null when it is not shaped like one we issue. */
export function ticketUserId(ticket: string): string | null {
  return TICKET_PATTERN.exec(ticket)?.[1] ?? null;
}
