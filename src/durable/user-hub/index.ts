import { DurableObject } from "cloudflare:workers";
import { markOffline, markOnline } from "../../db/queries/live-presence";
import type { InboxMessageView } from "../../queue/notifications";
import { parseJsonFrame, Sockets } from "../kit/sockets";
import {
  ClientFrameSchema,
  type HubSocket,
  HubSocketSchema,
  MAX_SOCKETS_PER_USER,
  newHubSocket,
  notificationFrames,
} from "./live";
import { Presence } from "./presence";
import {
  HUB_SESSION_HEADER,
  HUB_TICKET_HEADER,
  HUB_USER_HEADER,
  SESSION_ENDED_REASON,
  SESSION_REVOKED_REASON,
  SessionTagSchema,
  socketTag,
} from "./sessions";
import { type LiveTicket, LiveTickets } from "./tickets";

export { MAX_SOCKETS_PER_USER, type NotificationFrame } from "./live";
export {
  HUB_SESSION_HEADER,
  HUB_TICKET_HEADER,
  HUB_USER_HEADER,
  SESSION_ENDED_REASON,
  SESSION_REVOKED_REASON,
  sessionTagOf,
  ticketUserId,
} from "./sessions";
export { LIVE_TICKET_TTL_MS, type LiveTicket } from "./tickets";

export type IssueTicketResult = ({ ok: true } & LiveTicket) | { ok: false; code: "INVALID_SESSION_TAG" };

function plainResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain" } });
}

/**
 * One per user (named by the user id): holds that user's live notification sockets through the
 * WebSocket Hibernation API, so an idle user costs nothing, and pushes inbox messages to them.
 * Also issues and redeems the single-use tickets browsers use to open those sockets.
 */
