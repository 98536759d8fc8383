import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  api,
  eventually,
  fund,
  grantAdmin,
  signUpAndLogin,
  startServer,
  TEST_PASSWORD,
  type TestServer,
  uniqueUsername,
} from "../e2e/harness";
import { PNG } from "../images";
import { type CallAnswer, callHttp, callWebSocket, type Transport } from "./support-callers";
import { operationsOf } from "./support-openapi";

// One table: every route that touches a user's object × who is calling, with the exact answer.
// Driven over HTTP and WebSocket, with the session as a bearer token and as the browser's cookie.
// Then the same unsafe calls and upgrades with a cookie from a foreign Origin (SPEC §2).

/**
 * Who calls. The target is always the owner's object, except for `suspended`, who acts on their
 * own. `admin` is an administrator (granted by `npm run admin:grant`) acting on the owner's objects.
 */
const COLUMNS = ["owner", "other", "anonymous", "revoked", "suspended", "admin"] as const;
type Column = (typeof COLUMNS)[number];

interface Principal {
  id: string;
  username: string;
  token: string;
}

/** A user's objects the table acts on. */
interface Fixture {
  user: Principal;
  auctionId: string;
  messageId: string;
}

interface Call {
  method: string;
  path: string;
  body?: unknown;
  /** A raw body instead of JSON: the photo of POST /uploads. */
  upload?: { contentType: string; bytes: Uint8Array };
}

/** An expected answer: a status, and for errors the exact problem code. */
type Expected = readonly [status: number, code?: string];

interface Row {
  /** `METHOD path` exactly as /openapi.json lists it. */
  route: string;
  websocket?: boolean;
  /** The request on `subject`'s object; async when the row needs a fresh object per call. */
  call(subject: Fixture): Call | Promise<Call>;
  /** A session of the caller's own for calls that end it (logout); else the caller's usual one. */
  freshSession?: boolean;
  /**
   * No `admin` where the admin's call would change what other cells depend on (a bid makes the
   * admin the leader); the admin is then just another user, which `other` covers.
   */
  expected: Record<Exclude<Column, "admin">, Expected> & { admin?: Expected };
  /** Extra checks on a success: the answer is about the caller's own data. */
  check?(answer: CallAnswer, caller: Principal, subject: Fixture): void;
}

const U401: Expected = [401, "UNAUTHENTICATED"];
const F403: Expected = [403, "FORBIDDEN"];

/**
 * Nobody signed in: anonymous, a logged-out session, and the suspended user, suspended by an admin
 * after their objects were made. A suspension ends every session of theirs (SPEC §9), so with the
 * token they had they are a stranger everywhere: 401, even on their own objects (their login is
 * refused with 403 ACCOUNT_SUSPENDED, checked on its own below).
 */
const signedOut = { anonymous: U401, revoked: U401, suspended: U401 };

/** Each signed-in user reaches only their own data on /me routes; strangers are 401. */
const mine = (status: number) => ({
  owner: [status] as Expected,
  other: [status] as Expected,
  admin: [status] as Expected,
  ...signedOut,
});

/** Anyone may call it, signed in or not. */
const publicRoute = (status: number) => ({
  owner: [status] as Expected,
  other: [status] as Expected,
  admin: [status] as Expected,
  anonymous: [status] as Expected,
  revoked: [status] as Expected,
  suspended: [status] as Expected,
});

/** Only admins; every other user is 403 FORBIDDEN, strangers 401. */
const adminOnly = (status: number) => ({
  owner: F403,
  other: F403,
  admin: [status] as Expected,
  ...signedOut,
});

const PageSchema = z.object({ items: z.array(z.record(z.string(), z.unknown())) });
const IdSchema = z.object({ id: z.string() });

