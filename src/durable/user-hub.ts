import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import type { InboxMessageView } from "../queue/notifications";

/** How long a live ticket may wait before it is used (SPEC §6: short-lived). */
export const LIVE_TICKET_TTL_MS = 60_000;
/** Unused tickets a user may hold at once; issuing more forgets the oldest. */
const MAX_OUTSTANDING_TICKETS = 20;
/** Live sockets per user (tabs, devices); a new one beyond this closes the oldest. */
export const MAX_SOCKETS_PER_USER = 20;
/** Client frames are tiny control messages; anything bigger is abuse or a bug. */
export const MAX_CLIENT_FRAME_BYTES = 1024;

/** Headers the worker sets when it forwards an authenticated upgrade to the hub. */
export const HUB_USER_HEADER = "x-hub-user";
export const HUB_TICKET_HEADER = "x-hub-ticket";

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

/** The frame every socket of the user receives for a new inbox message. */
export interface NotificationFrame {
  type: "notification";
  message: InboxMessageView;
  unreadCount: number;
}

/** Per-socket state that survives hibernation; `v` lets a later version read older sockets. */
const AttachmentSchema = z.object({ v: z.literal(1), userId: z.string(), connectedAt: z.number() });
type Attachment = z.infer<typeof AttachmentSchema>;

const ClientFrameSchema = z.object({ type: z.string().max(32) }).loose();

const SCHEMA_VERSION = 1;
const MIGRATIONS: Record<number, string[]> = {
  1: [
    // Only the SHA-256 of a ticket is kept: a leaked storage snapshot cannot open a socket.
    "CREATE TABLE IF NOT EXISTS live_tickets (hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS live_tickets_expiry ON live_tickets (expires_at)",
  ],
};

const encoder = new TextEncoder();

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function plainResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain" } });
}

/**
 * One per user (named by the user id): holds that user's live notification sockets through the
 * WebSocket Hibernation API, so an idle user costs nothing, and pushes inbox messages to them.
 * Also issues and redeems the single-use tickets browsers use to open those sockets.
 */
export class UserHub extends DurableObject<Env> {
  private schemaReady = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /**
   * Only tickets need storage, so the schema is created on first use: a user who only ever
   * receives pushes (most of them) never gets a database. Skipped when the version matches.
   */
  private ensureSchema(): void {
    if (this.schemaReady) return;
    const sql = this.ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    const row = sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'")
      .toArray()[0];
    for (let version = Number(row?.value ?? 0) + 1; version <= SCHEMA_VERSION; version++) {
      for (const statement of MIGRATIONS[version] ?? []) sql.exec(statement);
      sql.exec(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        String(version),
      );
    }
    this.schemaReady = true;
  }

  /** The user this hub belongs to: the name the worker addressed it by. */
  private get userId(): string {
    const name = this.ctx.id.name;
    if (name === undefined) throw new Error("UserHub must be addressed by name (the user id)");
    return name;
  }

  // ---------------------------------------------------------------- RPC

  /**
   * Pushes an inbox message to every live socket of the user.
   * @returns how many sockets it was written to (0 when the user is offline).
   */
  async notify(message: InboxMessageView, unreadCount: number): Promise<number> {
    const frame: NotificationFrame = { type: "notification", message, unreadCount };
    return this.broadcast(JSON.stringify(frame));
  }

