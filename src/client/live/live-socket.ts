/**
 * A WebSocket that stays live (web contract, "Live"): on a drop it reconnects with backoff from
 * 0.5 s to 5 s, asking for its URL again each time (the room's `?since=<last seq>`), and pings every
 * 30 s so idle connections are not cut. The socket, timers and randomness are passed in, so the
 * behaviour is tested without a network or a clock.
 */

/** What keepLive needs of a WebSocket (the browser's satisfies it). */
export interface SocketLike {
  addEventListener(
    type: "open" | "message" | "close" | "error",
    listener: (event: { data?: unknown }) => void,
  ): void;
  send(text: string): void;
  close(): void;
}

export interface Timers {
  set(fn: () => void, ms: number): number;
  every(fn: () => void, ms: number): number;
  clear(id: number): void;
}

export interface LiveOptions {
  url(): string;
  connect(url: string): SocketLike;
  onText(text: string): void;
  /** Every open; `reopened` after a drop (time to re-read what the frames may have missed). */
  onOpen?(reopened: boolean): void;
  /** The connection dropped; a reconnect is scheduled. */
  onDown?(): void;
  timers: Timers;
  random(): number;
}

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5_000;
const PING_EVERY_MS = 30_000;

/**
 * The wait before reconnect attempt `attempt` (0-based): doubling from 0.5 s up to 5 s, then up to
 * a quarter less at random, so a whole audience dropped by one deploy does not return in step.
 */
export function reconnectDelay(attempt: number, random: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(attempt, 10));
  return Math.round(ceiling * (0.75 + 0.25 * random));
}

export function keepLive(options: LiveOptions): { stop(): void } {
  const { timers } = options;
  let socket: SocketLike | null = null;
  let attempt = 0;
  let opened = false;
  let stopped = false;
  let ping: number | null = null;
  let retry: number | null = null;

  const stopPing = () => {
    if (ping !== null) timers.clear(ping);
    ping = null;
  };

  function connect(): void {
    retry = null;
    const current = options.connect(options.url());
    socket = current;
    let delivered = false;
    current.addEventListener("open", () => {
      if (stopped) return;
      options.onOpen?.(opened);
      opened = true;
      stopPing();
      ping = timers.every(() => current.send("ping"), PING_EVERY_MS);
    });
    current.addEventListener("message", (event) => {
      if (stopped || typeof event.data !== "string") return;
      if (!delivered) {
        // The server has answered: this connection works, so the next drop starts the backoff over.
        delivered = true;
        attempt = 0;
      }
      if (event.data !== "pong") options.onText(event.data);
    });
    current.addEventListener("close", () => {
      if (stopped || socket !== current) return;
      socket = null;
      stopPing();
      options.onDown?.();
      retry = timers.set(connect, reconnectDelay(attempt++, options.random()));
    });
  }

  connect();
  return {
    stop() {
      stopped = true;
      stopPing();
      if (retry !== null) timers.clear(retry);
      socket?.close();
      socket = null;
    },
  };
}
