import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import type { InboxMessageView } from "../../queue/notifications";
import { randomBytes, sha256Hex, toBase64Url } from "../../shared/crypto";
import { type SchemaStep, SqliteSchema } from "../kit/schema";
import { parseJsonFrame, Sockets, socketBaseShape } from "../kit/sockets";

/** How long a live ticket may wait before it is used (SPEC §6: short-lived). */
export const LIVE_TICKET_TTL_MS = 60_000;
/** Unused tickets a user may hold at once; issuing more forgets the oldest. */
const MAX_OUTSTANDING_TICKETS = 20;
/** Live sockets per user (tabs, devices); a new one beyond this closes the oldest. */
export const MAX_SOCKETS_PER_USER = 20;

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
const SessionTagSchema = z.string().regex(/^[0-9a-f]{16}$/);

/** The hibernation tag of a session's sockets, namespaced so other kinds of tag can be added. */
const socketTag = (sessionTag: string) => `session:${sessionTag}`;

/** Close reasons (code 1008, policy) a client sees when its session stops being valid. */
export const SESSION_ENDED_REASON = "session ended";
export const SESSION_REVOKED_REASON = "session revoked";

/** `<userId>.<43 base64url chars>`: the worker routes on the user id, the hub checks the secret. */
const TICKET_PATTERN = /^([a-z0-9_]{1,64})\.([A-Za-z0-9_-]{43})$/;

/** The user a ticket claims to be for, or null when it is not shaped like one we issue. */
export function ticketUserId(ticket: string): string | null {
  return TICKET_PATTERN.exec(ticket)?.[1] ?? null;
}

export interface LiveTicket {
  ticket: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type IssueTicketResult = ({ ok: true } & LiveTicket) | { ok: false; code: "INVALID_SESSION_TAG" };

/** The frame every socket of the user receives for a new inbox message. */
export interface NotificationFrame {
  type: "notification";
  message: InboxMessageView;
  unreadCount: number;
}

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
type Attachment = z.infer<typeof AttachmentV3Schema>;
const AttachmentSchema = z
  .discriminatedUnion("v", [AttachmentV1Schema, AttachmentV2Schema, AttachmentV3Schema])
  .transform((a): Attachment => {
    if (a.v === 3) return a;
    const fresh = { windowStartedAt: a.connectedAt, framesInWindow: 0 };
    return a.v === 1 ? { ...a, ...fresh, v: 3, sessionTag: null } : { ...a, ...fresh, v: 3 };
  });

const ClientFrameSchema = z.object({ type: z.string().max(32) }).loose();

const TICKET_SCHEMA: SchemaStep[] = [
  {
    version: 1,
    statements: [
      // Only the SHA-256 of a ticket is kept: a leaked storage snapshot cannot open a socket.
      "CREATE TABLE IF NOT EXISTS live_tickets (hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)",
      "CREATE INDEX IF NOT EXISTS live_tickets_expiry ON live_tickets (expires_at)",
    ],
  },
  // The session that asked for the ticket; NULL for tickets issued before v2 (gone within 60 s).
  { version: 2, statements: ["ALTER TABLE live_tickets ADD COLUMN session_tag TEXT"] },
];

function plainResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain" } });
}

/**
 * One per user (named by the user id): holds that user's live notification sockets through the
 * WebSocket Hibernation API, so an idle user costs nothing, and pushes inbox messages to them.
 * Also issues and redeems the single-use tickets browsers use to open those sockets.
 */