describe("authorization: every object route × owner, another user, anonymous, revoked, suspended, admin", () => {
  let server: TestServer | undefined;
  let baseUrl: string;
  let owner: Fixture;
  let suspended: Fixture;
  let other: Principal;
  let admin: Principal;
  let revokedToken: string;
  let rows: Row[];
  let calls = 0;

  const login = async (username: string): Promise<string> => {
    const res = await api(baseUrl).post("/api/v1/sessions", { username, password: TEST_PASSWORD });
    return z.object({ token: z.string() }).parse(res.body).token;
  };

  const signUp = async (prefix: string): Promise<Principal> => {
    const username = uniqueUsername(prefix);
    const { token, user } = await signUpAndLogin(baseUrl, username);
    return { id: user.id, username, token };
  };

  const createAuction = async (seller: Principal, extra: Record<string, unknown> = {}): Promise<string> => {
    const res = await api(baseUrl).post(
      "/api/v1/auctions",
      { title: "Authz lot", startingPrice: 1_000, durationSeconds: 3_600, ...extra },
      { token: seller.token, headers: { "idempotency-key": randomUUID() } },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return IdSchema.parse(res.body).id;
  };

  /**
   * A new auction of the subject's, for calls that use one up. The suspended user can no longer
   * list, and every call of theirs is refused unread: their existing auction serves.
   */
  const freshAuctionOf = (subject: Fixture, extra: Record<string, unknown> = {}): Promise<string> =>
    subject === suspended ? Promise.resolve(subject.auctionId) : createAuction(subject.user, extra);

  /**
   * The subject's auction sold to `other` by buy-now, its order taken to `stage` (SPEC §8): the
   * subject is its seller, `other` its buyer. The suspended subject keeps its own auction: every
   * call of theirs is refused before any order is looked at.
   */
  const soldAuctionOf = async (subject: Fixture, stage: "paid" | "shipped" | "disputed"): Promise<string> => {
    if (subject === suspended) return subject.auctionId;
    const auctionId = await createAuction(subject.user, { buyNowPrice: 50_000 });
    const step = async (token: string, path: string, body: unknown = {}) => {
      const res = await api(baseUrl).post(`/api/v1/auctions/${auctionId}/${path}`, body, { token });
      expect(res.status, JSON.stringify(res.body)).toBe(path === "buy-now" ? 201 : 200);
    };
    await step(other.token, "buy-now");
    if (stage !== "paid") await step(subject.user.token, "order/ship");
    if (stage === "disputed") await step(other.token, "order/dispute", { reason: "Authorization suite" });
    return auctionId;
  };

  /**
   * The subject's auction whose sale fell through (the admin bid, `other` bought it now, the
   * subject cancelled the order): a second chance may be offered to the admin's handle (SPEC §8,
   * issue 11). With `offered`, the subject has offered it. The suspended subject keeps its own.
   */
  const fallenThroughAuctionOf = async (subject: Fixture, offered: boolean): Promise<string> => {
    if (subject === suspended) return subject.auctionId;
    const auctionId = await createAuction(subject.user, { buyNowPrice: 50_000 });
    const post = async (token: string, path: string, status: number, body: unknown = {}) => {
      const res = await api(baseUrl).post(`/api/v1/auctions/${auctionId}/${path}`, body, { token });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
    };
    await post(admin.token, "bids", 201);
    await post(other.token, "buy-now", 201);
    await post(subject.user.token, "order/cancel", 200);
    // The admin was the first (and only) bidder: handle b***1.
    if (offered) await post(subject.user.token, "second-chance", 201, { bidderHandle: "b***1" });
    return auctionId;
  };

  /** The user's auction with one bid from `bidder`, and the bid_received message it brings. */
  const fixtureOf = async (user: Principal, bidder: Principal): Promise<Fixture> => {
    const auctionId = await createAuction(user);
    const bid = await api(baseUrl).post(`/api/v1/auctions/${auctionId}/bids`, {}, { token: bidder.token });
    expect(bid.status, JSON.stringify(bid.body)).toBe(201);
    const messageId = await eventually(
      async () => {
        const res = await api(baseUrl).get("/api/v1/me/inbox", { token: user.token });
        // Not the user's top-up note, if they have one.
        const received = PageSchema.parse(res.body).items.find((item) => item.kind === "bid_received");
        return received ? IdSchema.parse(received).id : undefined;
      },
      { what: `an inbox message for ${user.username}` },
    );
    return { user, auctionId, messageId };
  };

  beforeAll(async () => {
    server = await startServer();
    baseUrl = server.baseUrl;
    const ownerUser = await signUp("owner");
    other = await signUp("other");
    const suspendedUser = await signUp("suspended");
    // Money for the bids and buy-nows (SPEC §8), so that who is calling is the only reason for an
    // answer: the owner too, whose own bid is refused for being the seller, not for money.
    await fund(baseUrl, ownerUser.token);
    await fund(baseUrl, other.token);
    owner = await fixtureOf(ownerUser, other);
    suspended = await fixtureOf(suspendedUser, other);
    const adminUser = await signUp("admin");
    if (server === undefined) throw new Error("no server");
    await grantAdmin(server, adminUser.username);
    // A session started after the grant: an earlier one may be cached with the role it had.
    admin = { ...adminUser, token: await login(adminUser.username) };
    await fund(baseUrl, admin.token);
    const suspension = await suspendUser(suspendedUser.id);
    expect(suspension.status, JSON.stringify(suspension.body)).toBe(200);
    // A session that existed and was logged out: it must be worth nothing afterwards.
    revokedToken = await login(ownerUser.username);
    const logout = await api(baseUrl).delete("/api/v1/sessions/current", { token: revokedToken });
    expect(logout.status).toBe(204);
    rows = table();
  });

  /** A requested withdrawal of a fresh user's, funded by an admin: each admin call resolves its own. */
  const requestedWithdrawal = async (): Promise<string> => {
    const user = await signUp("withdrawer");
    const funded = await api(baseUrl).post(
      `/api/v1/admin/users/${user.id}/wallet/adjustments`,
      { amount: 1_000, currency: "KRW", reason: "Authorization suite" },
      { token: admin.token },
    );
    expect(funded.status, JSON.stringify(funded.body)).toBe(201);
    const res = await api(baseUrl).post(
      "/api/v1/me/wallet/withdrawals",
      { amount: 1_000, currency: "KRW" },
      { token: user.token },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return IdSchema.parse(res.body).id;
  };

  /** A user nobody else uses, as the target of an admin action: nothing else depends on them. */
  const throwawayUser = async (): Promise<string> => {
    const res = await api(baseUrl).post("/api/v1/users", {
      username: uniqueUsername("target"),
      password: TEST_PASSWORD,
      nickname: "Target",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return IdSchema.parse(res.body).id;
  };

  const suspendUser = (userId: string) =>
    api(baseUrl).post(
      `/api/v1/admin/users/${userId}/suspend`,
      { reason: "Authorization suite" },
      { token: admin.token },
    );

  afterAll(async () => {
    console.info(`authorization: ${calls} calls`);
    await server?.stop();
  });

  function table(): Row[] {
    let nextMax = 10_000;
    const expectOwnItems = (field: string) => (answer: CallAnswer, caller: Principal) => {
      for (const item of PageSchema.parse(answer.body).items)
        expect(item[field], "only the caller's own items").toBe(caller.id);
    };
    return [
      {
        route: "GET /api/v1/me",
        call: () => ({ method: "GET", path: "/api/v1/me" }),
        expected: mine(200),
        check: (answer, caller) => expect(IdSchema.parse(answer.body).id).toBe(caller.id),
      },
      {
        route: "GET /api/v1/me/auctions",
        call: () => ({ method: "GET", path: "/api/v1/me/auctions" }),
        expected: mine(200),
        check: expectOwnItems("sellerId"),
      },
      {
        route: "GET /api/v1/me/bids",
        call: () => ({ method: "GET", path: "/api/v1/me/bids" }),
        expected: mine(200),
      },
      {
        route: "GET /api/v1/me/watchlist",
        call: () => ({ method: "GET", path: "/api/v1/me/watchlist" }),
        expected: mine(200),
      },
      {
        route: "GET /api/v1/me/inbox",
        call: () => ({ method: "GET", path: "/api/v1/me/inbox" }),
        expected: mine(200),
        check: (answer, caller) => {
          const ids = PageSchema.parse(answer.body).items.map((item) => IdSchema.parse(item).id);
          for (const fixture of [owner, suspended]) {
            if (fixture.user.id !== caller.id)
              expect(ids, "another user's message").not.toContain(fixture.messageId);
          }
        },
      },
      {
        route: "GET /api/v1/me/inbox/unread-count",
        call: () => ({ method: "GET", path: "/api/v1/me/inbox/unread-count" }),
        expected: mine(200),
      },
      {
        route: "POST /api/v1/me/inbox/{id}/read",
        call: (subject) => ({ method: "POST", path: `/api/v1/me/inbox/${subject.messageId}/read` }),
        // Another user's message is private: it does not exist for them.
        expected: {
          ...mine(200),
          other: [404, "INBOX_MESSAGE_NOT_FOUND"],
          admin: [404, "INBOX_MESSAGE_NOT_FOUND"],
        },
        check: (answer, _caller, subject) => expect(IdSchema.parse(answer.body).id).toBe(subject.messageId),
      },
      {
        route: "POST /api/v1/me/inbox/read-all",
        call: () => ({ method: "POST", path: "/api/v1/me/inbox/read-all" }),
        expected: mine(200),
      },
      {
        route: "POST /api/v1/me/live-ticket",
        call: () => ({ method: "POST", path: "/api/v1/me/live-ticket" }),
        expected: mine(201),
      },
      {
        route: "POST /api/v1/auctions",
        call: () => ({
          method: "POST",
          path: "/api/v1/auctions",
          body: { title: "Listed", startingPrice: 500, durationSeconds: 600 },
        }),
        expected: mine(201),
        check: (answer, caller) =>
          expect(z.object({ sellerId: z.string() }).parse(answer.body).sellerId).toBe(caller.id),
      },
      {
        route: "PATCH /api/v1/auctions/{id}",
        call: (subject) => ({
          method: "PATCH",
          path: `/api/v1/auctions/${subject.auctionId}`,
          body: { title: "Edited title" },
        }),
        expected: { owner: [200], other: F403, admin: F403, ...signedOut },
      },
      {
        route: "DELETE /api/v1/auctions/{id}",
        // A fresh auction without bids each time: cancelling is allowed only then.
        call: async (subject) => ({
          method: "DELETE",
          path: `/api/v1/auctions/${await freshAuctionOf(subject)}`,
        }),
        expected: { owner: [200], other: F403, admin: F403, ...signedOut },
      },
      {
        route: "GET /api/v1/auctions/{id}/ping",
        call: (subject) => ({ method: "GET", path: `/api/v1/auctions/${subject.auctionId}/ping` }),
        expected: mine(200),
      },
      {
        route: "PUT /api/v1/auctions/{id}/watch",
        call: (subject) => ({ method: "PUT", path: `/api/v1/auctions/${subject.auctionId}/watch` }),
        // A watch is the watcher's own object; anyone signed in may watch any auction.
        expected: mine(204),
      },
      {
        route: "DELETE /api/v1/auctions/{id}/watch",
        call: (subject) => ({ method: "DELETE", path: `/api/v1/auctions/${subject.auctionId}/watch` }),
        expected: mine(204),
      },
      {
        route: "POST /api/v1/auctions/{id}/bids",
        // A higher maximum each time: a leader bidding again must raise it (else MAX_NOT_RAISED).
        call: (subject) => {
          nextMax += 1_000;
          return {
            method: "POST",
            path: `/api/v1/auctions/${subject.auctionId}/bids`,
            body: { maxAmount: nextMax },
          };
        },
        // The object's owner is its seller, who cannot bid on it; another user can.
        expected: { owner: [403, "SELLER_CANNOT_BID"], other: [201], ...signedOut },
      },
      {
        route: "POST /api/v1/auctions/{id}/buy-now",
        // Fresh each time: a successful buy-now closes the auction.
        call: async (subject) => ({
          method: "POST",
          path: `/api/v1/auctions/${await freshAuctionOf(subject, { buyNowPrice: 50_000 })}/buy-now`,
        }),
        expected: { owner: [403, "SELLER_CANNOT_BID"], other: [201], admin: [201], ...signedOut },
      },
      {
        route: "GET /api/v1/auctions/{id}/bids",
        call: (subject) => ({ method: "GET", path: `/api/v1/auctions/${subject.auctionId}/bids` }),
        // Public; a dead token is simply no session. Only the bidder sees their own rows as "you".
        expected: publicRoute(200),
        check: (answer, caller) => {
          const handles = PageSchema.parse(answer.body).items.map(
            (item) => z.object({ bidder: z.object({ handle: z.string() }) }).parse(item).bidder.handle,
          );
          expect(handles.includes("you"), "rows shown as `you`").toBe(caller.id === other.id);
        },
      },
      {
        route: "GET /api/v1/auctions/{id}",
        call: (subject) => ({ method: "GET", path: `/api/v1/auctions/${subject.auctionId}` }),
        expected: publicRoute(200),
        check: (answer, caller, subject) => {
          const view = z
            .object({ leaderIsYou: z.boolean(), reservePrice: z.unknown().optional() })
            .parse(answer.body);
          expect(view.leaderIsYou, "leaderIsYou").toBe(caller.id === other.id);
          expect("reservePrice" in view, "the reserve is shown to the seller only").toBe(
            caller.id === subject.user.id,
          );
        },
      },
      {
        route: "GET /api/v1/me/live",
        websocket: true,
        call: () => ({ method: "GET", path: "/api/v1/me/live" }),
        expected: mine(101),
      },
      {
        route: "GET /api/v1/auctions/{id}/live",
        websocket: true,
        call: (subject) => ({ method: "GET", path: `/api/v1/auctions/${subject.auctionId}/live` }),
        // Anyone may watch a room; only the leader's socket says leaderIsYou.
        expected: publicRoute(101),
        check: (answer, caller) => {
          const frame = z
            .object({ type: z.literal("snapshot"), auction: z.object({ leaderIsYou: z.boolean() }) })
            .parse(answer.body);
          expect(frame.auction.leaderIsYou, "leaderIsYou in the snapshot").toBe(caller.id === other.id);
        },
      },
      {
        route: "DELETE /api/v1/sessions/current",
        freshSession: true,
        call: () => ({ method: "DELETE", path: "/api/v1/sessions/current" }),
        expected: mine(204),
      },
      {
        route: "PUT /api/v1/me/password",
        // The same password again: a real change, which revokes the caller's other sessions (all
        // of them already ended), and leaves every fixture usable.
        call: () => ({
          method: "PUT",
          path: "/api/v1/me/password",
          body: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD },
        }),
        expected: mine(204),
      },
      {
        route: "GET /api/v1/admin/users",
        call: () => ({ method: "GET", path: `/api/v1/admin/users?q=${suspended.user.username}` }),
        expected: adminOnly(200),
        check: (answer) => {
          const items = z
            .object({ items: z.array(z.object({ id: z.string(), suspended: z.boolean() })) })
            .parse(answer.body).items;
          expect(items, "the suspended user, as suspended").toEqual([
            { ...items[0], id: suspended.user.id, suspended: true },
          ]);
        },
      },
      {
        route: "POST /api/v1/admin/users/{id}/suspend",
        // A fresh target each time: a suspension is for good, and no other cell may depend on it.
        call: async () => ({
          method: "POST",
          path: `/api/v1/admin/users/${await throwawayUser()}/suspend`,
          body: { reason: "Authorization suite" },
        }),
        expected: adminOnly(200),
        check: (answer) =>
          expect(z.object({ suspended: z.boolean() }).parse(answer.body).suspended).toBe(true),
      },
      {
        route: "POST /api/v1/admin/users/{id}/unsuspend",
        call: async () => {
          const target = await throwawayUser();
          const suspension = await suspendUser(target);
          expect(suspension.status, JSON.stringify(suspension.body)).toBe(200);
          return {
            method: "POST",
            path: `/api/v1/admin/users/${target}/unsuspend`,
            body: { reason: "Authorization suite" },
          };
        },
        expected: adminOnly(200),
        check: (answer) =>
          expect(z.object({ suspended: z.boolean() }).parse(answer.body).suspended).toBe(false),
      },
      {
        route: "POST /api/v1/admin/auctions/{id}/cancel",
        // A fresh auction each time: a cancellation is for good, and no other cell may depend on it.
        call: async (subject) => ({
          method: "POST",
          path: `/api/v1/admin/auctions/${await freshAuctionOf(subject)}/cancel`,
          body: { reason: "Authorization suite" },
        }),
        expected: adminOnly(200),
        check: (answer) =>
          expect(z.object({ status: z.string() }).parse(answer.body).status).toBe("cancelled"),
      },
      {
        route: "GET /api/v1/admin/audit-log",
        call: () => ({ method: "GET", path: "/api/v1/admin/audit-log" }),
        expected: adminOnly(200),
        check: (answer) => {
          const entries = z
            .object({ items: z.array(z.object({ actor: z.object({ id: z.string() }), action: z.string() })) })
            .parse(answer.body).items;
          expect(entries[0]?.actor.id, "the newest entry is the admin's").toBe(admin.id);
        },
      },
      {
        route: "GET /api/v1/me/wallet",
        call: () => ({ method: "GET", path: "/api/v1/me/wallet" }),
        expected: mine(200),
      },
      {
        route: "GET /api/v1/me/wallet/entries",
        call: () => ({ method: "GET", path: "/api/v1/me/wallet/entries" }),
        expected: mine(200),
      },
      {
        route: "POST /api/v1/me/wallet/top-ups",
        call: () => ({
          method: "POST",
          path: "/api/v1/me/wallet/top-ups",
          body: { amount: 1_000, currency: "KRW" },
        }),
        expected: mine(201),
      },
      {
        route: "POST /api/v1/me/wallet/withdrawals",
        // More than anyone in the table has: every signed-in caller reaches their own wallet, which
        // refuses it (and so keeps nothing held).
        call: () => ({
          method: "POST",
          path: "/api/v1/me/wallet/withdrawals",
          body: { amount: 1_000_000_000_000, currency: "KRW" },
        }),
        expected: {
          owner: [422, "INSUFFICIENT_FUNDS"],
          other: [422, "INSUFFICIENT_FUNDS"],
          admin: [422, "INSUFFICIENT_FUNDS"],
          ...signedOut,
        },
      },
      {
        route: "POST /api/v1/admin/users/{id}/wallet/adjustments",
        call: async () => ({
          method: "POST",
          path: `/api/v1/admin/users/${await throwawayUser()}/wallet/adjustments`,
          body: { amount: 1_000, currency: "KRW", reason: "Authorization suite" },
        }),
        expected: adminOnly(201),
      },
      {
        route: "GET /api/v1/auctions/{id}/order",
        call: async (subject) => ({
          method: "GET",
          path: `/api/v1/auctions/${await soldAuctionOf(subject, "paid")}/order`,
        }),
        // The seller (owner), the buyer (other) and an admin read it; strangers never reach it.
        expected: { owner: [200], other: [200], admin: [200], ...signedOut },
      },
      {
        route: "POST /api/v1/auctions/{id}/order/ship",
        call: async (subject) => ({
          method: "POST",
          path: `/api/v1/auctions/${await soldAuctionOf(subject, "paid")}/order/ship`,
          body: {},
        }),
        expected: { owner: [200], other: F403, admin: F403, ...signedOut },
      },
      {
        route: "POST /api/v1/auctions/{id}/order/cancel",
        call: async (subject) => ({
          method: "POST",
          path: `/api/v1/auctions/${await soldAuctionOf(subject, "paid")}/order/cancel`,
        }),
        expected: { owner: [200], other: F403, admin: F403, ...signedOut },
      },
      {
        route: "POST /api/v1/auctions/{id}/order/confirm",
        call: async (subject) => ({
          method: "POST",
          path: `/api/v1/auctions/${await soldAuctionOf(subject, "shipped")}/order/confirm`,
        }),
        expected: { owner: F403, other: [200], admin: F403, ...signedOut },
      },
      {
        route: "POST /api/v1/auctions/{id}/order/dispute",
        call: async (subject) => ({
          method: "POST",
          path: `/api/v1/auctions/${await soldAuctionOf(subject, "shipped")}/order/dispute`,
          body: { reason: "Authorization suite" },
        }),
        expected: { owner: F403, other: [200], admin: F403, ...signedOut },
      },
      {
        route: "GET /api/v1/auctions/{id}/second-chance",
        call: async (subject) => ({
          method: "GET",
          path: `/api/v1/auctions/${await fallenThroughAuctionOf(subject, true)}/second-chance`,
        }),
        // The seller and the bidder it was made to (here the admin) see it; the previous buyer does not.
        expected: { owner: [200], other: [404, "SECOND_CHANCE_NOT_FOUND"], admin: [200], ...signedOut },
      },
      {
        route: "POST /api/v1/auctions/{id}/second-chance",
        call: async (subject) => ({
          method: "POST",
          path: `/api/v1/auctions/${await fallenThroughAuctionOf(subject, false)}/second-chance`,
          body: { bidderHandle: "b***1" },
        }),
        expected: { owner: [201], other: F403, admin: F403, ...signedOut },
      },
      {
        route: "POST /api/v1/auctions/{id}/second-chance/accept",
        call: async (subject) => ({
          method: "POST",
          path: `/api/v1/auctions/${await fallenThroughAuctionOf(subject, true)}/second-chance/accept`,
        }),
        // Only the bidder it was made to (the admin) answers it; the seller is refused, others never see it.
        expected: { owner: F403, other: [404, "SECOND_CHANCE_NOT_FOUND"], admin: [201], ...signedOut },
      },
      {
        route: "POST /api/v1/auctions/{id}/second-chance/decline",
        call: async (subject) => ({
          method: "POST",
          path: `/api/v1/auctions/${await fallenThroughAuctionOf(subject, true)}/second-chance/decline`,
        }),
        expected: { owner: F403, other: [404, "SECOND_CHANCE_NOT_FOUND"], admin: [200], ...signedOut },
      },
      {
        route: "GET /api/v1/me/orders",
        call: () => ({ method: "GET", path: "/api/v1/me/orders" }),
        expected: mine(200),
      },
      {
        route: "POST /api/v1/admin/orders/{auctionId}/resolve",
        call: async (subject) => ({
          method: "POST",
          path: `/api/v1/admin/orders/${await soldAuctionOf(subject, "disputed")}/resolve`,
          body: { outcome: "refund", reason: "Authorization suite" },
        }),
        expected: adminOnly(200),
      },
      {
        route: "GET /api/v1/admin/ledger/check",
        call: () => ({ method: "GET", path: "/api/v1/admin/ledger/check" }),
        expected: adminOnly(200),
      },
      {
        route: "GET /api/v1/admin/withdrawals",
        call: () => ({ method: "GET", path: "/api/v1/admin/withdrawals?status=requested" }),
        expected: adminOnly(200),
      },
      {
        route: "POST /api/v1/admin/withdrawals/{id}/complete",
        call: async () => ({
          method: "POST",
          path: `/api/v1/admin/withdrawals/${await requestedWithdrawal()}/complete`,
          body: {},
        }),
        expected: adminOnly(200),
      },
      {
        route: "POST /api/v1/admin/withdrawals/{id}/reject",
        call: async () => ({
          method: "POST",
          path: `/api/v1/admin/withdrawals/${await requestedWithdrawal()}/reject`,
          body: { reason: "Authorization suite" },
        }),
        expected: adminOnly(200),
      },
      {
        route: "GET /api/v1/admin/orders",
        call: () => ({ method: "GET", path: "/api/v1/admin/orders?status=disputed" }),
        expected: adminOnly(200),
        check: (answer) => {
          const items = PageSchema.parse(answer.body).items;
          // The dispute and resolve rows above left disputed orders (a refused resolve leaves one).
          expect(items.length, "the disputes the rows above left").toBeGreaterThan(0);
          for (const item of items) expect(item.status, "only disputed orders").toBe("disputed");
        },
      },
      {
        route: "POST /api/v1/uploads",
        call: () => ({
          method: "POST",
          path: "/api/v1/uploads",
          upload: { contentType: "image/png", bytes: PNG },
        }),
        // Anyone signed in may upload a photo; it is theirs (its key names them).
        expected: mine(201),
        check: (answer, caller) =>
          expect(z.object({ key: z.string() }).parse(answer.body).key).toMatch(
            new RegExp(`^u/${caller.id}/`),
          ),
      },
    ];
  }

  /** Calls one cell; `null` when the answer was as expected, else what went wrong. */
  async function cell(
    row: Row,
    column: Column,
    transport: Transport,
    origin?: string,
  ): Promise<string | null> {
    const expected = column === "admin" ? row.expected.admin : row.expected[column];
    if (expected === undefined) return null;
    const subject = column === "suspended" ? suspended : owner;
    const caller: Principal | null =
      column === "owner"
        ? owner.user
        : column === "other"
          ? other
          : column === "admin"
            ? admin
            : column === "suspended"
              ? suspended.user
              : null;
    let token: string | null = caller?.token ?? (column === "revoked" ? revokedToken : null);
    // The suspended user cannot log in: their old (ended) session is all they have.
    if (row.freshSession && caller && column !== "suspended") token = await login(caller.username);
    // Whose view a success shows: nobody's when the session is dead.
    const viewer = column === "suspended" ? null : caller;
    const { method, path, body, upload } = await row.call(subject);
    // A browser sends its own origin with every unsafe request and every upgrade.
    const sentOrigin = origin ?? (transport === "cookie" ? baseUrl : undefined);
    const options = {
      token,
      transport,
      ...(sentOrigin ? { origin: sentOrigin } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(upload !== undefined ? { upload } : {}),
    };
    const answer = row.websocket
      ? await callWebSocket(baseUrl, path, options)
      : await callHttp(baseUrl, method, path, options);
    calls++;
    const [status, code] = origin === undefined ? expected : ([403, "ORIGIN_NOT_ALLOWED"] as const);
    const got = `${answer.status}${answer.code ? ` ${answer.code}` : ""}`;
    const label = `${row.route} as ${column} (${transport}${origin ? `, Origin ${origin}` : ""})`;
    if (answer.status !== status || (code !== undefined && answer.code !== code)) {
      return `${label}: ${got}, expected ${status}${code ? ` ${code}` : ""} — ${JSON.stringify(answer.body).slice(0, 200)}`;
    }
    if (status >= 400 && !/^application\/problem\+json/.test(answer.contentType ?? "")) {
      return `${label}: ${got} with content-type ${answer.contentType}, not problem+json`;
    }
    if (status < 400 && viewer && row.check) {
      try {
        row.check(answer, viewer, subject);
      } catch (error) {
        return `${label}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (status < 400 && !viewer && row.check && row.route.startsWith("GET /api/v1/auctions/")) {
      // Anonymous, revoked and suspended callers see the public view: check it as nobody's.
      try {
        row.check(answer, { id: "nobody", username: "", token: "" }, subject);
      } catch (error) {
        return `${label}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (row.freshSession && viewer && token && status === 204) {
      const after = await callHttp(baseUrl, "GET", "/api/v1/me", { token, transport });
      calls++;
      if (after.status !== 401) return `${label}: the ended session still answers ${after.status}`;
    }
    return null;
  }

  it("has a row for every route of /openapi.json that refuses anonymous callers", async () => {
    const doc = await (await fetch(new URL("/openapi.json", baseUrl))).json();
    const operations = operationsOf(doc);
    const route = (op: { method: string; path: string }) => `${op.method} ${op.path}`;
    const requiring = operations.filter((op) => op.requiresCredentials).map(route);
    // Rows may also cover routes that only personalise their answer for a session.
    const reading = operations.filter((op) => op.requiresCredentials || op.acceptsSession).map(route);
    const covered = rows.map((row) => row.route);
    expect(
      requiring.filter((r) => !covered.includes(r)),
      "routes without a row",
    ).toEqual([]);
    expect(
      covered.filter((r) => !reading.includes(r)),
      "rows without a route",
    ).toEqual([]);
  });

  for (const transport of ["bearer", "cookie"] satisfies Transport[]) {
    it(`answers exactly per the table, with the session as ${transport === "bearer" ? "a bearer token" : "the cookie, from the site's own origin"}`, async () => {
      const failures: string[] = [];
      for (const row of rows) {
        // Refusals first: the owner's call afterwards shows the refused ones changed nothing it
        // depends on (e.g. a cancel by another user did not cancel).
        for (const column of [
          "anonymous",
          "revoked",
          "other",
          "owner",
          "suspended",
          "admin",
        ] satisfies Column[]) {
          const failure = await cell(row, column, transport);
          if (failure) failures.push(failure);
        }
      }
      expect(failures).toEqual([]);
    });
  }

  it("refuses the suspended user's login with 403 ACCOUNT_SUSPENDED, and their old token everywhere with 401", async () => {
    const res = await api(baseUrl).post("/api/v1/sessions", {
      username: suspended.user.username,
      password: TEST_PASSWORD,
    });
    calls++;
    expect({ status: res.status, code: z.object({ code: z.string() }).parse(res.body).code }).toEqual({
      status: 403,
      code: "ACCOUNT_SUSPENDED",
    });
    const me = await api(baseUrl).get("/api/v1/me", { token: suspended.user.token });
    calls++;
    expect(me.status).toBe(401);
  });

  it("refuses cookie-authenticated unsafe requests and upgrades from a foreign Origin with 403 ORIGIN_NOT_ALLOWED", async () => {
    const failures: string[] = [];
    const unsafe = rows.filter((row) => row.websocket || !row.route.startsWith("GET "));
    for (const row of unsafe) {
      // The owner's own (allowed) calls, made from another site's page.
      const failure = await cell(row, "owner", "cookie", "https://evil.example");
      if (failure) failures.push(failure);
    }
    expect(failures).toEqual([]);
  });

  it("does not origin-check bearer requests", async () => {
    const failures: string[] = [];
    for (const row of rows.filter((r) => !r.websocket && !r.route.startsWith("GET "))) {
      // Same call as the owner's, with a foreign Origin but a bearer token: the table's answer.
      const subject = owner;
      const { method, path, body, upload } = await row.call(subject);
      const token = row.freshSession ? await login(owner.user.username) : owner.user.token;
      const answer = await callHttp(baseUrl, method, path, {
        token,
        transport: "bearer",
        origin: "https://evil.example",
        ...(body !== undefined ? { body } : {}),
        ...(upload !== undefined ? { upload } : {}),
      });
      calls++;
      const [status, code] = row.expected.owner;
      if (answer.status !== status || (code !== undefined && answer.code !== code)) {
        failures.push(
          `${row.route} as owner (bearer, foreign Origin): ${answer.status} ${answer.code ?? ""}, expected ${status}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });
});
