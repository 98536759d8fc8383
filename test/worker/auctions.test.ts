import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { upsertCatalog } from "../../src/db/queries/catalog";
import { app } from "../../src/worker/app";
import { storedEvents } from "../durable/auction-room/helpers";
import { call, createAuction, expectProblem, signUp, signUpFunded } from "../helpers";

const base = { title: "Leica M6", description: "Classic.", startingPrice: 10_000, durationSeconds: 3600 };

async function catalogRow(id: string) {
  return env.DB.prepare("SELECT id, status, current_price FROM auctions WHERE id = ?").bind(id).first();
}

describe("POST /api/v1/auctions", () => {
  it("creates an open auction with defaults, a Location header and the seller's view", async () => {
    const seller = await signUp("seller");
    const before = Date.now();
    const res = await call("POST", "/api/v1/auctions", {
      token: seller.token,
      body: { ...base, reservePrice: 20_000 },
    });
    expect(res.status).toBe(201);
    const a = res.body;
    expect(res.headers.get("location")).toBe(`/api/v1/auctions/${a.id}`);
    expect(a).toMatchObject({
      sellerId: seller.id,
      seller: { id: seller.id, nickname: seller.nickname },
      title: "Leica M6",
      currency: "KRW",
      status: "open",
      outcome: null,
      endedBy: null,
      currentPrice: 10_000,
      bidCount: 0,
      leader: null,
      leaderIsYou: false,
      minimumNextBid: 10_000,
      reservePrice: 20_000,
      reserveMet: false,
      buyNowPrice: null,
      buyNowAvailable: false,
      softClose: { windowSeconds: 300, extendSeconds: 300, hardEndsAt: null },
      extendedCount: 0,
      winnerId: null,
      imageUrls: [],
      category: null,
    });
    const duration = Date.parse(a.endsAt) - Date.parse(a.startsAt);
    expect(duration).toBe(3_600_000);
    expect(Date.parse(a.startsAt)).toBeGreaterThanOrEqual(before);
    expect(await catalogRow(a.id)).toMatchObject({ id: a.id, status: "open", current_price: 10_000 });
  });

  it("hides the reserve from everyone but the seller", async () => {
    const seller = await signUp("seller");
    const other = await signUp("viewer");
    const a = await createAuction(seller, { reservePrice: 50_000 });
    const asOther = await call("GET", `/api/v1/auctions/${a.id}`, { token: other.token });
    expect(asOther.body).not.toHaveProperty("reservePrice");
    expect(asOther.body.reserveMet).toBe(false);
    const anonymous = await call("GET", `/api/v1/auctions/${a.id}`);
    expect(anonymous.body).not.toHaveProperty("reservePrice");
    const asSeller = await call("GET", `/api/v1/auctions/${a.id}`, { token: seller.token });
    expect(asSeller.body.reservePrice).toBe(50_000);
  });

  it("schedules an auction that starts later", async () => {
    const seller = await signUp("seller");
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const a = await createAuction(seller, { startsAt, durationSeconds: 600 });
    expect(a.status).toBe("scheduled");
    expect(a.startsAt).toBe(startsAt);
  });

  it("accepts endsAt instead of durationSeconds, and soft close off", async () => {
    const seller = await signUp("seller");
    const endsAt = new Date(Date.now() + 7_200_000).toISOString();
    const { durationSeconds: _d, ...rest } = base;
    const res = await call("POST", "/api/v1/auctions", {
      token: seller.token,
      body: { ...rest, endsAt, softClose: null },
    });
    expect(res.status).toBe(201);
    expect(res.body.endsAt).toBe(endsAt);
    expect(res.body.softClose).toBeNull();
  });

  it.each([
    ["no title", { title: "" }, "title"],
    ["title too long", { title: "x".repeat(101) }, "title"],
    ["description too long", { description: "x".repeat(5001) }, "description"],
    ["bad category", { category: "Cameras!" }, "category"],
    ["http image", { imageUrls: ["http://img.example/a.jpg"] }, "imageUrls.0"],
    [
      "11 images",
      { imageUrls: Array.from({ length: 11 }, (_, i) => `https://img.example/${i}.jpg`) },
      "imageUrls",
    ],
    ["bad currency", { currency: "XYZ" }, "currency"],
    ["negative price", { startingPrice: -5 }, "startingPrice"],
    ["zero price", { startingPrice: 0 }, "startingPrice"],
    ["fractional price", { startingPrice: 10.5 }, "startingPrice"],
    ["price above 10^12", { startingPrice: 1_000_000_000_001 }, "startingPrice"],
    ["string price", { startingPrice: "10000" }, "startingPrice"],
    ["reserve below start", { reservePrice: 5_000 }, "reservePrice"],
    ["buy-now not above start", { buyNowPrice: 10_000 }, "buyNowPrice"],
    ["buy-now below reserve", { reservePrice: 30_000, buyNowPrice: 20_000 }, "buyNowPrice"],
    ["duration too short", { durationSeconds: 9 }, "durationSeconds"],
    ["duration too long", { durationSeconds: 30 * 86_400 + 1 }, "durationSeconds"],
    ["both end forms", { endsAt: new Date(Date.now() + 3_600_000).toISOString() }, "durationSeconds"],
    ["start too far", { startsAt: new Date(Date.now() + 31 * 86_400_000).toISOString() }, "startsAt"],
    ["start in the past", { startsAt: new Date(Date.now() - 3_600_000).toISOString() }, "startsAt"],
    ["currency without a table and no increment", { currency: "EUR" }, "minIncrement"],
    ["unknown field", { sellerId: "usr_someone_else" }, "(root)"],
    ["bad soft close", { softClose: { windowSeconds: 0, extendSeconds: 60 } }, "softClose.windowSeconds"],
    [
      "hard end before end",
      { softClose: { windowSeconds: 60, extendSeconds: 60, hardEndsAt: new Date().toISOString() } },
      "softClose.hardEndsAt",
    ],
  ])("refuses %s with 422 VALIDATION_FAILED and writes nothing", async (_name, patch, path) => {
    const seller = await signUp("invalid");
    const res = await call("POST", "/api/v1/auctions", { token: seller.token, body: { ...base, ...patch } });
    expectProblem(res, 422, "VALIDATION_FAILED");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM auctions WHERE seller_id = ?")
      .bind(seller.id)
      .first("n");
    expect(count).toBe(0);
  });

  it("accepts another ISO currency with an explicit increment", async () => {
    const seller = await signUp("eur");
    const a = await createAuction(seller, { currency: "EUR", minIncrement: 100, startingPrice: 1_000 });
    expect(a).toMatchObject({ currency: "EUR", minIncrement: 100, minimumNextBid: 1_000 });
  });

  it("requires authentication", async () => {
    expectProblem(await call("POST", "/api/v1/auctions", { body: base }), 401, "UNAUTHENTICATED");
  });

  it("replays the first reply for the same Idempotency-Key and refuses a different body (422)", async () => {
    const seller = await signUp("idem");
    const headers = { "idempotency-key": "create-1" };
    const first = await call("POST", "/api/v1/auctions", { token: seller.token, headers, body: base });
    const again = await call("POST", "/api/v1/auctions", { token: seller.token, headers, body: base });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM auctions WHERE seller_id = ?")
      .bind(seller.id)
      .first("n");
    expect(count).toBe(1);
    const changed = await call("POST", "/api/v1/auctions", {
      token: seller.token,
      headers,
      body: { ...base, title: "Other" },
    });
    expectProblem(changed, 422, "IDEMPOTENCY_KEY_REUSED");
    // Another user's identical key is theirs alone.
    const other = await signUp("idem2");
    const theirs = await call("POST", "/api/v1/auctions", { token: other.token, headers, body: base });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });
});

