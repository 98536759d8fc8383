import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { UserHub } from "../../src/durable/user-hub";
import type { InboxMessageView } from "../../src/queue/notifications";
import { probeOf } from "../durable/socket-probe";
import { call, expectProblem, PASSWORD, signUp, type TestUser, WEBSOCKET_HANDSHAKE } from "../helpers";

/** SPEC §3 + §6: a live socket lives no longer than the session that opened it. */

function openLive(query = "", headers: Record<string, string> = {}) {
  return exports.default.fetch(
    new Request(`https://auction.test/api/v1/me/live${query}`, {
      headers: { ...WEBSOCKET_HANDSHAKE, ...headers },
    }),
  );
}

async function openWithToken(token: string) {
  return probeOf(await openLive("", { authorization: `Bearer ${token}` }));
}

async function ticketFor(token: string): Promise<string> {
  const issued = await call("POST", "/api/v1/me/live-ticket", { token });
  expect(issued.status).toBe(201);
  return `?ticket=${encodeURIComponent(issued.body.ticket)}`;
}

/** A second, independent session of the same user (another device). */
async function secondSession(user: TestUser): Promise<string> {
  const session = await call("POST", "/api/v1/sessions", {
    body: { username: user.username, password: PASSWORD },
  });
  expect(session.status).toBe(201);
  return session.body.token;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function message(id: string): InboxMessageView {
  return {
    id,
    kind: "outbid",
    auctionId: "auc_rev",
    title: "You've been outbid",
    body: 'Someone outbid you on "Camera"; the price is now 12,000 KRW.',
    data: {
      auctionId: "auc_rev",
      auctionTitle: "Camera",
      price: 12_000,
      currency: "KRW",
      endsAt: "2026-09-01T13:00:00.000Z",
    },
    createdAt: "2026-09-01T12:00:03.000Z",
    readAt: null,
  };
}

const notify = (user: TestUser, id: string) => env.USER_HUB.getByName(user.id).notifyMany([message(id)], 1);

describe("logout ends the session's live sockets", () => {
  it("closes the sockets opened with that token (bearer and cookie) with 1008 'session ended'", async () => {
    const user = await signUp("revlogout");
    const bearer = await openWithToken(user.token);
    const cookie = probeOf(await openLive("", { cookie: `sa_session=${user.token}` }));
    expect((await call("DELETE", "/api/v1/sessions/current", { token: user.token })).status).toBe(204);
    expect(await bearer.closed).toEqual({ code: 1008, reason: "session ended" });
    expect(await cookie.closed).toEqual({ code: 1008, reason: "session ended" });
    expect(await notify(user, "msg_after_logout")).toBe(0);
  });

  it("keeps another session's socket of the same user open, and it still receives notifications", async () => {
    const user = await signUp("revkeep");
    const phoneToken = await secondSession(user);
    const laptop = await openWithToken(user.token);
    const phone = await openWithToken(phoneToken);
    expect((await call("DELETE", "/api/v1/sessions/current", { token: user.token })).status).toBe(204);
    expect(await laptop.closed).toEqual({ code: 1008, reason: "session ended" });
    expect(await notify(user, "msg_phone")).toBe(1);
    expect(await phone.nextJson()).toMatchObject({ type: "notification", message: { id: "msg_phone" } });
  });

  it("closes a socket opened with a ticket that session issued, and not one from another session's ticket", async () => {
    const user = await signUp("revticket");
    const otherToken = await secondSession(user);
    const ended = probeOf(await openLive(await ticketFor(user.token)));
    const kept = probeOf(await openLive(await ticketFor(otherToken)));
    expect((await call("DELETE", "/api/v1/sessions/current", { token: user.token })).status).toBe(204);
    expect(await ended.closed).toEqual({ code: 1008, reason: "session ended" });
    expect(await notify(user, "msg_ticket_kept")).toBe(1);
    expect(await kept.nextJson()).toMatchObject({ message: { id: "msg_ticket_kept" } });
  });

  it("revokes the session's unused tickets", async () => {
    const user = await signUp("revunused");
    const query = await ticketFor(user.token);
    await call("DELETE", "/api/v1/sessions/current", { token: user.token });
    const res = await openLive(query);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "UNAUTHENTICATED" });
  });
});

describe("a password change ends the other sessions' live sockets", () => {
  it("closes the other sessions' sockets with 1008 'session revoked' and keeps the current one's", async () => {
    const user = await signUp("revpw");
    const otherToken = await secondSession(user);
    const current = await openWithToken(user.token);
    const other = await openWithToken(otherToken);
    const otherByTicket = probeOf(await openLive(await ticketFor(otherToken)));
    const res = await call("PUT", "/api/v1/me/password", {
      token: user.token,
      body: { currentPassword: PASSWORD, newPassword: "a much better passphrase" },
    });
    expect(res.status).toBe(204);
    expect(await other.closed).toEqual({ code: 1008, reason: "session revoked" });
    expect(await otherByTicket.closed).toEqual({ code: 1008, reason: "session revoked" });
    expect(await notify(user, "msg_current")).toBe(1);
    expect(await current.nextJson()).toMatchObject({ message: { id: "msg_current" } });
  });

  it("revokes the other sessions' unused tickets and keeps the current session's", async () => {
    const user = await signUp("revpwticket");
    const otherToken = await secondSession(user);
    const mine = await ticketFor(user.token);
    const theirs = await ticketFor(otherToken);
    await call("PUT", "/api/v1/me/password", {
      token: user.token,
      body: { currentPassword: PASSWORD, newPassword: "a much better passphrase" },
    });
    expect((await openLive(theirs)).status).toBe(401);
    probeOf(await openLive(mine));
  });
});

describe("the session a socket belongs to", () => {
  it("is known to the hub by a short tag of the token's hash, never the token", async () => {
    const user = await signUp("revtag");
    await openWithToken(user.token);
    const attachments = await runInDurableObject(env.USER_HUB.getByName(user.id), (_hub: UserHub, state) =>
      state
        .getWebSockets()
        .map((ws) => ({ tags: state.getTags(ws), attachment: ws.deserializeAttachment() })),
    );
    const tag = (await sha256Hex(user.token)).slice(0, 16);
    expect(attachments).toEqual([
      {
        tags: [`session:${tag}`],
        attachment: {
          v: 3,
          userId: user.id,
          sessionTag: tag,
          connectedAt: expect.any(Number),
          windowStartedAt: expect.any(Number),
          framesInWindow: 0,
        },
      },
    ]);
    expect(JSON.stringify(attachments)).not.toContain(user.token);
  });

  it("must still be live in D1 to open a socket or get a ticket, even while this instance caches it", async () => {
    const user = await signUp("revstale");
    expect((await call("GET", "/api/v1/me", { token: user.token })).status).toBe(200); // now cached
    // Revoked by another instance (its logout), whose cache eviction does not reach this one.
    await env.DB.prepare("UPDATE sessions SET revoked_at = ? WHERE token_hash = ?")
      .bind(Date.now(), await sha256Hex(user.token))
      .run();
    const res = await openLive("", { authorization: `Bearer ${user.token}` });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "UNAUTHENTICATED" });
    expectProblem(
      await call("POST", "/api/v1/me/live-ticket", { token: user.token }),
      401,
      "UNAUTHENTICATED",
    );
  });
});
