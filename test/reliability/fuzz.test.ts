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
import {
  casesFor,
  chunkedOversizeCases,
  type FuzzCase,
  type FuzzContext,
  type Identity,
} from "./support-fuzz-cases";
import { excerpt, problemCode, problemDefect, type RawAnswer, sendRaw } from "./support-http";
import { type Operation, operationsOf } from "./support-openapi";

// Schema-driven fuzzing of the running server: for every operation in its own /openapi.json,
// requests malformed in every way the schema allows (see support-fuzz-cases.ts), as a signed-in
// user and anonymously. Every answer must be below 500, on a connection that was not dropped, and
// a problem+json with a string `code` when it is an error; where the spec fixes the answer
// (401, 413, 415, 422 VALIDATION_FAILED, 426…) it must be exactly that. Afterwards nothing may
// have changed except what the 2xx answers did. All findings are collected, then reported at once.

const SEED = 0x5eed_f022;

const IdSchema = z.object({ id: z.string() });
const PageSchema = z.object({
  items: z.array(z.object({ id: z.string() }).passthrough()),
  nextCursor: z.string().nullable(),
});
const AuctionStateSchema = z.object({ status: z.string(), bidCount: z.number(), title: z.string() });
const BidReplySchema = z.object({ auction: z.object({ bidCount: z.number() }) });

interface Finding {
  count: number;
  example: string;
}

/** What the catalog and the owner's own lists hold; compared before and after the run. */
interface Snapshot {
  catalog: string[];
  myAuctions: string[];
  myBids: string[];
  watchlist: string[];
  inbox: string[];
  auctions: Record<string, { status: string; bidCount: number; historyRows: number }>;
}

/** The writes the run was allowed to make: those answered 2xx. */
class Tally {
  readonly created = new Set<string>();
  readonly bidCounts = new Map<string, number>();
  readonly cancelled = new Set<string>();
  readonly bought = new Set<string>();
  watched = new Set<string>();
  successes = 0;

  record(c: FuzzCase, text: string): void {
    this.successes++;
    const id = pathId(c.path);
    switch (`${c.method} ${c.op.path}`) {
      case "POST /api/v1/auctions":
        this.created.add(IdSchema.parse(JSON.parse(text)).id);
        break;
      case "POST /api/v1/auctions/{id}/bids":
        if (id !== null) {
          const count = BidReplySchema.parse(JSON.parse(text)).auction.bidCount;
          this.bidCounts.set(id, Math.max(count, this.bidCounts.get(id) ?? 0));
        }
        break;
      case "PUT /api/v1/auctions/{id}/watch":
        if (id !== null && c.identity === "owner") this.watched.add(id);
        break;
      case "DELETE /api/v1/auctions/{id}/watch":
        if (id !== null && c.identity === "owner") this.watched.delete(id);
        break;
      case "DELETE /api/v1/auctions/{id}":
        if (id !== null) this.cancelled.add(id);
        break;
      case "POST /api/v1/auctions/{id}/buy-now":
        if (id !== null) this.bought.add(id);
        break;
    }
  }
}

