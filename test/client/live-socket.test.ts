import { describe, expect, it } from "vitest";
import { keepLive, reconnectDelay, type SocketLike } from "../../src/client/live/live-socket";

describe("reconnectDelay", () => {
  it("backs off from 0.5 s, doubling, to at most 5 s", () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => reconnectDelay(n, 1))).toEqual([
      500, 1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
  });

  it("spreads reconnects by up to a quarter below that, so a crowd does not come back at once", () => {
    expect(reconnectDelay(0, 0)).toBe(375);
    expect(reconnectDelay(10, 0)).toBe(3_750);
  });
});

type Listener = (event: { data?: unknown }) => void;

class FakeSocket implements SocketLike {
  readonly sent: string[] = [];
  closed = false;
  private readonly listeners = new Map<string, Listener[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  send(text: string) {
    this.sent.push(text);
  }
  close() {
    this.closed = true;
  }
  emit(type: "open" | "message" | "close" | "error", data?: unknown) {
    for (const listener of this.listeners.get(type) ?? []) listener({ data });
  }
}

/** Timers run by hand: the test says when time passes. */
class FakeTimers {
  private next = 1;
  readonly pending = new Map<number, { fn: () => void; ms: number; every: boolean }>();
  set = (fn: () => void, ms: number) => this.add(fn, ms, false);
  every = (fn: () => void, ms: number) => this.add(fn, ms, true);
  clear = (id: number) => {
    this.pending.delete(id);
  };
  private add(fn: () => void, ms: number, every: boolean) {
    const id = this.next++;
    this.pending.set(id, { fn, ms, every });
    return id;
  }
  /** Fires every timer once (one-shot ones are then gone); returns their delays. */
  fire(): number[] {
    const due = [...this.pending.entries()];
    for (const [id, timer] of due) {
      if (!timer.every) this.pending.delete(id);
      timer.fn();
    }
    return due.map(([, t]) => t.ms);
  }
}

function harness(url: () => string = () => "wss://site.test/live") {
  const sockets: FakeSocket[] = [];
  const timers = new FakeTimers();
  const texts: string[] = [];
  const opens: boolean[] = [];
  let downs = 0;
  const live = keepLive({
    url,
    connect: (u) => {
      const socket = new FakeSocket(u);
      sockets.push(socket);
      return socket;
    },
    onText: (text) => texts.push(text),
    onOpen: (reopened) => opens.push(reopened),
    onDown: () => downs++,
    timers,
    random: () => 1,
  });
  return { sockets, timers, texts, opens, downs: () => downs, live };
}

describe("keepLive", () => {
  it("hands over each text frame, and not the pongs to its own pings", () => {
    const h = harness();
    const socket = h.sockets[0];
    socket?.emit("open");
    socket?.emit("message", '{"type":"bid"}');
    socket?.emit("message", "pong");
    expect(h.texts).toEqual(['{"type":"bid"}']);
    expect(h.opens).toEqual([false]);
  });

  it("pings every 30 s while open, to keep the connection from idling out", () => {
    const h = harness();
    h.sockets[0]?.emit("open");
    expect(h.timers.fire()).toEqual([30_000]);
    expect(h.sockets[0]?.sent).toEqual(["ping"]);
  });

  it("reconnects after a drop with backoff, asking for the URL again (for ?since=)", () => {
    let since = 0;
    const h = harness(() => `wss://site.test/live?since=${since}`);
    h.sockets[0]?.emit("open");
    since = 7;
    h.sockets[0]?.emit("close");
    expect(h.downs()).toBe(1);
    expect(h.timers.fire()).toEqual([500]);
    expect(h.sockets[1]?.url).toBe("wss://site.test/live?since=7");
    // It fails again before any frame: wait longer.
    h.sockets[1]?.emit("close");
    expect(h.timers.fire()).toEqual([1_000]);
    h.sockets[2]?.emit("open");
    expect(h.opens).toEqual([false, true]);
  });

  it("starts the backoff over once a connection has delivered a frame", () => {
    const h = harness();
    h.sockets[0]?.emit("close");
    h.timers.fire();
    h.sockets[1]?.emit("close");
    expect(h.timers.fire()).toEqual([1_000]);
    h.sockets[2]?.emit("open");
    h.sockets[2]?.emit("message", "{}");
    h.sockets[2]?.emit("close");
    expect(h.timers.fire()).toEqual([500]);
  });

  it("stops for good when asked: no reconnect, no ping", () => {
    const h = harness();
    h.sockets[0]?.emit("open");
    h.live.stop();
    expect(h.sockets[0]?.closed).toBe(true);
    h.sockets[0]?.emit("close");
    expect(h.timers.pending.size).toBe(0);
    expect(h.sockets).toHaveLength(1);
  });
});
