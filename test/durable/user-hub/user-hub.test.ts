import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import {
  HUB_SESSION_HEADER,
  HUB_TICKET_HEADER,
  HUB_USER_HEADER,
  LIVE_TICKET_TTL_MS,
  MAX_SOCKETS_PER_USER,
  sessionTagOf,
  ticketUserId,
  type UserHub,
} from "../../../src/durable/user-hub";
import type { InboxMessageView } from "../../../src/queue/notifications";
import { probeOf } from "../socket-probe";

let hubCounter = 0;
function freshUser(): string {
  hubCounter += 1;
  return `usr_hub${hubCounter}${Math.random().toString(36).slice(2, 8)}`;
}

/** Session tags as the worker derives them: the first 16 hex chars of a session token's hash. */
const SESSION_A = "aaaaaaaaaaaaaaaa";
const SESSION_B = "bbbbbbbbbbbbbbbb";
const SESSION_C = "cccccccccccccccc";

function hub(userId: string) {
  return env.USER_HUB.getByName(userId);
}

/** A ticket issued under `sessionTag`; fails the test if the hub refuses to issue it. */
async function issue(userId: string, sessionTag: string) {
  const issued = await hub(userId).issueTicket(sessionTag);
  if (!issued.ok) throw new Error(`issueTicket refused: ${issued.code}`);
  return { ticket: issued.ticket, expiresAt: issued.expiresAt };
}

