import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { InboxMessageView } from "../../src/queue/notifications";
import { NotificationFrameSchema } from "../../src/shared/live-frames";
import { probeOf } from "../durable/socket-probe";
import { call, expectProblem, signUp, WEBSOCKET_HANDSHAKE } from "../helpers";

/** Opens `GET /api/v1/me/live` through the worker's public fetch handler. */
function openLive(query = "", headers: Record<string, string> = {}) {
  return exports.default.fetch(
    new Request(`https://auction.test/api/v1/me/live${query}`, {
      headers: { ...WEBSOCKET_HANDSHAKE, ...headers },
    }),
  );
}

async function problemOf(response: Response) {
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
}

function message(id: string): InboxMessageView {
  return {
    id,
    kind: "bid_received",
    auctionId: "auc_live",
    title: "New bid on your item",
    body: '"Camera" received a bid; the price is now 10,000 KRW.',
    data: {
      auctionId: "auc_live",
      auctionTitle: "Camera",
      price: 10_000,
      currency: "KRW",
      endsAt: "2026-09-01T13:00:00.000Z",
    },
    createdAt: "2026-09-01T12:00:02.000Z",
    readAt: null,
  };
}

describe("GET /api/v1/me/live", () => {
  it("refuses an anonymous upgrade with 401 UNAUTHENTICATED", async () => {
    const res = await problemOf(await openLive());
    expectProblem(res, 401, "UNAUTHENTICATED");
  });

  it("refuses a request that is not a WebSocket upgrade with 426 UPGRADE_REQUIRED", async () => {
    const user = await signUp("live426");
    const res = await call("GET", "/api/v1/me/live", { token: user.token });
    expectProblem(res, 426, "UPGRADE_REQUIRED");
  });

  it("opens the caller's channel with a bearer token; notifications for the caller arrive on it", async () => {
    const user = await signUp("livebearer");
    const socket = probeOf(await openLive("", { authorization: `Bearer ${user.token}` }));
    expect(await env.USER_HUB.getByName(user.id).notifyMany([message("msg_live1")], 4)).toBe(1);
    expect(await socket.nextJson()).toEqual({
      type: "notification",
      message: message("msg_live1"),
      unreadCount: 4,
    });
  });

  it("sends notification frames the browser's schema reads (src/shared/live-frames.ts)", async () => {
    const user = await signUp("liveschema");
    const socket = probeOf(await openLive("", { authorization: `Bearer ${user.token}` }));
    await env.USER_HUB.getByName(user.id).notifyMany([message("msg_schema")], 2);
    expect(NotificationFrameSchema.parse(await socket.nextJson())).toMatchObject({
      message: { id: "msg_schema", kind: "bid_received", data: { auctionTitle: "Camera" } },
      unreadCount: 2,
    });
  });

  it("opens the channel with the session cookie", async () => {
    const user = await signUp("livecookie");
    const socket = probeOf(await openLive("", { cookie: `sa_session=${user.token}` }));
    socket.ws.send("ping");
    expect(await socket.next()).toBe("pong");
  });

  it("accepts a ticket once; the second use of the same ticket is 401", async () => {
    const user = await signUp("liveticket");
    const issued = await call("POST", "/api/v1/me/live-ticket", { token: user.token });
    expect(issued.status).toBe(201);
    expect(issued.headers.get("cache-control")).toBe("no-store");
    expect(issued.body).toEqual({
      ticket: expect.stringMatching(new RegExp(`^${user.id}\\.`)),
      expiresAt: expect.any(String),
    });
    const ttl = Date.parse(issued.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);

    const query = `?ticket=${encodeURIComponent(issued.body.ticket)}`;
    const socket = probeOf(await openLive(query));
    await env.USER_HUB.getByName(user.id).notifyMany([message("msg_ticket")], 1);
    expect(await socket.nextJson()).toMatchObject({ type: "notification", message: { id: "msg_ticket" } });

    const again = await problemOf(await openLive(query));
    expectProblem(again, 401, "UNAUTHENTICATED");
  });

  it("does not burn a ticket on a request that is not an upgrade", async () => {
    const user = await signUp("liveburn");
    const { body } = await call("POST", "/api/v1/me/live-ticket", { token: user.token });
    const query = `?ticket=${encodeURIComponent(body.ticket)}`;
    expectProblem(await call("GET", `/api/v1/me/live${query}`), 426, "UPGRADE_REQUIRED");
    probeOf(await openLive(query));
  });

  it.each([
    ["garbage", "not-a-ticket"],
    ["a forged secret for a real user", "usr_x.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
  ])("refuses %s as a ticket with 401", async (_name, ticket) => {
    const res = await problemOf(await openLive(`?ticket=${encodeURIComponent(ticket)}`));
    expectProblem(res, 401, "UNAUTHENTICATED");
  });

  it("refuses another user's ticket presented with a forged user prefix", async () => {
    const alice = await signUp("livealice");
    const mallory = await signUp("livemallory");
    const { body } = await call("POST", "/api/v1/me/live-ticket", { token: alice.token });
    const secret = String(body.ticket).split(".")[1];
    const res = await problemOf(await openLive(`?ticket=${encodeURIComponent(`${mallory.id}.${secret}`)}`));
    expectProblem(res, 401, "UNAUTHENTICATED");
  });
});

describe("POST /api/v1/me/live-ticket", () => {
  it("requires a session", async () => {
    expectProblem(await call("POST", "/api/v1/me/live-ticket"), 401, "UNAUTHENTICATED");
  });
});

describe("OpenAPI", () => {
  it("lists the live endpoints", async () => {
    const doc = await call("GET", "/openapi.json");
    expect(Object.keys(doc.body.paths["/api/v1/me/live"].get.responses)).toEqual([
      "101",
      "400",
      "401",
      "403",
      "426",
      "503",
    ]);
    expect(doc.body.paths["/api/v1/me/live-ticket"].post.responses["201"]).toBeDefined();
  });
});
