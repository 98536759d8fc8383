import { z } from "zod";
import { admitClientFrame, type FrameWindow } from "./client-frames";

/**
 * A Durable Object's hibernating WebSockets in one place: accepted with tags (so a group is found
 * without reading every attachment), a versioned attachment per socket validated with zod (older
 * versions upgraded by the object's schema), the client-frame limits of kit/client-frames.ts kept
 * in the attachment across hibernation, closes reciprocated, and sends and closes that never throw
 * (a socket may close under any handler, and nothing a handler does may crash the object).
 */

/** Fields every attachment carries; an object's schema spreads these into each version. */
export const socketBaseShape = {
  connectedAt: z.number(),
  windowStartedAt: z.number(),
  framesInWindow: z.number(),
};

export interface SocketBase extends FrameWindow {
  /** The attachment's version, so a deploy can change its shape and still read older sockets. */
  v: number;
  connectedAt: number;
}

/** The close code that answers a client's close; 1005/1006 are reserved and cannot be sent. */
export function reciprocalCloseCode(code: number): number {
  return code === 1005 || code === 1006 ? 1000 : code;
}

/** A text frame parsed as JSON; undefined for binary frames and text that is not JSON. */
export function parseJsonFrame(message: string | ArrayBuffer): unknown {
  if (typeof message !== "string") return undefined;
  try {
    return JSON.parse(message);
  } catch {
    return undefined;
  }
}

export interface SocketsOptions<A extends SocketBase> {
  /** Reads a stored attachment, upgrading older versions to the current one. */
  attachment: z.ZodType<A>;
  /** Names the object in log lines. */
  name: string;
}

export class Sockets<A extends SocketBase> {
  constructor(
    private readonly ctx: DurableObjectState,
    private readonly options: SocketsOptions<A>,
  ) {}

  /** The text "ping" is answered "pong" by the runtime, without waking the object. */
  autoRespondToPing(): void {
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  accept(ws: WebSocket, attachment: A, tags: string[] = []): void {
    this.ctx.acceptWebSocket(ws, tags);
    ws.serializeAttachment(attachment);
  }

  /** The socket's attachment in its current version, or null when it cannot be read. */
  attachmentOf(ws: WebSocket): A | null {
    const parsed = this.options.attachment.safeParse(ws.deserializeAttachment());
    return parsed.success ? parsed.data : null;
  }

  /** Every socket, or those accepted with `tag`. */
  all(tag?: string): WebSocket[] {
    return this.ctx.getWebSockets(tag);
  }

  /**
   * Counts a client frame against the socket's limits. A refused frame closes the socket (1009 too
   * large, 1008 too many) and answers null; otherwise the socket's attachment, its window updated
   * and stored. An unreadable attachment counts as `fallback` (null: a fresh window, not stored).
   */
  admit(
    ws: WebSocket,
    message: string | ArrayBuffer,
    now: number,
    fallback: A | null,
  ): { attachment: A | null } | null {
    const attachment = this.attachmentOf(ws) ?? fallback;
    const verdict = admitClientFrame(message, attachment ?? { windowStartedAt: now, framesInWindow: 0 }, now);
    if (!verdict.ok) {
      this.close(ws, verdict.code, verdict.reason);
      return null;
    }
    if (attachment === null) return { attachment };
    const updated: A = { ...attachment, ...verdict.window };
    ws.serializeAttachment(updated);
    return { attachment: updated };
  }

  /** Whether the frame was handed to the socket (false when it is closing). */
  send(ws: WebSocket, text: string): boolean {
    try {
      ws.send(text);
      return true;
    } catch {
      // The socket is closing; its close handler cleans up.
      return false;
    }
  }

  /** Sends one text to every socket given (default: all); how many took it. */
  sendToAll(text: string, sockets: readonly WebSocket[] = this.all()): number {
    let sent = 0;
    for (const ws of sockets) if (this.send(ws, text)) sent++;
    return sent;
  }

  /** Closing an already-closed socket throws; this never does. */
  close(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed or closing.
    }
  }

  /** For webSocketClose: reciprocate, so the client sees a clean close. */
  closed(ws: WebSocket, code: number, reason: string): void {
    this.close(ws, reciprocalCloseCode(code), reason);
  }

  /** For webSocketError: log it and close the socket (1011). */
  failed(ws: WebSocket, error: unknown): void {
    console.warn(
      JSON.stringify({ level: "warn", message: `${this.options.name} socket error`, error: String(error) }),
    );
    this.close(ws, 1011, "socket error");
  }
}