export class UserHub extends DurableObject<Env> {
  private readonly tickets: LiveTickets;
  private readonly sockets: Sockets<HubSocket>;
  private readonly presence: Presence;
  /** The hub's clock (ticket expiry, frame windows); tests may replace it through runInDurableObject. */
  clock: () => number = () => Date.now();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.tickets = new LiveTickets(ctx.storage, () => this.clock());
    this.sockets = new Sockets(ctx, { attachment: HubSocketSchema, name: "user hub" });
    this.sockets.autoRespondToPing();
    this.presence = new Presence({
      writer: {
        offline: (since) => markOffline(env.DB, this.userId, since),
        online: () => markOnline(env.DB, this.userId),
      },
      liveSockets: () => this.sockets.all().length,
      clock: () => this.clock(),
    });
  }

  /** The user this hub belongs to: the name the worker addressed it by. */
  private get userId(): string {
    const name = this.ctx.id.name;
    if (name === undefined) throw new Error("UserHub must be addressed by name (the user id)");
    return name;
  }

  // ---------------------------------------------------------------- RPC

  /**
   * Pushes inbox messages, in order, to every live socket of the user; each frame carries the
   * unread count as of that message. One call per user per queue batch: the seller of a hot item
   * gets one call per batch, not one per bid.
   * @returns how many frames were written in all (0 when the user is offline, who is then listed
   * in `live_offline` so the broker skips them: presence.ts).
   */
  async notifyMany(messages: InboxMessageView[], unreadCount: number): Promise<number> {
    let written = 0;
    for (const frame of notificationFrames(messages, unreadCount)) {
      written += this.sockets.sendToAll(JSON.stringify(frame));
    }
    // Nobody to push to: have the broker stop waking this hub until a socket opens.
    if (written === 0) await this.syncPresence();
    return written;
  }

  /**
   * A single-use ticket for `GET /api/v1/me/live?ticket=`, for clients that cannot send the
   * session on a WebSocket upgrade. Valid for LIVE_TICKET_TTL_MS. The socket it opens belongs to
   * `sessionTag` (the session that asked for it), so it ends with that session.
   */
  async issueTicket(sessionTag: string): Promise<IssueTicketResult> {
    // A ticket without a valid session could outlive the session's logout: refuse to issue it.
    if (!SessionTagSchema.safeParse(sessionTag).success) return { ok: false, code: "INVALID_SESSION_TAG" };
    return { ok: true, ...(await this.tickets.issue(this.userId, sessionTag)) };
  }

  /**
   * A session ended (logout): closes its sockets with 1008 "session ended" and revokes its
   * unused tickets. Sockets whose session is unknown are left alone.
   * @returns how many sockets were closed.
   */
  async closeSession(sessionTag: string): Promise<number> {
    // Not parsed: a malformed tag is on no socket or ticket, so it closes nothing.
    this.tickets.revokeSession(sessionTag);
    const sockets = this.sockets.all(socketTag(sessionTag));
    for (const ws of sockets) this.sockets.close(ws, 1008, SESSION_ENDED_REASON);
    return sockets.length;
  }

  /**
   * Every session but `keepSessionTag` was revoked (password change): closes their sockets with
   * 1008 "session revoked" and revokes their unused tickets. Sockets and tickets whose session
   * is unknown are closed too: they cannot be shown to belong to the session that stays (and a
   * malformed `keepSessionTag` keeps nothing).
   * @returns how many sockets were closed.
   */
  async closeOtherSessions(keepSessionTag: string): Promise<number> {
    this.tickets.revokeAllBut(keepSessionTag);
    let closed = 0;
    for (const ws of this.sockets.all()) {
      if (this.sockets.attachmentOf(ws)?.sessionTag === keepSessionTag) continue;
      this.sockets.close(ws, 1008, SESSION_REVOKED_REASON);
      closed++;
    }
    return closed;
  }

  /** How many live sockets the user has; for tests and diagnostics. */
  async connectionCount(): Promise<number> {
    return this.sockets.all().length;
  }

  // ---------------------------------------------------------------- WebSocket upgrade

  /**
   * Only the worker reaches this, after authenticating the caller: either it vouches for the
   * user (`x-hub-user`, checked against this hub's name) or it passes a ticket for the hub to
   * redeem. A ticket is consumed even if the upgrade then fails, so it can never be replayed.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return plainResponse(426, "Expected a WebSocket upgrade");
    }
    const userId = this.userId;
    const ticket = request.headers.get(HUB_TICKET_HEADER);
    let sessionTag: string | null;
    if (ticket !== null) {
      const redeemed = await this.tickets.redeem(ticket, userId);
      if (!redeemed) return plainResponse(401, "Invalid or expired ticket");
      sessionTag = redeemed.sessionTag;
    } else {
      if (request.headers.get(HUB_USER_HEADER) !== userId) return plainResponse(401, "Not this user's hub");
      sessionTag = request.headers.get(HUB_SESSION_HEADER);
      if (sessionTag !== null && !SessionTagSchema.safeParse(sessionTag).success) {
        return plainResponse(400, "Invalid session tag");
      }
    }

    this.closeOldestBeyond(MAX_SOCKETS_PER_USER - 1);
    const { 0: client, 1: server } = new WebSocketPair();
    // The tag lets closeSession find a session's sockets without reading every attachment.
    const tags = sessionTag === null ? [] : [socketTag(sessionTag)];
    this.sockets.accept(server, newHubSocket(userId, sessionTag, this.clock()), tags);
    // Off the broker's offline list before the client sees the socket open: a message written
    // after that is pushed. If the list cannot be written, the socket is not worth opening.
    try {
      await this.presence.sync();
    } catch (error) {
      this.logPresenceFailure(error);
      this.sockets.close(server, 1011, "Try again");
      return plainResponse(503, "Could not go live; try again");
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  private closeOldestBeyond(keep: number): void {
    const sockets = this.sockets
      .all()
      .map((ws) => ({ ws, connectedAt: this.sockets.attachmentOf(ws)?.connectedAt ?? 0 }))
      .sort((a, b) => a.connectedAt - b.connectedAt);
    for (const { ws } of sockets.slice(0, Math.max(0, sockets.length - keep))) {
      this.sockets.close(ws, 1008, "Too many live connections for this user");
    }
  }

  // ---------------------------------------------------------------- hibernation handlers

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (!this.sockets.admit(ws, message, this.clock(), null)) return;
    // "ping" normally never gets here (auto-response); answer it anyway if it does.
    if (message === "ping") {
      this.sockets.send(ws, "pong");
      return;
    }
    const json = parseJsonFrame(message);
    if (json === undefined) {
      this.sockets.close(ws, 1008, "Frames must be JSON text");
      return;
    }
    const frame = ClientFrameSchema.safeParse(json);
    if (frame.success && frame.data.type === "ping") {
      this.sockets.send(
        ws,
        JSON.stringify({ type: "pong", serverTime: new Date(this.clock()).toISOString() }),
      );
      return;
    }
    // The channel is server → client; tell the client rather than silently dropping its frame.
    this.sockets.send(
      ws,
      JSON.stringify({ type: "error", code: "UNSUPPORTED_FRAME", detail: 'Send "ping" or {"type":"ping"}.' }),
    );
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.sockets.closed(ws, code, reason);
    await this.syncPresence();
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    this.sockets.failed(ws, error);
    await this.syncPresence();
  }

  /** Best effort: a list left stale says "online", which only costs the broker a push. */
  private async syncPresence(): Promise<void> {
    try {
      await this.presence.sync();
    } catch (error) {
      this.logPresenceFailure(error);
    }
  }

  private logPresenceFailure(error: unknown): void {
    console.error(
      JSON.stringify({ level: "warn", message: "user hub: presence not written", error: String(error) }),
    );
  }
}