function pathId(path: string): string | null {
  const segment = /^\/api\/v1\/(?:auctions|me\/inbox)\/([^/?]+)/.exec(path)?.[1];
  if (segment === undefined) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

describe("fuzz: every operation of /openapi.json, malformed every way its schema allows", () => {
  let server: TestServer | undefined;
  let baseUrl: string;
  let ownerToken: string;
  let ownerUsername: string;
  let ctx: FuzzContext;
  let operations: Operation[];
  let before: Snapshot;
  const tally = new Tally();
  const findings = new Map<string, Finding>();
  const requestsByKind = new Map<string, number>();
  let requests = 0;

  beforeAll(async () => {
    server = await startServer();
    baseUrl = server.baseUrl;
    const client = api(baseUrl);
    ownerUsername = uniqueUsername("fzowner");
    const owner = await signUpAndLogin(baseUrl, ownerUsername);
    // An admin, so the /admin routes' input is fuzzed too rather than refused by their guard; an
    // admin has no other powers, and cannot be suspended, so the run cannot lock the owner out.
    // Granted before the token is first used, so no session is cached without the role.
    await grantAdmin(server, ownerUsername);
    ownerToken = owner.token;
    const other = await signUpAndLogin(baseUrl, uniqueUsername("fzother"));
    // Money to bid with (SPEC §8), so the fuzzer's valid bids can succeed as a real bidder's do.
    await fund(baseUrl, ownerToken);
    await fund(baseUrl, other.token);

    const create = async (token: string, title: string) => {
      const res = await client.post(
        "/api/v1/auctions",
        { title, startingPrice: 1_000, durationSeconds: 3_600 },
        { token, headers: { "idempotency-key": randomUUID() } },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return IdSchema.parse(res.body).id;
    };
    const ownerAuction = await create(ownerToken, "Owner's lot");
    const otherAuction = await create(other.token, "Another seller's lot");
    // A bid on the owner's lot: the owner can then neither cancel it nor change its prices (so the
    // fuzzer's valid requests cannot erase the fixture), and gets an inbox message to fuzz with.
    const bid = await client.post(`/api/v1/auctions/${ownerAuction}/bids`, {}, { token: other.token });
    expect(bid.status, JSON.stringify(bid.body)).toBe(201);
    // Both of the owner's messages are in before the run starts: its inbox must not change after.
    const messageId = await eventually(
      async () => {
        const res = await client.get("/api/v1/me/inbox", { token: ownerToken });
        const items = PageSchema.parse(res.body).items;
        if (!items.some((item) => item.kind === "top_up_succeeded")) return undefined;
        return items.find((item) => item.kind === "bid_received")?.id;
      },
      { what: "the owner's top_up_succeeded and bid_received messages" },
    );
    ctx = { auctionIds: [ownerAuction, otherAuction], ownAuctionId: ownerAuction, messageId };

    const doc = await fetch(new URL("/openapi.json", baseUrl));
    expect(doc.status).toBe(200);
    operations = operationsOf(await doc.json());
    before = await snapshot(baseUrl, ownerToken, ctx.auctionIds);
    tally.watched = new Set(before.watchlist);
  });

  afterAll(async () => {
    const kinds = [...requestsByKind].map(([k, n]) => `${k}: ${n}`).join(", ");
    console.info(`fuzz: ${requests} requests (${kinds})`);
    await server?.stop();
  });

  /** Logging out must not end the session the rest of the run uses: that case gets its own. */
  async function tokenFor(c: FuzzCase): Promise<string> {
    if (c.op.method !== "DELETE" || c.op.path !== "/api/v1/sessions/current") return ownerToken;
    const login = await api(baseUrl).post("/api/v1/sessions", {
      username: ownerUsername,
      password: TEST_PASSWORD,
    });
    return z.object({ token: z.string() }).parse(login.body).token;
  }

  async function run(c: FuzzCase): Promise<void> {
    const headers = { ...c.headers };
    const token = c.auth && c.identity === "owner" ? await tokenFor(c) : null;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const answer = await sendRaw(baseUrl, {
      method: c.method,
      path: c.path,
      headers,
      ...(c.body !== undefined ? { body: c.body } : {}),
      ...(c.chunked ? { chunked: true } : {}),
    });
    requests++;
    const family = c.kind.split(/[ :(]/)[0] ?? c.kind;
    requestsByKind.set(family, (requestsByKind.get(family) ?? 0) + 1);
    const defect = judge(c, answer);
    if (defect !== null) {
      const key = `${c.op.method} ${c.op.path} [${c.identity}] ${c.kind} → ${defect}`;
      const seen = findings.get(key);
      if (seen) seen.count++;
      else findings.set(key, { count: 1, example: repro(c, headers, answer) });
    }
    if (answer.ok && !answer.upgraded && answer.status >= 200 && answer.status < 300 && c.method !== "HEAD") {
      tally.record(c, answer.text);
    }
  }

  function report(): string[] {
    return [...findings].map(([key, f]) => `${key} (×${f.count})\n    ${f.example}`);
  }

  it("reads the operations from the server's own /openapi.json", () => {
    const names = operations.map((op) => `${op.method} ${op.path}`);
    expect(names).toContain("POST /api/v1/auctions/{id}/bids");
    expect(operations.filter((op) => op.websocket).map((op) => op.path)).toEqual([
      "/api/v1/me/live",
      "/api/v1/auctions/{id}/live",
    ]);
  });

  it("answers every malformed request with a 4xx problem: never a 5xx, never a dropped connection", async () => {
    for (const op of operations) {
      for (const identity of ["owner", "anonymous"] satisfies Identity[]) {
        for (const c of casesFor(op, identity, ctx, SEED)) await run(c);
      }
    }
    const health = await sendRaw(baseUrl, { method: "GET", path: "/api/v1/health" });
    expect(health.ok && health.status, "the server is still up").toBe(200);
    expect(report(), `${findings.size} distinct findings`).toEqual([]);
  });

  it("stores text NFC-normalised (SPEC §2)", async () => {
    const client = api(baseUrl);
    const created = await client.post(
      "/api/v1/auctions",
      { title: "Cafe\u0301 \u1100\u1161\u11a8", startingPrice: 1_000, durationSeconds: 3_600 },
      { token: ownerToken, headers: { "idempotency-key": randomUUID() } },
    );
    requests++;
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tally.created.add(IdSchema.parse(created.body).id);
    expect(AuctionStateSchema.parse(created.body).title).toBe("Caf\u00e9 \uac01");
  });

  it("wrote nothing beyond what its 2xx answers did", async () => {
    const expected = {
      catalog: sorted([...before.catalog, ...tally.created]),
      myAuctions: sorted([...before.myAuctions, ...tally.created]),
      myBids: sorted([...before.myBids, ...tally.bidCounts.keys()]),
      watchlist: sorted(tally.watched),
      inbox: before.inbox,
    };
    // My bids come from the projection the queue feeds: wait for it rather than racing it.
    const after = await eventually(
      async () => {
        const now = await snapshot(baseUrl, ownerToken, ctx.auctionIds);
        return JSON.stringify(now.myBids) === JSON.stringify(expected.myBids) ? now : undefined;
      },
      { what: "my bids to match the accepted bids", timeoutMs: 15_000 },
    ).catch(() => snapshot(baseUrl, ownerToken, ctx.auctionIds));
    expect({
      catalog: after.catalog,
      myAuctions: after.myAuctions,
      myBids: after.myBids,
      watchlist: after.watchlist,
      inbox: after.inbox,
    }).toEqual(expected);
    for (const id of ctx.auctionIds) {
      const was = before.auctions[id];
      const bidCount = Math.max(was?.bidCount ?? 0, tally.bidCounts.get(id) ?? 0);
      const status = tally.cancelled.has(id) ? "cancelled" : tally.bought.has(id) ? "closed" : was?.status;
      expect(after.auctions[id], `auction ${id}`).toEqual({ status, bidCount, historyRows: bidCount });
    }
    console.info(
      `fuzz: ${tally.successes} 2xx answers (${tally.created.size} auctions created, ${tally.bidCounts.size} auctions bid on, ` +
        `${tally.watched.size} watched)`,
    );
  });

  // Last, because the server may not survive it: a body over the limit without a Content-Length.
  it("refuses oversized chunked bodies with 413 and stays up", async () => {
    for (const c of chunkedOversizeCases(operations, ctx, SEED)) await run(c);
    const health = await sendRaw(baseUrl, { method: "GET", path: "/api/v1/health" });
    const findingsText = report().filter((line) => line.includes("oversize chunked"));
    expect(
      { findings: findingsText, alive: health.ok && health.status === 200 },
      `wrangler output:\n${server?.logTail(30)}`,
    ).toEqual({ findings: [], alive: true });
  });
});

function judge(c: FuzzCase, a: RawAnswer): string | null {
  if (!a.ok) return `dropped connection (${a.error})`;
  if (c.expect.kind === "proxied-handshake") return a.status >= 500 ? `${a.status} from the dev proxy` : null;
  if (a.upgraded) return `switched protocols (${a.status})`;
  if (a.status >= 500) return `${a.status} ${problemCode(a.text) ?? ""}`.trim();
  const contentType = a.headers["content-type"];
  if (a.status >= 400) {
    const defect = problemDefect(c.method, a.status, contentType, a.text);
    if (defect !== null) return `${a.status}, ${defect}`;
  }
  const code = a.status >= 400 ? problemCode(a.text) : null;
  const got = `${a.status}${code ? ` ${code}` : ""}`;
  switch (c.expect.kind) {
    case "non5xx":
      return null;
    case "4xx":
      return a.status >= 400 ? null : `${got}, expected a 4xx problem`;
    case "exact": {
      const ok = c.expect.allowed.some(
        (x) => x.status === a.status && (x.code === undefined || x.code === code || c.method === "HEAD"),
      );
      const wanted = c.expect.allowed.map((x) => `${x.status}${x.code ? ` ${x.code}` : ""}`).join(" or ");
      return ok ? null : `${got}, expected ${wanted}`;
    }
  }
}

function repro(c: FuzzCase, headers: Record<string, string>, a: RawAnswer): string {
  const shown = Object.entries(headers)
    .map(
      ([k, v]) =>
        `${k}: ${k === "authorization" && v.startsWith("Bearer ") && v.length > 40 ? "Bearer <token>" : excerpt(v, 60)}`,
    )
    .join("; ");
  const body = c.body === undefined ? "" : ` body ${excerpt(c.body, 160)}${c.chunked ? " (chunked)" : ""}`;
  const answer = a.ok
    ? `${a.status} ${a.headers["content-type"] ?? "(no content-type)"} ${excerpt(a.text, 240)}`
    : `no answer: ${a.error}`;
  return `${c.method} ${excerpt(c.path, 140)} [${shown}]${body} ⇒ ${answer}`;
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

async function allIds(baseUrl: string, path: string, token?: string): Promise<string[]> {
  const client = api(baseUrl);
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res = await client.get(
      `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      {
        ...(token ? { token } : {}),
      },
    );
    if (res.status !== 200)
      throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    const page = PageSchema.parse(res.body);
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

async function snapshot(baseUrl: string, token: string, auctionIds: readonly string[]): Promise<Snapshot> {
  const client = api(baseUrl);
  const auctions: Snapshot["auctions"] = {};
  for (const id of auctionIds) {
    const res = await client.get(`/api/v1/auctions/${id}`);
    const state = AuctionStateSchema.parse(res.body);
    const history = await allIds(baseUrl, `/api/v1/auctions/${id}/bids`);
    auctions[id] = { status: state.status, bidCount: state.bidCount, historyRows: history.length };
  }
  // My bids list auctions (their ids under `auction`), not bids.
  const myBids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await client.get(
      `/api/v1/me/bids?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      {
        token,
      },
    );
    const page = z
      .object({ items: z.array(z.object({ auction: IdSchema })), nextCursor: z.string().nullable() })
      .parse(res.body);
    myBids.push(...page.items.map((item) => item.auction.id));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return {
    catalog: sorted(await allIds(baseUrl, "/api/v1/auctions")),
    myAuctions: sorted(await allIds(baseUrl, "/api/v1/me/auctions", token)),
    myBids: sorted(myBids),
    watchlist: sorted(await allIds(baseUrl, "/api/v1/me/watchlist", token)),
    inbox: sorted(await allIds(baseUrl, "/api/v1/me/inbox", token)),
    auctions,
  };
}
