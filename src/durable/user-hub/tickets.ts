import { randomBytes, sha256Hex, toBase64Url } from "../../shared/crypto";
import { type SchemaStep, SqliteSchema } from "../kit/schema";
import { SessionTagSchema, ticketUserId } from "./sessions";

/**
 * Single-use tickets for `GET /api/v1/me/live?ticket=` (SPEC §6), for clients that cannot send
 * the session on a WebSocket upgrade. Only a ticket's SHA-256 is stored, with the session that
 * asked for it, so a leaked storage snapshot cannot open a socket and a logout revokes it.
 *
 * Only tickets need storage, so the schema is created on first use: a user who only ever
 * receives pushes (most of them) never gets a database, and revoking a session's tickets first
 * asks whether tickets were ever stored.
 */

/** How long a live ticket may wait before it is used (SPEC §6: short-lived). */
export const LIVE_TICKET_TTL_MS = 60_000;
/** Unused tickets a user may hold at once; issuing more forgets the oldest. */
const MAX_OUTSTANDING_TICKETS = 20;

const TICKET_SCHEMA: SchemaStep[] = [
  {
    version: 1,
    statements: [
      "CREATE TABLE IF NOT EXISTS live_tickets (hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)",
      "CREATE INDEX IF NOT EXISTS live_tickets_expiry ON live_tickets (expires_at)",
    ],
  },
  // The session that asked for the ticket; NULL for tickets issued before v2 (gone within 60 s).
  { version: 2, statements: ["ALTER TABLE live_tickets ADD COLUMN session_tag TEXT"] },
];

export interface LiveTicket {
  ticket: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export class LiveTickets {
  private readonly schema: SqliteSchema;
  private readonly sql: SqlStorage;

  constructor(
    storage: DurableObjectStorage,
    private readonly clock: () => number,
  ) {
    this.schema = new SqliteSchema(storage, TICKET_SCHEMA);
    this.sql = storage.sql;
  }

  /** A new ticket for `userId`'s session `sessionTag`; forgets expired and the oldest unused ones. */
  async issue(userId: string, sessionTag: string): Promise<LiveTicket> {
    const ticket = `${userId}.${toBase64Url(randomBytes(32))}`;
    const hash = await sha256Hex(ticket);
    const now = this.clock();
    const expiresAt = now + LIVE_TICKET_TTL_MS;
    this.schema.ensure();
    this.sql.exec("DELETE FROM live_tickets WHERE expires_at <= ?", now);
    this.sql.exec(
      `DELETE FROM live_tickets WHERE hash NOT IN
         (SELECT hash FROM live_tickets ORDER BY expires_at DESC LIMIT ?)`,
      MAX_OUTSTANDING_TICKETS - 1,
    );
    this.sql.exec(
      "INSERT INTO live_tickets (hash, expires_at, session_tag) VALUES (?, ?, ?)",
      hash,
      expiresAt,
      sessionTag,
    );
    return { ticket, expiresAt };
  }

  /**
   * Uses up a ticket: the session it was issued under, or null when it is not (or no longer)
   * valid for `userId`. DELETE … RETURNING makes redemption single-use even for two connects
   * racing; the caller awaits nothing but storage between this and accepting the socket, so a
   * closeSession cannot slip between.
   */
  async redeem(ticket: string, userId: string): Promise<{ sessionTag: string | null } | null> {
    if (ticketUserId(ticket) !== userId) return null;
    const hash = await sha256Hex(ticket);
    this.schema.ensure();
    const row = this.sql
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

  /** Revokes the unused tickets of a session that ended. */
  revokeSession(sessionTag: string): void {
    if (this.stored()) this.sql.exec("DELETE FROM live_tickets WHERE session_tag = ?", sessionTag);
  }

  /** Revokes every unused ticket but those of `keepSessionTag`, and those of no known session. */
  revokeAllBut(keepSessionTag: string): void {
    // IS NOT, unlike !=, also matches the NULL of a ticket from before tickets had a session.
    if (this.stored()) this.sql.exec("DELETE FROM live_tickets WHERE session_tag IS NOT ?", keepSessionTag);
  }

  /** Whether tickets were ever stored; reading sqlite_master writes nothing. */
  private stored(): boolean {
    if (!this.schema.exists()) return false;
    this.schema.ensure();
    return true;
  }
}
