import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { paths } from "../../src/client/api-schema";
import { eventually, runPay, startServer, type TestServer } from "./harness";

// The README's curl session ("The API at a glance"), step by step, through the typed client that
// `npm run client:generate` makes from /openapi.json: what a client developer copies is what works,
// and every outcome the README shows is asserted here. Usernames are the README's own: each test
// file gets a fresh server.

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

/** A client that sends `Authorization: Bearer <token>`, like the README's `-H "authorization: …"`. */
function clientFor(baseUrl: string, token?: string) {
  return createClient<paths>({
    baseUrl,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

describe("the README's API session, through the generated typed client", () => {
  let server: TestServer | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startServer();
    baseUrl = server.baseUrl;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("is generated from the document this server serves", async () => {
    // `npm run client:check` holds the types to scripts/openapi.mjs's document; this holds that
    // document to the one the running server answers.
    const dir = await mkdtemp(join(tmpdir(), "openapi-"));
    try {
      const file = join(dir, "openapi.json");
      await run(process.execPath, ["scripts/openapi.mjs", file], { cwd: projectRoot });
      const written: unknown = JSON.parse(await readFile(file, "utf8"));
      const served: unknown = await (await fetch(new URL("/openapi.json", baseUrl))).json();
      expect(served).toEqual(written);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("signs up and logs in three users, lists an item, bids, outbids, and tells the inbox", async () => {
    const anonymous = clientFor(baseUrl);

    // two users… and a third to outbid the second
    const people = [
      { username: "seller_kim", password: "correct horse battery staple", nickname: "Kim" },
      { username: "buyer_lee", password: "another long passphrase", nickname: "Lee" },
      { username: "buyer_park", password: "yet another passphrase", nickname: "Park" },
    ];
    for (const body of people) {
      const { data, response } = await anonymous.POST("/api/v1/users", { body });
      expect(response.status).toBe(201);
      expect(data).toMatchObject({ username: body.username, nickname: body.nickname });
    }

    // log in: a token (also set as an HttpOnly session cookie)
    const tokens: string[] = [];
    for (const { username, password } of people) {
      const { data, response } = await anonymous.POST("/api/v1/sessions", { body: { username, password } });
      expect(response.status).toBe(201);
      expect(response.headers.get("set-cookie")).toMatch(/^sa_session=.*HttpOnly/i);
      expect(data?.user.username).toBe(username);
      tokens.push(data?.token ?? "");
    }
    const [seller, lee, park] = tokens.map((token) => clientFor(baseUrl, token));
    if (!seller || !lee || !park) throw new Error("three sessions expected");

    // money to bid with: a pending top-up each, confirmed by `npm run pay` playing the provider
    const provider = server;
    if (!provider) throw new Error("no server");
    for (const buyer of [lee, park]) {
      const topUp = await buyer.POST("/api/v1/me/wallet/top-ups", {
        body: { amount: 100000, currency: "KRW" },
      });
      expect(topUp.response.status).toBe(201);
      expect(topUp.data).toMatchObject({ status: "pending", amount: 100000, currency: "KRW" });
      const topUpId = topUp.data?.id ?? "";
      const paid = await runPay(provider, [topUpId]);
      expect(paid.code, paid.stdout + paid.stderr).toBe(0);
      expect(paid.stdout).toContain(
        `payment.succeeded for ${topUpId} (100000 KRW) → 200 {"received":true,"duplicate":false}`,
      );
    }
    const wallet = await lee.GET("/api/v1/me/wallet");
    expect(wallet.data?.balances).toEqual([
      { currency: "KRW", available: 100000, held: 0, pendingPayout: 0 },
    ]);

    // list an item for 10 minutes, starting at 10,000 KRW
    const listing = {
      title: "Walkman WM-2",
      description: "Works.",
      startingPrice: 10000,
      durationSeconds: 600,
    };
    const created = await seller.POST("/api/v1/auctions", {
      params: { header: { "idempotency-key": "first-listing" } },
      body: listing,
    });
    expect(created.response.status).toBe(201);
    const auction = created.data;
    if (!auction) throw new Error(`no auction: ${JSON.stringify(created.error)}`);
    expect(created.response.headers.get("location")).toBe(`/api/v1/auctions/${auction.id}`);
    expect(auction).toMatchObject({
      title: "Walkman WM-2",
      status: "open",
      currency: "KRW",
      currentPrice: 10000,
      minimumNextBid: 10000,
    });
    // The same key again: the first reply, not a second listing.
    const again = await seller.POST("/api/v1/auctions", {
      params: { header: { "idempotency-key": "first-listing" } },
      body: listing,
    });
    expect(again.data?.id).toBe(auction.id);
    const id = { params: { path: { id: auction.id } } };

    // Lee: a proxy bid up to 30,000; alone, Lee leads at the starting price
    const proxy = await lee.POST("/api/v1/auctions/{id}/bids", {
      params: { path: { id: auction.id }, header: { "idempotency-key": "bid-1" } },
      body: { maxAmount: 30000 },
    });
    expect(proxy.response.status).toBe(201);
    expect(proxy.data).toMatchObject({
      result: "leading",
      bid: { amount: 10000, maxAmount: 30000, kind: "proxy" },
      auction: { currentPrice: 10000, leaderIsYou: true, minimumNextBid: 11000 },
    });

    // Park bids 15,000: Lee's proxy answers at once, one increment above
    const outbid = await park.POST("/api/v1/auctions/{id}/bids", { ...id, body: { amount: 15000 } });
    expect(outbid.response.status).toBe(201);
    expect(outbid.data).toMatchObject({
      result: "outbid",
      auction: { currentPrice: 16000, leaderIsYou: false, minimumNextBid: 17000 },
    });

    // Park: a proxy bid up to 40,000 outbids Lee's maximum by one increment
    const leading = await park.POST("/api/v1/auctions/{id}/bids", { ...id, body: { maxAmount: 40000 } });
    expect(leading.response.status).toBe(201);
    expect(leading.data).toMatchObject({
      result: "leading",
      auction: { currentPrice: 31000, leaderIsYou: true, minimumNextBid: 32000 },
    });

    // strongly consistent detail
    const detail = await anonymous.GET("/api/v1/auctions/{id}", id);
    expect(detail.response.status).toBe(200);
    expect(detail.data).toMatchObject({ currentPrice: 31000, bidCount: 5, leader: { handle: "b***2" } });

    // history, newest first, bidders as anonymised handles
    const history = await anonymous.GET("/api/v1/auctions/{id}/bids", id);
    expect(history.response.status).toBe(200);
    expect(history.data?.items.map((b) => [b.bidder.handle, b.amount, b.kind])).toEqual([
      ["b***2", 31000, "proxy"],
      ["b***1", 30000, "proxy"],
      ["b***1", 16000, "proxy"],
      ["b***2", 15000, "manual"],
      ["b***1", 10000, "proxy"],
    ]);

    // the catalog (may lag ~1 s)
    const catalog = await eventually(
      async () => {
        const { data } = await anonymous.GET("/api/v1/auctions", {
          params: { query: { sort: "ending_soon" } },
        });
        const item = data?.items.find((a) => a.id === auction.id);
        return item?.currentPrice === 31000 ? item : undefined;
      },
      { what: "the catalog at 31,000" },
    );
    expect(catalog).toMatchObject({ title: "Walkman WM-2", bidCount: 5 });

    // the inboxes (the broker runs ~1 s behind): Kim hears of each bid, Lee of being outbid (and of
    // the top-up)
    const inbox = async (client: typeof seller, atLeast: number) => {
      const { data } = await client.GET("/api/v1/me/inbox");
      const items = data?.items ?? [];
      return items.length >= atLeast ? items : undefined;
    };
    const kims = await eventually(() => inbox(seller, 3), { what: "Kim's three messages" });
    expect(kims.map((m) => m.kind)).toEqual(["bid_received", "bid_received", "bid_received"]);
    const lees = await eventually(() => inbox(lee, 2), { what: "Lee's two messages" });
    expect(lees.map((m) => [m.kind, m.title, m.body])).toEqual([
      ["outbid", "You've been outbid", 'Someone outbid you on "Walkman WM-2"; the price is now 31,000 KRW.'],
      ["top_up_succeeded", "Top-up received", "100,000 KRW was added to your wallet."],
    ]);
    const unread = await lee.GET("/api/v1/me/inbox/unread-count");
    expect(unread.data).toEqual({ count: 2 });
  });
});