describe("GET /api/v1/auctions/{id}", () => {
  it("answers 404 AUCTION_NOT_FOUND for unknown and malformed ids", async () => {
    expectProblem(await call("GET", "/api/v1/auctions/auc_00000000000000000000"), 404, "AUCTION_NOT_FOUND");
    expectProblem(await call("GET", "/api/v1/auctions/not-an-id"), 404, "AUCTION_NOT_FOUND");
  });
});

describe("GET /api/v1/auctions (catalog)", () => {
  it("filters by seller, status, category and text, sorts, and pages with a cursor", async () => {
    const seller = await signUp("catalog");
    const cheap = await createAuction(seller, {
      title: "Cheap 100% wool scarf",
      startingPrice: 1_000,
      category: "fashion",
    });
    const mid = await createAuction(seller, {
      title: "Mid lamp",
      startingPrice: 5_000,
      category: "home",
      durationSeconds: 600,
    });
    const dear = await createAuction(seller, {
      title: "Dear piano",
      startingPrice: 900_000,
      category: "music",
      durationSeconds: 7200,
    });

    const byPrice = await call("GET", `/api/v1/auctions?sellerId=${seller.id}&sort=price_desc`);
    expect(byPrice.body.items.map((a: { id: string }) => a.id)).toEqual([dear.id, mid.id, cheap.id]);
    expect(byPrice.body.nextCursor).toBeNull();

    const ending = await call("GET", `/api/v1/auctions?sellerId=${seller.id}&sort=ending_soon`);
    expect(ending.body.items.map((a: { id: string }) => a.id)).toEqual([mid.id, cheap.id, dear.id]);

    const page1 = await call("GET", `/api/v1/auctions?sellerId=${seller.id}&sort=price_asc&limit=2`);
    expect(page1.body.items.map((a: { id: string }) => a.id)).toEqual([cheap.id, mid.id]);
    const page2 = await call(
      "GET",
      `/api/v1/auctions?sellerId=${seller.id}&sort=price_asc&limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.items.map((a: { id: string }) => a.id)).toEqual([dear.id]);
    expect(page2.body.nextCursor).toBeNull();

    const search = await call(
      "GET",
      `/api/v1/auctions?sellerId=${seller.id}&q=${encodeURIComponent("100%")}`,
    );
    expect(search.body.items.map((a: { id: string }) => a.id)).toEqual([cheap.id]);

    const music = await call("GET", `/api/v1/auctions?sellerId=${seller.id}&category=music`);
    expect(music.body.items.map((a: { id: string }) => a.id)).toEqual([dear.id]);

    const open = await call("GET", `/api/v1/auctions?sellerId=${seller.id}&status=open`);
    expect(open.body.items).toHaveLength(3);
    expect(open.body.items[0]).not.toHaveProperty("reservePrice");
  });

  it("tells a signed-in leader leaderIsYou in the listing, and nobody else", async () => {
    const seller = await signUp("lister");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller);
    await call("POST", `/api/v1/auctions/${a.id}/bids`, { token: alice.token, body: {} });
    // Project the bid into the catalog the way the broker does, without waiting for the queue.
    const bidEvent = (await storedEvents(a.id)).find((e) => e.type === "bid.placed");
    const event = JSON.parse(bidEvent?.body ?? "{}");
    await upsertCatalog(env.DB, a.id, event.seq, event.catalog).run();
    const path = `/api/v1/auctions?sellerId=${seller.id}`;
    expect((await call("GET", path, { token: alice.token })).body.items[0]).toMatchObject({
      id: a.id,
      leaderIsYou: true,
    });
    expect((await call("GET", path, { token: seller.token })).body.items[0].leaderIsYou).toBe(false);
    expect((await call("GET", path)).body.items[0].leaderIsYou).toBe(false);
  });

  it("answers 400 for a bad limit, sort or cursor", async () => {
    expectProblem(await call("GET", "/api/v1/auctions?limit=0"), 400, "INVALID_PARAMETER");
    expectProblem(await call("GET", "/api/v1/auctions?limit=101"), 400, "INVALID_PARAMETER");
    expectProblem(await call("GET", "/api/v1/auctions?sort=random"), 400, "INVALID_PARAMETER");
    expectProblem(await call("GET", "/api/v1/auctions?cursor=garbage"), 400, "INVALID_CURSOR");
  });
});

describe("PATCH and DELETE /api/v1/auctions/{id}", () => {
  it("lets the seller edit text and terms before the first bid", async () => {
    const seller = await signUp("patch");
    const a = await createAuction(seller);
    const res = await call("PATCH", `/api/v1/auctions/${a.id}`, {
      token: seller.token,
      body: { title: "Leica M6 TTL", startingPrice: 20_000, buyNowPrice: 90_000 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      title: "Leica M6 TTL",
      startingPrice: 20_000,
      currentPrice: 20_000,
      buyNowPrice: 90_000,
    });
    expect((await call("GET", `/api/v1/auctions/${a.id}`)).body.title).toBe("Leica M6 TTL");
  });

  it("refuses other users with 403 FORBIDDEN and invalid combinations with 422", async () => {
    const seller = await signUp("patch");
    const other = await signUp("intruder");
    const a = await createAuction(seller);
    expectProblem(
      await call("PATCH", `/api/v1/auctions/${a.id}`, { token: other.token, body: { title: "Mine" } }),
      403,
      "FORBIDDEN",
    );
    expectProblem(await call("DELETE", `/api/v1/auctions/${a.id}`, { token: other.token }), 403, "FORBIDDEN");
    expectProblem(
      await call("PATCH", `/api/v1/auctions/${a.id}`, { body: { title: "Anon" } }),
      401,
      "UNAUTHENTICATED",
    );
    const bad = await call("PATCH", `/api/v1/auctions/${a.id}`, {
      token: seller.token,
      body: { reservePrice: 1 },
    });
    expectProblem(bad, 422, "VALIDATION_FAILED");
    expectProblem(
      await call("PATCH", `/api/v1/auctions/${a.id}`, { token: seller.token, body: { sellerId: other.id } }),
      422,
      "VALIDATION_FAILED",
    );
    expectProblem(
      await call("PATCH", `/api/v1/auctions/${a.id}`, { token: seller.token, body: {} }),
      422,
      "VALIDATION_FAILED",
    );
    expect((await call("GET", `/api/v1/auctions/${a.id}`)).body.title).toBe(a.title);
  });

  it("freezes prices after the first bid but still allows text edits", async () => {
    const seller = await signUp("frozen");
    const bidder = await signUpFunded("bidder");
    const a = await createAuction(seller);
    expect(
      (await call("POST", `/api/v1/auctions/${a.id}/bids`, { token: bidder.token, body: { amount: 10_000 } }))
        .status,
    ).toBe(201);
    expectProblem(
      await call("PATCH", `/api/v1/auctions/${a.id}`, {
        token: seller.token,
        body: { startingPrice: 1_000 },
      }),
      409,
      "AUCTION_HAS_BIDS",
    );
    const text = await call("PATCH", `/api/v1/auctions/${a.id}`, {
      token: seller.token,
      body: { description: "Now with case." },
    });
    expect(text.status).toBe(200);
    expectProblem(
      await call("DELETE", `/api/v1/auctions/${a.id}`, { token: seller.token }),
      409,
      "AUCTION_HAS_BIDS",
    );
  });

  it("cancels an auction without bids; it then takes no bids or edits", async () => {
    const seller = await signUp("cancel");
    const bidder = await signUpFunded("late");
    const a = await createAuction(seller);
    const res = await call("DELETE", `/api/v1/auctions/${a.id}`, { token: seller.token });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("cancelled");
    expectProblem(
      await call("POST", `/api/v1/auctions/${a.id}/bids`, { token: bidder.token, body: {} }),
      409,
      "AUCTION_NOT_OPEN",
    );
    expectProblem(
      await call("PATCH", `/api/v1/auctions/${a.id}`, { token: seller.token, body: { title: "x" } }),
      409,
      "AUCTION_CLOSED",
    );
    expectProblem(
      await call("DELETE", `/api/v1/auctions/${a.id}`, { token: seller.token }),
      409,
      "AUCTION_NOT_OPEN",
    );
  });
});

describe("watchlist and my auctions", () => {
  it("watches and unwatches idempotently and lists my watchlist", async () => {
    const seller = await signUp("ws");
    const watcher = await signUp("watcher");
    const a = await createAuction(seller);
    const b = await createAuction(seller);
    expect((await call("PUT", `/api/v1/auctions/${a.id}/watch`, { token: watcher.token })).status).toBe(204);
    expect((await call("PUT", `/api/v1/auctions/${a.id}/watch`, { token: watcher.token })).status).toBe(204);
    expect((await call("PUT", `/api/v1/auctions/${b.id}/watch`, { token: watcher.token })).status).toBe(204);
    const list = await call("GET", "/api/v1/me/watchlist", { token: watcher.token });
    expect(list.body.items.map((x: { id: string }) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect((await call("DELETE", `/api/v1/auctions/${a.id}/watch`, { token: watcher.token })).status).toBe(
      204,
    );
    const after = await call("GET", "/api/v1/me/watchlist", { token: watcher.token });
    expect(after.body.items.map((x: { id: string }) => x.id)).toEqual([b.id]);
    expectProblem(
      await call("PUT", "/api/v1/auctions/auc_00000000000000000000/watch", { token: watcher.token }),
      404,
      "AUCTION_NOT_FOUND",
    );
    expectProblem(await call("GET", "/api/v1/me/watchlist"), 401, "UNAUTHENTICATED");
  });

  it("lists only my own auctions in /me/auctions", async () => {
    const seller = await signUp("mine");
    const other = await signUp("theirs");
    const mine = await createAuction(seller);
    await createAuction(other);
    const res = await call("GET", "/api/v1/me/auctions", { token: seller.token });
    expect(res.body.items.map((x: { id: string }) => x.id)).toEqual([mine.id]);
  });
});

describe("OpenAPI", () => {
  it("describes every route with request and response schemas", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    // Every route the app actually serves under /api and /media must be documented, with its
    // method (the catch-all that answers other /media addresses 404 serves nothing).
    const served = app.routes
      .filter((r) => /^\/(api|media)\//.test(r.path) && r.method !== "ALL" && !r.path.endsWith("*"))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    const paths = res.body.paths as Record<string, Record<string, { responses?: object }>>;
    const documented = Object.entries(paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(served.length).toBeGreaterThan(25);
    expect(documented.sort()).toEqual([...new Set(served)].sort());
    for (const [path, ops] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(ops)) expect(op.responses, `${method} ${path}`).toBeDefined();
    }
    expect(
      res.body.paths["/api/v1/auctions"].post.requestBody.content["application/json"].schema,
    ).toBeDefined();
    expect(res.body.components.schemas.Auction).toBeDefined();
    const docs = await exports.default.fetch("https://auction.test/docs");
    expect(docs.status).toBe(200);
    expect(docs.headers.get("content-type")).toContain("text/html");
    expect(await docs.text()).toContain("/openapi.json");
  });
});
