import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  api,
  eventually,
  signUpAndLogin,
  startServer,
  TEST_PASSWORD,
  type TestServer,
  uniqueUsername,
} from "../e2e/harness";
import { type CallAnswer, callHttp, callWebSocket, type Transport } from "./support-callers";
import { operationsOf } from "./support-openapi";

// One table: every route that touches a user's object × who is calling, with the exact answer.
// Driven over HTTP and WebSocket, with the session as a bearer token and as the browser's cookie.
// Then the same unsafe calls and upgrades with a cookie from a foreign Origin (SPEC §2).

/** Who calls. The target is always the owner's object, except for `suspended`, who acts on their own. */
const COLUMNS = ["owner", "other", "anonymous", "revoked", "suspended"] as const;
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
  expected: Record<Column, Expected>;
  /** Extra checks on a success: the answer is about the caller's own data. */
  check?(answer: CallAnswer, caller: Principal, subject: Fixture): void;
}

const U401: Expected = [401, "UNAUTHENTICATED"];
const F403: Expected = [403, "FORBIDDEN"];

/**
 * The suspended-to-be column: a user who exists and acts on their own objects. Suspension
 * (SPEC §9) lands in a later issue; until then this user must be treated exactly like an owner.
 * Once it lands, the test suspends them first and this column expects 403 ACCOUNT_SUSPENDED for
 * bids and listings (or 401, their sessions having ended).
 */
const ownerLike = (expected: Expected) => ({ owner: expected, suspended: expected });

/** Other users reach only their own data on /me routes; strangers are 401. */
const mine = (status: number) => ({
  ...ownerLike([status]),
  other: [status] as Expected,
  anonymous: U401,
  revoked: U401,
});

const PageSchema = z.object({ items: z.array(z.record(z.string(), z.unknown())) });
const IdSchema = z.object({ id: z.string() });

