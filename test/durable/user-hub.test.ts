import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  HUB_TICKET_HEADER,
  HUB_USER_HEADER,
  LIVE_TICKET_TTL_MS,
  MAX_SOCKETS_PER_USER,
  ticketUserId,
  type UserHub,
} from "../../src/durable/user-hub";
import type { InboxMessageView } from "../../src/queue/notifications";
import { probeOf } from "./socket-probe";

let hubCounter = 0;
function freshUser(): string {
  hubCounter += 1;
  return `usr_hub${hubCounter}${Math.random().toString(36).slice(2, 8)}`;
}

function hub(userId: string) {
  return env.USER_HUB.getByName(userId);
}

/** Opens a socket the way the worker does after authenticating a session. */
async function connect(userId: string, headers: Record<string, string> = { [HUB_USER_HEADER]: userId }) {
  const response = await hub(userId).fetch("https://user-hub/connect", {
    headers: { upgrade: "websocket", ...headers },
  });
  return probeOf(response);
}

function message(id: string): InboxMessageView {
  return {
    id,
    kind: "outbid",
    auctionId: "auc_1",
    title: "You've been outbid",
    body: 'Someone outbid you on "Camera"; the price is now 12,000 KRW.',
    data: {
      auctionId: "auc_1",
      auctionTitle: "Camera",
      price: 12_000,
      currency: "KRW",
      endsAt: "2026-09-01T13:00:00.000Z",
    },
    createdAt: "2026-09-01T12:00:03.000Z",
    readAt: null,
  };
}

describe("UserHub notify", () => {
  it("sends the notification frame to every socket of the user and says how many", async () => {
    const userId = freshUser();
    const phone = await connect(userId);
    const laptop = await connect(userId);
    const delivered = await hub(userId).notify(message("msg_1"), 3);
    expect(delivered).toBe(2);
    const expected = { type: "notification", message: message("msg_1"), unreadCount: 3 };
    expect(await phone.nextJson()).toEqual(expected);
    expect(await laptop.nextJson()).toEqual(expected);
  });

  it("reaches nobody else's sockets", async () => {
    const alice = freshUser();
    const bob = freshUser();
    const bobSocket = await connect(bob);
    expect(await hub(alice).notify(message("msg_a"), 1)).toBe(0);
    // Bob's socket still answers in order: the auto-responder's pong is the first thing it sees.
    bobSocket.ws.send("ping");
    expect(await bobSocket.next()).toBe("pong");
  });

  it("still reaches a socket after the hub hibernated, and the socket keeps its attachment", async () => {
    const userId = freshUser();
    const socket = await connect(userId);
    const stub = hub(userId);
    await evictDurableObject(stub, { webSockets: "hibernate" });
    expect(await stub.notify(message("msg_h"), 1)).toBe(1);
    expect(await socket.nextJson()).toEqual({
      type: "notification",
      message: message("msg_h"),
      unreadCount: 1,
    });
    const attachments = await runInDurableObject(stub, (_instance: UserHub, state) =>
      state.getWebSockets().map((ws) => ws.deserializeAttachment()),
    );
    expect(attachments).toEqual([{ v: 1, userId, connectedAt: expect.any(Number) }]);
  });

  it("answers ping with pong through the auto-responder, also while hibernated", async () => {
    const userId = freshUser();
    const socket = await connect(userId);
    await evictDurableObject(hub(userId), { webSockets: "hibernate" });
    socket.ws.send("ping");
    expect(await socket.next()).toBe("pong");
    // The runtime, not the object, answered: it stamps the socket when it auto-responds.
    const stamps = await runInDurableObject(hub(userId), (_instance: UserHub, state) =>
      state.getWebSockets().map((ws) => state.getWebSocketAutoResponseTimestamp(ws) instanceof Date),
    );
    expect(stamps).toEqual([true]);
  });
});