export class UserHub extends DurableObject<Env> {
  /**
   * Only tickets need storage, so the schema is created on first use: a user who only ever
   * receives pushes (most of them) never gets a database.
   */
  private readonly schema: SqliteSchema;
  private readonly sockets: Sockets<Attachment>;
  /** The hub's clock (ticket expiry, frame windows); tests may replace it through runInDurableObject. */
  clock: () => number = () => Date.now();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.schema = new SqliteSchema(ctx.storage, TICKET_SCHEMA);
    this.sockets = new Sockets(ctx, { attachment: AttachmentSchema, name: "user hub" });
    this.sockets.autoRespondToPing();
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
   * @returns how many frames were written in all (0 when the user is offline).
   */
  async notifyMany(messages: InboxMessageView[], unreadCount: number): Promise<number> {
    let written = 0;
    messages.forEach((message, i) => {
      const frame: NotificationFrame = {
        type: "notification",
        message,
        unreadCount: Math.max(unreadCount - (messages.length - 1 - i), 0),
      };
      written += this.sockets.sendToAll(JSON.stringify(frame));
    });
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
    const userId = this.userId;
    const ticket = `${userId}.${toBase64Url(randomBytes(32))}`;
    const hash = await sha256Hex(ticket);
    const now = this.clock();
    const expiresAt = now + LIVE_TICKET_TTL_MS;
    this.schema.ensure();
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM live_tickets WHERE expires_at <= ?", now);
    sql.exec(
      `DELETE FROM live_tickets WHERE hash NOT IN
         (SELECT hash FROM live_tickets ORDER BY expires_at DESC LIMIT ?)`,
      MAX_OUTSTANDING_TICKETS - 1,
    );
    sql.exec(
      "INSERT INTO live_tickets (hash, expires_at, session_tag) VALUES (?, ?, ?)",
      hash,
      expiresAt,
      sessionTag,
    );
    return { ok: true, ticket, expiresAt };
  }

  /**
   * A session ended (logout): closes its sockets with 1008 "session ended" and revokes its
   * unused tickets. Sockets whose session is unknown are left alone.
   * @returns how many sockets were closed.
   */
  async closeSession(sessionTag: string): Promise<number> {
    // Not parsed: a malformed tag is on no socket or ticket, so it closes nothing.
    if (this.hasTicketStorage()) {
      this.ctx.storage.sql.exec("DELETE FROM live_tickets WHERE session_tag = ?", sessionTag);
    }
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
    if (this.hasTicketStorage()) {
      // IS NOT, unlike !=, also matches the NULL of a ticket from before tickets had a session.
      this.ctx.storage.sql.exec("DELETE FROM live_tickets WHERE session_tag IS NOT ?", keepSessionTag);
    }
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
      const redeemed = await this.redeemTicket(ticket);
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
    const now = this.clock();
    const attachment: Attachment = {
      v: 3,
      userId,
      sessionTag,
      connectedAt: now,
      windowStartedAt: now,
      framesInWindow: 0,
    };
    this.sockets.accept(server, attachment, sessionTag === null ? [] : [socketTag(sessionTag)]);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** The session the ticket was issued under, or null when the ticket is not (or no longer) valid. */
  private async redeemTicket(ticket: string): Promise<{ sessionTag: string | null } | null> {
    if (ticketUserId(ticket) !== this.userId) return null;
    const hash = await sha256Hex(ticket);
    this.schema.ensure();
    // DELETE … RETURNING makes redemption single-use even for two connects racing. Nothing but
    // storage is awaited between here and acceptWebSocket, so a closeSession cannot slip between.
    const row = this.ctx.storage.sql
      .exec<{ session_tag: string | null }>(
        "DELETE FROM live_tickets WHERE hash = ? AND expires_at > ? RETURNING session_tag",
        hash,
        this.clock(),
      )
      .toArray()[0];
    if (!row) return null;
    const tag = SessionTagSchema.safeParse(row.session_tag);
    return { sessionTag: tag.success ? tag.data : null };
  }

  /**
   * Whether tickets were ever stored. Ending a session must not give a user who never asked for
   * a ticket a database (see `schema`); reading sqlite_master writes nothing.
   */
  private hasTicketStorage(): boolean {
    if (!this.schema.exists()) return false;
    this.schema.ensure();
    return true;
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
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    this.sockets.failed(ws, error);
  }
}