describe("authorization: every object route × owner, another user, anonymous, revoked, suspended-to-be", () => {
  let server: TestServer | undefined;
  let baseUrl: string;
  let owner: Fixture;
  let suspended: Fixture;
  let other: Principal;
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

  /** The user's auction with one bid from `bidder`, and the bid_received message it brings. */
  const fixtureOf = async (user: Principal, bidder: Principal): Promise<Fixture> => {
    const auctionId = await createAuction(user);
    const bid = await api(baseUrl).post(`/api/v1/auctions/${auctionId}/bids`, {}, { token: bidder.token });
    expect(bid.status, JSON.stringify(bid.body)).toBe(201);
    const messageId = await eventually(
      async () => {
        const res = await api(baseUrl).get("/api/v1/me/inbox", { token: user.token });
        const first = PageSchema.parse(res.body).items[0];
        return first ? IdSchema.parse(first).id : undefined;
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
    owner = await fixtureOf(ownerUser, other);
    suspended = await fixtureOf(suspendedUser, other);
    // A session that existed and was logged out: it must be worth nothing afterwards.
    revokedToken = await login(ownerUser.username);
    const logout = await api(baseUrl).delete("/api/v1/sessions/current", { token: revokedToken });
    expect(logout.status).toBe(204);
    rows = table();
  });

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
        expected: { ...mine(200), other: [404, "INBOX_MESSAGE_NOT_FOUND"] },
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
        expected: { ...ownerLike([200]), other: F403, anonymous: U401, revoked: U401 },
      },
      {
        route: "DELETE /api/v1/auctions/{id}",
        // A fresh auction without bids each time: cancelling is allowed only then.
        call: async (subject) => ({
          method: "DELETE",
          path: `/api/v1/auctions/${await createAuction(subject.user)}`,
        }),
        expected: { ...ownerLike([200]), other: F403, anonymous: U401, revoked: U401 },
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
        expected: { ...ownerLike([403, "SELLER_CANNOT_BID"]), other: [201], anonymous: U401, revoked: U401 },
      },
      {
        route: "POST /api/v1/auctions/{id}/buy-now",
        // Fresh each time: a successful buy-now closes the auction.
        call: async (subject) => ({
          method: "POST",
          path: `/api/v1/auctions/${await createAuction(subject.user, { buyNowPrice: 50_000 })}/buy-now`,
        }),
        expected: { ...ownerLike([403, "SELLER_CANNOT_BID"]), other: [201], anonymous: U401, revoked: U401 },
      },
      {
        route: "GET /api/v1/auctions/{id}/bids",
        call: (subject) => ({ method: "GET", path: `/api/v1/auctions/${subject.auctionId}/bids` }),
        // Public; a dead token is simply no session. Only the bidder sees their own rows as "you".
        expected: { ...ownerLike([200]), other: [200], anonymous: [200], revoked: [200] },
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
        expected: { ...ownerLike([200]), other: [200], anonymous: [200], revoked: [200] },
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
        expected: { ...ownerLike([101]), other: [101], anonymous: [101], revoked: [101] },
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
    ];
  }

  /** Calls one cell; `null` when the answer was as expected, else what went wrong. */
  async function cell(
    row: Row,
    column: Column,
    transport: Transport,
    origin?: string,
  ): Promise<string | null> {
    const subject = column === "suspended" ? suspended : owner;
    const caller: Principal | null =
      column === "owner"
        ? owner.user
        : column === "other"
          ? other
          : column === "suspended"
            ? suspended.user
            : null;
    let token: string | null = caller?.token ?? (column === "revoked" ? revokedToken : null);
    if (row.freshSession && caller) token = await login(caller.username);
    const { method, path, body } = await row.call(subject);
    // A browser sends its own origin with every unsafe request and every upgrade.
    const sentOrigin = origin ?? (transport === "cookie" ? baseUrl : undefined);
    const options = {
      token,
      transport,
      ...(sentOrigin ? { origin: sentOrigin } : {}),
      ...(body !== undefined ? { body } : {}),
    };
    const answer = row.websocket
      ? await callWebSocket(baseUrl, path, options)
      : await callHttp(baseUrl, method, path, options);
    calls++;
    const [status, code] =
      origin === undefined ? row.expected[column] : ([403, "ORIGIN_NOT_ALLOWED"] as const);
    const got = `${answer.status}${answer.code ? ` ${answer.code}` : ""}`;
    const label = `${row.route} as ${column} (${transport}${origin ? `, Origin ${origin}` : ""})`;
    if (answer.status !== status || (code !== undefined && answer.code !== code)) {
      return `${label}: ${got}, expected ${status}${code ? ` ${code}` : ""} — ${JSON.stringify(answer.body).slice(0, 200)}`;
    }
    if (status >= 400 && !/^application\/problem\+json/.test(answer.contentType ?? "")) {
      return `${label}: ${got} with content-type ${answer.contentType}, not problem+json`;
    }
    if (status < 400 && caller && row.check) {
      try {
        row.check(answer, caller, subject);
      } catch (error) {
        return `${label}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (status < 400 && !caller && row.check && row.route.startsWith("GET /api/v1/auctions/")) {
      // Anonymous and revoked callers see the public view: check it as nobody's.
      try {
        row.check(answer, { id: "nobody", username: "", token: "" }, subject);
      } catch (error) {
        return `${label}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (row.freshSession && caller && token && status === 204) {
      const after = await callHttp(baseUrl, "GET", "/api/v1/me", { token, transport });
      calls++;
      if (after.status !== 401) return `${label}: the ended session still answers ${after.status}`;
    }
    return null;
  }

  it("has a row for every route of /openapi.json that takes a session", async () => {
    const doc = await (await fetch(new URL("/openapi.json", baseUrl))).json();
    const withSession = operationsOf(doc)
      .filter((op) => op.acceptsCredentials)
      .map((op) => `${op.method} ${op.path}`);
    const covered = rows.map((row) => row.route);
    expect(
      withSession.filter((route) => !covered.includes(route)),
      "routes without a row",
    ).toEqual([]);
    expect(
      covered.filter(
        (route) => !withSession.includes(route) && !route.startsWith("GET /api/v1/auctions/{id}"),
      ),
      "rows without a route",
    ).toEqual([]);
  });

  for (const transport of ["bearer", "cookie"] satisfies Transport[]) {
    it(`answers exactly per the table, with the session as ${transport === "bearer" ? "a bearer token" : "the cookie, from the site's own origin"}`, async () => {
      const failures: string[] = [];
      for (const row of rows) {
        // Refusals first: the owner's call afterwards shows the refused ones changed nothing it
        // depends on (e.g. a cancel by another user did not cancel).
        for (const column of ["anonymous", "revoked", "other", "owner", "suspended"] satisfies Column[]) {
          const failure = await cell(row, column, transport);
          if (failure) failures.push(failure);
        }
      }
      expect(failures).toEqual([]);
    });
  }

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
      const { method, path, body } = await row.call(subject);
      const token = row.freshSession ? await login(owner.user.username) : owner.user.token;
      const answer = await callHttp(baseUrl, method, path, {
        token,
        transport: "bearer",
        origin: "https://evil.example",
        ...(body !== undefined ? { body } : {}),
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