describe("UserHub client frames", () => {
  it("closes a socket that sends more than 1 KiB with 1008, and keeps serving the others", async () => {
    const userId = freshUser();
    const bad = await connect(userId);
    const good = await connect(userId);
    bad.ws.send(JSON.stringify({ type: "x", pad: "a".repeat(1100) }));
    expect(await bad.closed).toEqual({ code: 1008, reason: "Frames are limited to 1024 bytes" });
    expect(await hub(userId).notify(message("msg_after"), 2)).toBe(1);
    expect(await good.nextJson()).toMatchObject({ type: "notification", unreadCount: 2 });
  });

  it("closes a socket that sends text that is not JSON with 1008", async () => {
    const userId = freshUser();
    const socket = await connect(userId);
    socket.ws.send("hello?");
    expect(await socket.closed).toEqual({ code: 1008, reason: "Frames must be JSON text" });
    expect(await hub(userId).connectionCount()).toBe(0);
  });

  it("closes a socket that sends binary with 1008", async () => {
    const userId = freshUser();
    const socket = await connect(userId);
    socket.ws.send(new Uint8Array([1, 2, 3]));
    expect(await socket.closed).toEqual({ code: 1008, reason: "Frames must be JSON text" });
  });

  it('answers {"type":"ping"} with a pong frame and other JSON with an error frame, keeping the socket', async () => {
    const userId = freshUser();
    const socket = await connect(userId);
    socket.ws.send(JSON.stringify({ type: "ping" }));
    expect(await socket.nextJson()).toEqual({ type: "pong", serverTime: expect.any(String) });
    socket.ws.send(JSON.stringify({ type: "subscribe" }));
    expect(await socket.nextJson()).toEqual({
      type: "error",
      code: "UNSUPPORTED_FRAME",
      detail: expect.any(String),
    });
    expect(await hub(userId).connectionCount()).toBe(1);
  });

  it("reciprocates a client's close", async () => {
    const userId = freshUser();
    const socket = await connect(userId);
    socket.ws.close(1000, "bye");
    expect(await socket.closed).toEqual({ code: 1000, reason: "bye" });
    expect(await hub(userId).connectionCount()).toBe(0);
  });

  it(`keeps at most ${MAX_SOCKETS_PER_USER} sockets per user, closing the oldest`, async () => {
    const userId = freshUser();
    const first = await connect(userId);
    for (let i = 1; i < MAX_SOCKETS_PER_USER; i++) await connect(userId);
    expect(await hub(userId).connectionCount()).toBe(MAX_SOCKETS_PER_USER);
    await connect(userId);
    expect(await first.closed).toEqual({ code: 1008, reason: "Too many live connections for this user" });
    expect(await hub(userId).connectionCount()).toBe(MAX_SOCKETS_PER_USER);
  });
});

describe("UserHub upgrade and tickets", () => {
  it("refuses a request that is not a WebSocket upgrade with 426", async () => {
    const userId = freshUser();
    const response = await hub(userId).fetch("https://user-hub/connect", {
      headers: { [HUB_USER_HEADER]: userId },
    });
    expect(response.status).toBe(426);
  });

  it("refuses an upgrade vouched for another user", async () => {
    const userId = freshUser();
    const response = await hub(userId).fetch("https://user-hub/connect", {
      headers: { upgrade: "websocket", [HUB_USER_HEADER]: "usr_someone_else" },
    });
    expect(response.status).toBe(401);
  });

  it("issues a ticket of the form <userId>.<43 chars> that expires in 60 s and stores only its hash", async () => {
    const userId = freshUser();
    const before = Date.now();
    const { ticket, expiresAt } = await hub(userId).issueTicket();
    expect(ticket).toMatch(new RegExp(`^${userId}\\.[A-Za-z0-9_-]{43}$`));
    expect(ticketUserId(ticket)).toBe(userId);
    expect(expiresAt - before).toBeGreaterThanOrEqual(LIVE_TICKET_TTL_MS);
    expect(LIVE_TICKET_TTL_MS).toBe(60_000);
    const stored = await runInDurableObject(hub(userId), (_instance: UserHub, state) =>
      state.storage.sql.exec<{ hash: string }>("SELECT hash FROM live_tickets").toArray(),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]?.hash).not.toContain(ticket.split(".")[1]);
  });

  it("redeems a ticket exactly once", async () => {
    const userId = freshUser();
    const { ticket } = await hub(userId).issueTicket();
    const socket = await connect(userId, { [HUB_TICKET_HEADER]: ticket });
    expect(await hub(userId).notify(message("msg_t"), 1)).toBe(1);
    expect(await socket.nextJson()).toMatchObject({ type: "notification" });
    const again = await hub(userId).fetch("https://user-hub/connect", {
      headers: { upgrade: "websocket", [HUB_TICKET_HEADER]: ticket },
    });
    expect(again.status).toBe(401);
  });

  it("refuses an expired ticket", async () => {
    const userId = freshUser();
    const { ticket } = await hub(userId).issueTicket();
    await runInDurableObject(hub(userId), (_instance: UserHub, state) => {
      state.storage.sql.exec("UPDATE live_tickets SET expires_at = ?", Date.now() - 1);
    });
    const response = await hub(userId).fetch("https://user-hub/connect", {
      headers: { upgrade: "websocket", [HUB_TICKET_HEADER]: ticket },
    });
    expect(response.status).toBe(401);
  });

  it("refuses another user's ticket presented to this hub", async () => {
    const alice = freshUser();
    const mallory = freshUser();
    const { ticket } = await hub(alice).issueTicket();
    const response = await hub(mallory).fetch("https://user-hub/connect", {
      headers: { upgrade: "websocket", [HUB_TICKET_HEADER]: ticket },
    });
    expect(response.status).toBe(401);
  });

  it("forgets the oldest unused tickets beyond 20", async () => {
    const userId = freshUser();
    const first = await hub(userId).issueTicket();
    for (let i = 0; i < 20; i++) await hub(userId).issueTicket();
    const count = await runInDurableObject(hub(userId), (_instance: UserHub, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM live_tickets").one(),
    );
    expect(count.n).toBe(20);
    const response = await hub(userId).fetch("https://user-hub/connect", {
      headers: { upgrade: "websocket", [HUB_TICKET_HEADER]: first.ticket },
    });
    expect(response.status).toBe(401);
  });
});