  /**
   * A single-use ticket for `GET /api/v1/me/live?ticket=`, for clients that cannot send the
   * session on a WebSocket upgrade. Valid for LIVE_TICKET_TTL_MS.
   */
  async issueTicket(): Promise<LiveTicket> {
    const userId = this.userId;
    const ticket = `${userId}.${base64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
    const hash = await sha256Hex(ticket);
    const now = Date.now();
    const expiresAt = now + LIVE_TICKET_TTL_MS;
    this.ensureSchema();
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM live_tickets WHERE expires_at <= ?", now);
    sql.exec(
      `DELETE FROM live_tickets WHERE hash NOT IN
         (SELECT hash FROM live_tickets ORDER BY expires_at DESC LIMIT ?)`,
      MAX_OUTSTANDING_TICKETS - 1,
    );
    sql.exec("INSERT INTO live_tickets (hash, expires_at) VALUES (?, ?)", hash, expiresAt);
    return { ticket, expiresAt };
  }

  /** How many live sockets the user has; for tests and diagnostics. */
  async connectionCount(): Promise<number> {
    return this.ctx.getWebSockets().length;
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
    const vouchedUser = request.headers.get(HUB_USER_HEADER);
    const authorised = ticket !== null ? await this.redeemTicket(ticket) : vouchedUser === userId;
    if (!authorised) return plainResponse(401, "Invalid or expired ticket");

    this.closeOldestBeyond(MAX_SOCKETS_PER_USER - 1);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const attachment: Attachment = { v: 1, userId, connectedAt: Date.now() };
    server.serializeAttachment(attachment);
    return new Response(null, { status: 101, webSocket: client });
  }

  private async redeemTicket(ticket: string): Promise<boolean> {
    if (ticketUserId(ticket) !== this.userId) return false;
    const hash = await sha256Hex(ticket);
    this.ensureSchema();
    // DELETE … RETURNING makes redemption single-use even for two connects racing.
    const rows = this.ctx.storage.sql
      .exec("DELETE FROM live_tickets WHERE hash = ? AND expires_at > ? RETURNING hash", hash, Date.now())
      .toArray();
    return rows.length === 1;
  }

  private closeOldestBeyond(keep: number): void {
    const sockets = this.ctx
      .getWebSockets()
      .map((ws) => ({ ws, connectedAt: this.attachmentOf(ws)?.connectedAt ?? 0 }))
      .sort((a, b) => a.connectedAt - b.connectedAt);
    for (const { ws } of sockets.slice(0, Math.max(0, sockets.length - keep))) {
      this.safeClose(ws, 1008, "Too many live connections for this user");
    }
  }

  // ---------------------------------------------------------------- hibernation handlers

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    // "ping" normally never gets here (auto-response); answer it anyway if it does.
    if (message === "ping") {
      ws.send("pong");
      return;
    }
    const size = typeof message === "string" ? encoder.encode(message).byteLength : message.byteLength;
    if (size > MAX_CLIENT_FRAME_BYTES) {
      this.safeClose(ws, 1008, `Frames are limited to ${MAX_CLIENT_FRAME_BYTES} bytes`);
      return;
    }
    if (typeof message !== "string") {
      this.safeClose(ws, 1008, "Frames must be JSON text");
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      this.safeClose(ws, 1008, "Frames must be JSON text");
      return;
    }
    const frame = ClientFrameSchema.safeParse(json);
    if (frame.success && frame.data.type === "ping") {
      ws.send(JSON.stringify({ type: "pong", serverTime: new Date().toISOString() }));
      return;
    }
    // The channel is server → client; tell the client rather than silently dropping its frame.
    ws.send(
      JSON.stringify({ type: "error", code: "UNSUPPORTED_FRAME", detail: 'Send "ping" or {"type":"ping"}.' }),
    );
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // Reciprocate so the client sees a clean close. 1005/1006 are reserved and cannot be sent.
    this.safeClose(ws, code === 1005 || code === 1006 ? 1000 : code, reason);
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    console.error(JSON.stringify({ level: "warn", message: "user hub socket error", error: String(error) }));
    this.safeClose(ws, 1011, "Socket error");
  }

  // ---------------------------------------------------------------- helpers

  private attachmentOf(ws: WebSocket): Attachment | null {
    const parsed = AttachmentSchema.safeParse(ws.deserializeAttachment());
    return parsed.success ? parsed.data : null;
  }

  private broadcast(text: string): number {
    let sent = 0;
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(text);
        sent++;
      } catch {
        // A socket closing under us: its own close handler cleans up.
      }
    }
    return sent;
  }

  /** Closing an already-closed socket throws; nothing a handler does may crash the object. */
  private safeClose(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed or closing.
    }
  }
}
