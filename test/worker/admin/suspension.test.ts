import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { probeOf } from "../../durable/socket-probe";
import {
  call,
  createAuction,
  expectProblem,
  fund,
  PASSWORD,
  signUp,
  signUpAdmin,
  signUpFunded,
  type TestUser,
  WEBSOCKET_HANDSHAKE,
} from "../../helpers";

/** SPEC §9: a suspended user's sessions end; they cannot log in, bid or list until unsuspended. */

async function suspendByAdmin(target: TestUser, reason = "Shill bidding"): Promise<TestUser> {
  const admin = await signUpAdmin("mod");
  const res = await call("POST", `/api/v1/admin/users/${target.id}/suspend`, {
    token: admin.token,
    body: { reason },
  });
  expect(res.status).toBe(200);
  return admin;
}

const login = (user: TestUser, password = PASSWORD) =>
  call("POST", "/api/v1/sessions", { body: { username: user.username, password } });

const listing = { title: "Desk lamp", startingPrice: 1_000, durationSeconds: 600 };

async function openLive(token: string) {
  return probeOf(
    await exports.default.fetch(
      new Request("https://auction.test/api/v1/me/live", {
        headers: { ...WEBSOCKET_HANDSHAKE, authorization: `Bearer ${token}` },
      }),
    ),
  );
}

async function auctionsOf(userId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM auctions WHERE seller_id = ?")
    .bind(userId)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

describe("a suspended user", () => {
  it("cannot log in: 403 ACCOUNT_SUSPENDED with the right password, 401 INVALID_CREDENTIALS with a wrong one", async () => {
    const user = await signUp("nologin");
    await suspendByAdmin(user);
    const refused = await login(user);
    expectProblem(refused, 403, "ACCOUNT_SUSPENDED");
    expect(refused.body.detail).toBe("This account is suspended.");
    expect(refused.headers.get("set-cookie")).toBeNull();
    // Whether an account is suspended is told only to someone who knows its password.
    expectProblem(await login(user, "not the password at all"), 401, "INVALID_CREDENTIALS");
  });

  it("loses every session at once, even one this instance has cached: 401 on reads, listing, bids and buy-now", async () => {
    const seller = await signUp("victimseller");
    const user = await signUpFunded("cheater");
    const phone = await login(user);
    const auction = await createAuction(seller, { buyNowPrice: 50_000 });
    // Both sessions verified (and cached) just before the suspension.
    expect((await call("GET", "/api/v1/me", { token: user.token })).status).toBe(200);
    expect((await call("GET", "/api/v1/me", { token: phone.body.token })).status).toBe(200);
    await suspendByAdmin(user);
    for (const token of [user.token, phone.body.token]) {
      expectProblem(await call("GET", "/api/v1/me", { token }), 401, "UNAUTHENTICATED");
      expectProblem(await call("POST", "/api/v1/auctions", { token, body: listing }), 401, "UNAUTHENTICATED");
      expectProblem(
        await call("POST", `/api/v1/auctions/${auction.id}/bids`, { token, body: {} }),
        401,
        "UNAUTHENTICATED",
      );
      expectProblem(
        await call("POST", `/api/v1/auctions/${auction.id}/buy-now`, { token }),
        401,
        "UNAUTHENTICATED",
      );
    }
    const after = await call("GET", `/api/v1/auctions/${auction.id}`);
    expect(after.body).toMatchObject({ status: "open", bidCount: 0 });
    expect(await auctionsOf(user.id)).toBe(0);
  });

  it("has every live socket closed (1008 'session revoked') and every unused live ticket revoked", async () => {
    const user = await signUp("livecheater");
    const laptop = await openLive(user.token);
    const phoneToken = (await login(user)).body.token;
    const phone = await openLive(phoneToken);
    const issued = await call("POST", "/api/v1/me/live-ticket", { token: phoneToken });
    expect(issued.status).toBe(201);
    await suspendByAdmin(user);
    expect(await laptop.closed).toEqual({ code: 1008, reason: "session revoked" });
    expect(await phone.closed).toEqual({ code: 1008, reason: "session revoked" });
    expect(await env.USER_HUB.getByName(user.id).connectionCount()).toBe(0);
    const byTicket = await exports.default.fetch(
      new Request(`https://auction.test/api/v1/me/live?ticket=${encodeURIComponent(issued.body.ticket)}`, {
        headers: WEBSOCKET_HANDSHAKE,
      }),
    );
    expect(byTicket.status).toBe(401);
  });

  it("with a session that outlived the suspension (set straight in D1), cannot list, bid or buy now: 403 ACCOUNT_SUSPENDED", async () => {
    const seller = await signUp("honestseller");
    const user = await signUp("sqlsuspended");
    // Funded through another session: the one under test must not be cached before the SQL below.
    await fund({ ...user, token: (await login(user)).body.token });
    const auction = await createAuction(seller, { buyNowPrice: 50_000 });
    // An operator's SQL suspends without ending sessions; the session still carries the flag.
    await env.DB.prepare("UPDATE users SET suspended_at = ?, suspended_reason = 'by hand' WHERE id = ?")
      .bind(Date.now(), user.id)
      .run();
    const token = user.token;
    const list = await call("POST", "/api/v1/auctions", { token, body: listing });
    expectProblem(list, 403, "ACCOUNT_SUSPENDED");
    expectProblem(
      await call("POST", `/api/v1/auctions/${auction.id}/bids`, { token, body: {} }),
      403,
      "ACCOUNT_SUSPENDED",
    );
    expectProblem(
      await call("POST", `/api/v1/auctions/${auction.id}/buy-now`, { token }),
      403,
      "ACCOUNT_SUSPENDED",
    );
    expect((await call("GET", `/api/v1/auctions/${auction.id}`)).body).toMatchObject({
      status: "open",
      bidCount: 0,
    });
    expect(await auctionsOf(user.id)).toBe(0);
  });

  it("can log in, list and bid again once unsuspended; the old sessions stay ended", async () => {
    const seller = await signUp("laterseller");
    const user = await signUpFunded("reformed");
    const admin = await suspendByAdmin(user);
    const lifted = await call("POST", `/api/v1/admin/users/${user.id}/unsuspend`, {
      token: admin.token,
      body: { reason: "Appeal accepted" },
    });
    expect(lifted.status).toBe(200);
    expectProblem(await call("GET", "/api/v1/me", { token: user.token }), 401, "UNAUTHENTICATED");
    const session = await login(user);
    expect(session.status).toBe(201);
    const token = session.body.token;
    expect((await call("POST", "/api/v1/auctions", { token, body: listing })).status).toBe(201);
    const auction = await createAuction(seller);
    expect((await call("POST", `/api/v1/auctions/${auction.id}/bids`, { token, body: {} })).status).toBe(201);
  });
});
