import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type ApiClient,
  api,
  eventually,
  signUpAndLogin,
  startServer,
  TEST_PASSWORD,
  type TestServer,
  uniqueUsername,
} from "./harness";

// The smoke path a real client takes, over HTTP against a real `wrangler dev`: accounts, sessions,
// creating an auction (DO write), reading it back (strongly consistent) and finding it in the
// listing (D1 projection fed through the queue, hence eventually consistent).

const userSchema = z.object({
  id: z.string().min(1),
  username: z.string(),
  nickname: z.string(),
  createdAt: z.string(),
});
const sessionSchema = z.object({ token: z.string().min(1), expiresAt: z.string(), user: userSchema });
const auctionSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  status: z.string(),
  currentPrice: z.number(),
  minimumNextBid: z.number(),
  sellerId: z.string(),
});
const listingSchema = z.object({
  items: z.array(z.object({ id: z.string() })),
  nextCursor: z.string().nullable(),
});
const problemSchema = z.object({ status: z.number(), code: z.string() });

/** POSTs `count` copies of `chunk` as JSON without a Content-Length, so it goes out chunked. */
function postChunked(
  url: URL,
  chunk: string,
  count: number,
): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (text: string) => {
        body += text;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers["content-type"] ?? "", body }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    for (let i = 0; i < count; i++) req.write(chunk);
    req.end();
  });
}

describe("smoke: accounts, sessions and an auction over HTTP", () => {
  let server: TestServer | undefined;
  let baseUrl: string;
  let client: ApiClient;

  beforeAll(async () => {
    server = await startServer();
    baseUrl = server.baseUrl;
    client = api(baseUrl);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("signs up, logs in, creates an auction, reads it back and finds it in the listing", async () => {
    const sellerName = uniqueUsername("seller");

    const signUp = await client.post("/api/v1/users", {
      username: sellerName,
      password: TEST_PASSWORD,
      nickname: "Seller",
    });
    expect(signUp.status, JSON.stringify(signUp.body)).toBe(201);
    const signedUp = userSchema.parse(signUp.body);
    expect(signedUp).toMatchObject({ username: sellerName, nickname: "Seller" });
    // The password (or its hash) must never come back.
    expect(JSON.stringify(signUp.body)).not.toContain(TEST_PASSWORD);

    const login = await client.post("/api/v1/sessions", { username: sellerName, password: TEST_PASSWORD });
    expect(login.status, JSON.stringify(login.body)).toBe(201);
    const session = sessionSchema.parse(login.body);
    expect(session.user.id).toBe(signedUp.id);
    expect(Date.parse(session.expiresAt)).toBeGreaterThan(Date.now());
    // Browsers authenticate WebSockets with the cookie, so login must set one, out of reach of scripts.
    expect(login.headers.get("set-cookie")).toMatch(/httponly/i);

    const me = await client.get("/api/v1/me", { token: session.token });
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(userSchema.parse(me.body)).toMatchObject({ id: signedUp.id, username: sellerName });

    // A second, independent account: its session must resolve to itself, not to the seller.
    const buyerName = uniqueUsername("buyer");
    const buyer = await signUpAndLogin(baseUrl, buyerName);
    const buyerMe = await client.get("/api/v1/me", { token: buyer.token });
    expect(buyerMe.status, JSON.stringify(buyerMe.body)).toBe(200);
    expect(userSchema.parse(buyerMe.body)).toMatchObject({ id: buyer.user.id, username: buyerName });
    expect(buyer.user.id).not.toBe(signedUp.id);

    const title = `Smoke test camera ${sellerName}`;
    const created = await client.post(
      "/api/v1/auctions",
      { title, description: "A film camera in working order.", startingPrice: 10000, durationSeconds: 3600 },
      { token: session.token, headers: { "idempotency-key": randomUUID() } },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const auction = auctionSchema.parse(created.body);
    expect(created.headers.get("location")).toBe(`/api/v1/auctions/${auction.id}`);
    expect(auction).toMatchObject({
      title,
      status: "open",
      currentPrice: 10000,
      minimumNextBid: 10000,
      sellerId: signedUp.id,
    });

    const detail = await client.get(`/api/v1/auctions/${auction.id}`, { token: buyer.token });
    expect(detail.status, JSON.stringify(detail.body)).toBe(200);
    expect(auctionSchema.parse(detail.body)).toMatchObject({ id: auction.id, title });

    // The listing is a D1 projection updated by the queue consumer: poll instead of sleeping.
    const listing = await eventually(
      async () => {
        const res = await client.get(`/api/v1/auctions?sellerId=${encodeURIComponent(signedUp.id)}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const page = listingSchema.parse(res.body);
        return page.items.some((item) => item.id === auction.id) ? page : undefined;
      },
      { timeoutMs: 10_000, what: `auction ${auction.id} in the seller's listing` },
    );
    expect(listing.items.map((item) => item.id)).toContain(auction.id);
  });

  it("refuses to create an auction without a session, as a problem+json 401", async () => {
    const res = await client.post(
      "/api/v1/auctions",
      { title: "No session", description: "", startingPrice: 10000, durationSeconds: 3600 },
      { headers: { "idempotency-key": randomUUID() } },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(problemSchema.parse(res.body)).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
  });

  // A chunked body has no Content-Length, so the limit is only found while reading it and the
  // refusal leaves the rest of the body unread. wrangler 4.124 then exited on the next request
  // (its proxy reused the half-read connection: "Network connection lost", empty "✘ [ERROR]").
  it("refuses a chunked body over 64 KiB as a problem+json 413 and goes on serving", async () => {
    const res = await postChunked(new URL("/api/v1/users", baseUrl), "a".repeat(10_000), 7);
    expect(res.status).toBe(413);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(problemSchema.parse(JSON.parse(res.body))).toMatchObject({
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
    });

    for (let i = 0; i < 3; i++) {
      const health = await client.get("/api/v1/health");
      expect(health.status, server?.logTail()).toBe(200);
    }
  });
});