/** Opens a socket the way the worker does after authenticating a session. */
async function connect(
  userId: string,
  headers: Record<string, string> = { [HUB_USER_HEADER]: userId, [HUB_SESSION_HEADER]: SESSION_A },
) {
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
    const delivered = await hub(userId).notifyMany([message("msg_1")], 3);
    expect(delivered).toBe(2);
    const expected = { type: "notification", message: message("msg_1"), unreadCount: 3 };
    expect(await phone.nextJson()).toEqual(expected);
    expect(await laptop.nextJson()).toEqual(expected);
  });

  it("sends several messages in order, each with the unread count as of that message", async () => {
    const userId = freshUser();
    const socket = await connect(userId);
    expect(await hub(userId).notifyMany([message("msg_x"), message("msg_y")], 7)).toBe(2);
    expect(await socket.nextJson()).toEqual({
      type: "notification",
      message: message("msg_x"),
      unreadCount: 6,
    });
    expect(await socket.nextJson()).toEqual({
      type: "notification",
      message: message("msg_y"),
      unreadCount: 7,
    });
  });

  it("reaches nobody else's sockets", async () => {
    const alice = freshUser();
    const bob = freshUser();
    const bobSocket = await connect(bob);
    expect(await hub(alice).notifyMany([message("msg_a")], 1)).toBe(0);
    // Bob's socket still answers in order: the auto-responder's pong is the first thing it sees.
    bobSocket.ws.send("ping");
    expect(await bobSocket.next()).toBe("pong");
  });

  it("still reaches a socket after the hub hibernated, and the socket keeps its attachment", async () => {
    const userId = freshUser();
    const socket = await connect(userId);
    const stub = hub(userId);
    await evictDurableObject(stub, { webSockets: "hibernate" });
    expect(await stub.notifyMany([message("msg_h")], 1)).toBe(1);
    expect(await socket.nextJson()).toEqual({
      type: "notification",
      message: message("msg_h"),
      unreadCount: 1,
    });
    const attachments = await runInDurableObject(stub, (_instance: UserHub, state) =>
      state.getWebSockets().map((ws) => ws.deserializeAttachment()),
    );
    expect(attachments).toEqual([
      {
        v: 3,
        userId,
        sessionTag: SESSION_A,
        connectedAt: expect.any(Number),
        windowStartedAt: expect.any(Number),
        framesInWindow: 0,
      },
    ]);
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
  it("closes a socket that sends more than 1 KiB with 1009 (as the room does), and keeps serving the others", async () => {
    const userId = freshUser();
    const bad = await connect(userId);
    const good = await connect(userId);
    bad.ws.send(JSON.stringify({ type: "x", pad: "a".repeat(1100) }));
    expect(await bad.closed).toEqual({ code: 1009, reason: "frame too large" });
    expect(await hub(userId).notifyMany([message("msg_after")], 2)).toBe(1);
    expect(await good.nextJson()).toMatchObject({ type: "notification", unreadCount: 2 });
  });

  it("closes a socket that floods the hub with pings with 1008 'too many frames', as the room does", async () => {
    const userId = freshUser();
    const socket = await connect(userId);
    for (let i = 0; i < 25; i++) socket.ws.send(JSON.stringify({ type: "ping" }));
    expect(await socket.closed).toEqual({ code: 1008, reason: "too many frames" });
    const pongs = socket.pending().filter((frame) => JSON.parse(frame).type === "pong");
    expect(pongs).toHaveLength(20);
  });

  it("counts a flood across hibernation", async () => {
    const userId = freshUser();
    const socket = await connect(userId);
    for (let i = 0; i < 15; i++) socket.ws.send(JSON.stringify({ type: "ping" }));
    for (let i = 0; i < 15; i++) await socket.next();
    await evictDurableObject(hub(userId), { webSockets: "hibernate" });
    for (let i = 0; i < 10; i++) socket.ws.send(JSON.stringify({ type: "ping" }));
    expect(await socket.closed).toEqual({ code: 1008, reason: "too many frames" });
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
    const { ticket, expiresAt } = await issue(userId, SESSION_A);
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
    const { ticket } = await issue(userId, SESSION_A);
    const socket = await connect(userId, { [HUB_TICKET_HEADER]: ticket });
    expect(await hub(userId).notifyMany([message("msg_t")], 1)).toBe(1);
    expect(await socket.nextJson()).toMatchObject({ type: "notification" });
    const again = await hub(userId).fetch("https://user-hub/connect", {
      headers: { upgrade: "websocket", [HUB_TICKET_HEADER]: ticket },
    });
    expect(again.status).toBe(401);
  });

  it("refuses an expired ticket", async () => {
    const userId = freshUser();
    const { ticket } = await issue(userId, SESSION_A);
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
    const { ticket } = await issue(alice, SESSION_A);
    const response = await hub(mallory).fetch("https://user-hub/connect", {
      headers: { upgrade: "websocket", [HUB_TICKET_HEADER]: ticket },
    });
    expect(response.status).toBe(401);
  });

  it("forgets the oldest unused tickets beyond 20", async () => {
    const userId = freshUser();
    const first = await issue(userId, SESSION_A);
    for (let i = 0; i < 20; i++) await issue(userId, SESSION_A);
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

/** A socket opened for a signed-in session, as the worker forwards it. */
function connectAs(userId: string, sessionTag: string) {
  return connect(userId, { [HUB_USER_HEADER]: userId, [HUB_SESSION_HEADER]: sessionTag });
}

function redeem(userId: string, ticket: string) {
  return hub(userId).fetch("https://user-hub/connect", {
    headers: { upgrade: "websocket", [HUB_TICKET_HEADER]: ticket },
  });
}

describe("UserHub session revocation", () => {
  it("derives a session tag from the first 16 hex chars of the token hash", () => {
    expect(sessionTagOf(`0123456789abcdef${"e".repeat(48)}`)).toBe("0123456789abcdef");
  });

  it("closeSession closes that session's sockets with 1008 'session ended' and keeps the others", async () => {
    const userId = freshUser();
    const phone = await connectAs(userId, SESSION_A);
    const tablet = await connectAs(userId, SESSION_A);
    const laptop = await connectAs(userId, SESSION_B);
    expect(await hub(userId).closeSession(SESSION_A)).toBe(2);
    expect(await phone.closed).toEqual({ code: 1008, reason: "session ended" });
    expect(await tablet.closed).toEqual({ code: 1008, reason: "session ended" });
    expect(await hub(userId).notifyMany([message("msg_kept")], 1)).toBe(1);
    expect(await laptop.nextJson()).toMatchObject({ type: "notification", message: { id: "msg_kept" } });
  });

  it("closeSession finds the session's sockets after the hub hibernated", async () => {
    const userId = freshUser();
    const socket = await connectAs(userId, SESSION_A);
    await evictDurableObject(hub(userId), { webSockets: "hibernate" });
    expect(await hub(userId).closeSession(SESSION_A)).toBe(1);
    expect(await socket.closed).toEqual({ code: 1008, reason: "session ended" });
  });

  it("tags each socket with its session, never anything longer", async () => {
    const userId = freshUser();
    await connectAs(userId, SESSION_B);
    const tags = await runInDurableObject(hub(userId), (_instance: UserHub, state) =>
      state.getWebSockets().map((ws) => state.getTags(ws)),
    );
    expect(tags).toEqual([[`session:${SESSION_B}`]]);
  });

  it("closeOtherSessions closes every other session's sockets with 1008 'session revoked' and keeps the given one", async () => {
    const userId = freshUser();
    const current = await connectAs(userId, SESSION_A);
    const other = await connectAs(userId, SESSION_B);
    const third = await connectAs(userId, SESSION_C);
    expect(await hub(userId).closeOtherSessions(SESSION_A)).toBe(2);
    expect(await other.closed).toEqual({ code: 1008, reason: "session revoked" });
    expect(await third.closed).toEqual({ code: 1008, reason: "session revoked" });
    expect(await hub(userId).notifyMany([message("msg_current")], 5)).toBe(1);
    expect(await current.nextJson()).toMatchObject({ type: "notification", unreadCount: 5 });
  });

  it("closeOtherSessions also closes sockets whose session is unknown (opened before sockets were tagged)", async () => {
    const userId = freshUser();
    const untagged = await connect(userId, { [HUB_USER_HEADER]: userId });
    const legacy = await connectAs(userId, SESSION_B);
    const current = await connectAs(userId, SESSION_A);
    // A socket accepted by the previous version: v1 attachment, no tag.
    await runInDurableObject(hub(userId), (_instance: UserHub, state) => {
      const ws = state.getWebSockets(`session:${SESSION_B}`)[0];
      ws?.serializeAttachment({ v: 1, userId, connectedAt: 1 });
    });
    expect(await hub(userId).closeSession(SESSION_C)).toBe(0);
    expect(await hub(userId).closeOtherSessions(SESSION_A)).toBe(2);
    expect(await untagged.closed).toEqual({ code: 1008, reason: "session revoked" });
    expect(await legacy.closed).toEqual({ code: 1008, reason: "session revoked" });
    current.ws.send("ping");
    expect(await current.next()).toBe("pong");
  });

  it("refuses an upgrade with a malformed session tag with 400", async () => {
    const userId = freshUser();
    const response = await hub(userId).fetch("https://user-hub/connect", {
      headers: { upgrade: "websocket", [HUB_USER_HEADER]: userId, [HUB_SESSION_HEADER]: "not-a-tag" },
    });
    expect(response.status).toBe(400);
    expect(await hub(userId).issueTicket("not-a-tag")).toEqual({ ok: false, code: "INVALID_SESSION_TAG" });
  });

  it("fails safe on a malformed tag: closeSession closes nothing, closeOtherSessions keeps nothing", async () => {
    const userId = freshUser();
    const socket = await connectAs(userId, SESSION_A);
    expect(await hub(userId).closeSession("not-a-tag")).toBe(0);
    expect(await hub(userId).closeOtherSessions("")).toBe(1);
    expect(await socket.closed).toEqual({ code: 1008, reason: "session revoked" });
  });

  it("gives a ticket-opened socket the session that issued the ticket", async () => {
    const userId = freshUser();
    const { ticket } = await issue(userId, SESSION_A);
    const socket = probeOf(await redeem(userId, ticket));
    expect(await hub(userId).closeSession(SESSION_B)).toBe(0);
    expect(await hub(userId).closeSession(SESSION_A)).toBe(1);
    expect(await socket.closed).toEqual({ code: 1008, reason: "session ended" });
  });

  it("closeSession revokes that session's unused tickets, not other sessions'", async () => {
    const userId = freshUser();
    const ended = await issue(userId, SESSION_A);
    const kept = await issue(userId, SESSION_B);
    await hub(userId).closeSession(SESSION_A);
    expect((await redeem(userId, ended.ticket)).status).toBe(401);
    probeOf(await redeem(userId, kept.ticket));
  });

  it("closeOtherSessions revokes the other sessions' unused tickets and keeps the current one's", async () => {
    const userId = freshUser();
    const current = await issue(userId, SESSION_A);
    const other = await issue(userId, SESSION_B);
    await hub(userId).closeOtherSessions(SESSION_A);
    expect((await redeem(userId, other.ticket)).status).toBe(401);
    probeOf(await redeem(userId, current.ticket));
  });

  it("gives a user who never asked for a ticket no storage when a session ends", async () => {
    const userId = freshUser();
    await connectAs(userId, SESSION_A);
    expect(await hub(userId).closeSession(SESSION_A)).toBe(1);
    expect(await hub(userId).closeOtherSessions(SESSION_B)).toBe(0);
    const tables = await runInDurableObject(hub(userId), (_instance: UserHub, state) =>
      state.storage.sql
        .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE name IN ('meta', 'live_tickets')")
        .toArray(),
    );
    expect(tables).toEqual([]);
  });

  it("upgrades a v1 ticket table in place; a ticket stored before has no session and counts as another's", async () => {
    const userId = freshUser();
    await runInDurableObject(hub(userId), (_instance: UserHub, state) => {
      const sql = state.storage.sql;
      sql.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      sql.exec("INSERT INTO meta (key, value) VALUES ('schema_version', '1')");
      sql.exec("CREATE TABLE live_tickets (hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)");
      sql.exec("INSERT INTO live_tickets (hash, expires_at) VALUES ('old', ?)", Date.now() + 60_000);
    });
    const { ticket } = await issue(userId, SESSION_A);
    await hub(userId).closeOtherSessions(SESSION_A);
    const rows = await runInDurableObject(hub(userId), (_instance: UserHub, state) =>
      state.storage.sql
        .exec<{ hash: string; session_tag: string | null }>("SELECT hash, session_tag FROM live_tickets")
        .toArray(),
    );
    expect(rows).toEqual([{ hash: expect.stringMatching(/^[0-9a-f]{64}$/), session_tag: SESSION_A }]);
    probeOf(await redeem(userId, ticket));
  });
});

describe("UserHub presence (the broker's live_offline list)", () => {
  async function offlineSince(userId: string): Promise<number | null> {
    const row = await env.DB.prepare("SELECT since FROM live_offline WHERE user_id = ?")
      .bind(userId)
      .first<{ since: number }>();
    return row?.since ?? null;
  }
  const listedOffline = async (userId: string) => (await offlineSince(userId)) !== null;

  it("lists the user once a push finds no socket, before the push answers", async () => {
    const userId = freshUser();
    expect(await listedOffline(userId)).toBe(false);
    expect(await hub(userId).notifyMany([message("msg_1")], 1)).toBe(0);
    expect(await listedOffline(userId)).toBe(true);
  });

  it("takes the user off the list before a new socket's upgrade is answered", async () => {
    const userId = freshUser();
    await hub(userId).notifyMany([message("msg_1")], 1);
    const socket = await connect(userId);
    expect(await listedOffline(userId)).toBe(false);
    expect(await hub(userId).notifyMany([message("msg_2")], 2)).toBe(1);
    expect(await socket.nextJson()).toMatchObject({ type: "notification", message: { id: "msg_2" } });
  });

  it("lists the user again when the last socket closes, not while another is open", async () => {
    const userId = freshUser();
    const setClock = (at: number) =>
      runInDurableObject(hub(userId), (instance: UserHub) => {
        instance.clock = () => at;
      });
    const first = await connect(userId);
    const second = await connect(userId);
    await setClock(1_000);
    first.ws.close(1000, "bye");
    await first.closed;
    await vi.waitFor(async () => expect(await hub(userId).connectionCount()).toBe(1));
    expect(await listedOffline(userId)).toBe(false);
    await setClock(2_000);
    second.ws.close(1000, "bye");
    await second.closed;
    // Listed as of the second close: a listing written at the first would have stayed at 1,000.
    await vi.waitFor(async () => expect(await offlineSince(userId)).toBe(2_000));
  });
});
