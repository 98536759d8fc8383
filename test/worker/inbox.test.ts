import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/worker/index";
import { call, expectProblem, signUp, type TestUser } from "../helpers";
import { bidPlaced, ENDS_AT, T0, uniqueAuctionId } from "../queue/events";

const BASE = Date.parse("2026-09-02T08:00:00.000Z");

interface SeedRow {
  id: string;
  createdAt: number;
  readAt?: number | null;
  kind?: string;
}

/**
 * Writes inbox rows directly, with chosen ids and times, for ordering and paging tests, and sets
 * the user's unread counter to match, as the broker keeps it.
 */
async function seed(user: TestUser, rows: SeedRow[]) {
  await env.DB.batch([
    ...rows.map((row) =>
      env.DB.prepare(
        `INSERT INTO inbox_messages (id, recipient_id, event_id, kind, auction_id, title, body, data, created_at, read_at)
         VALUES (?, ?, ?, ?, 'auc_seed', 'Auction ending soon', '"Lamp" ends soon; the price is 5,000 KRW.', ?, ?, ?)`,
      ).bind(
        row.id,
        user.id,
        `auc_seed:${row.id}`,
        row.kind ?? "auction_ending_soon",
        JSON.stringify({
          auctionId: "auc_seed",
          auctionTitle: "Lamp",
          price: 5_000,
          currency: "KRW",
          endsAt: "2026-09-03T00:00:00.000Z",
        }),
        row.createdAt,
        row.readAt ?? null,
      ),
    ),
    env.DB.prepare(
      `INSERT INTO inbox_unread (user_id, count)
       SELECT ?1, COUNT(*) FROM inbox_messages WHERE recipient_id = ?1 AND read_at IS NULL
       ON CONFLICT(user_id) DO UPDATE SET count = excluded.count`,
    ).bind(user.id),
  ]);
}

function ids(body: { items: { id: string }[] }) {
  return body.items.map((item) => item.id);
}

/** Seeds messages m01…mNN for a fresh user, one second apart (m01 oldest). */
async function userWithMessages(prefix: string, count: number, readIds: string[] = []) {
  const user = await signUp(prefix);
  const rows = Array.from({ length: count }, (_, i) => {
    const id = `msg_${user.id}_m${String(i + 1).padStart(2, "0")}`;
    return {
      id,
      createdAt: BASE + i * 1000,
      readAt: readIds.includes(`m${String(i + 1).padStart(2, "0")}`) ? BASE + 60_000 : null,
    };
  });
  await seed(user, rows);
  const m = (n: number) => `msg_${user.id}_m${String(n).padStart(2, "0")}`;
  return { user, m };
}

describe("inbox through the broker", () => {
  it("shows the message the broker wrote, in the API's shape", async () => {
    const loser = await signUp("inboxloser");
    const auctionId = uniqueAuctionId();
    const batch = createMessageBatch("auction-events", [
      {
        id: "inbox-e2e",
        timestamp: new Date(T0),
        attempts: 1,
        body: bidPlaced(auctionId, 3, {
          bidderId: "usr_b",
          leaderId: "usr_b",
          previousLeaderId: loser.id,
          price: 12_000,
        }),
      },
    ]);
    await worker.queue(batch, env);
    const res = await call("GET", "/api/v1/me/inbox", { token: loser.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          id: expect.stringMatching(/^msg_/),
          kind: "outbid",
          auctionId,
          title: "You've been outbid",
          body: 'Someone outbid you on "Vintage film camera"; the price is now 12,000 KRW.',
          data: {
            auctionId,
            auctionTitle: "Vintage film camera",
            price: 12_000,
            currency: "KRW",
            endsAt: new Date(ENDS_AT).toISOString(),
            leaderHandle: "b***1",
            bidCount: 2,
          },
          createdAt: new Date(T0 + 3000).toISOString(),
          readAt: null,
        },
      ],
      nextCursor: null,
    });
  });
});

describe("GET /api/v1/me/inbox", () => {
  it("requires a session", async () => {
    expectProblem(await call("GET", "/api/v1/me/inbox"), 401, "UNAUTHENTICATED");
    expectProblem(await call("GET", "/api/v1/me/inbox/unread-count"), 401, "UNAUTHENTICATED");
    expectProblem(await call("POST", "/api/v1/me/inbox/read-all"), 401, "UNAUTHENTICATED");
    expectProblem(await call("POST", "/api/v1/me/inbox/msg_x/read"), 401, "UNAUTHENTICATED");
  });

  it("lists newest first, and only the caller's messages", async () => {
    const { user, m } = await userWithMessages("inboxlist", 3);
    await userWithMessages("inboxother", 2);
    const res = await call("GET", "/api/v1/me/inbox", { token: user.token });
    expect(ids(res.body)).toEqual([m(3), m(2), m(1)]);
    expect(res.body.items[0]).toEqual({
      id: m(3),
      kind: "auction_ending_soon",
      auctionId: "auc_seed",
      title: "Auction ending soon",
      body: '"Lamp" ends soon; the price is 5,000 KRW.',
      data: {
        auctionId: "auc_seed",
        auctionTitle: "Lamp",
        price: 5_000,
        currency: "KRW",
        endsAt: "2026-09-03T00:00:00.000Z",
      },
      createdAt: new Date(BASE + 2000).toISOString(),
      readAt: null,
    });
  });

  it("filters to unread with ?unread=true", async () => {
    const { user, m } = await userWithMessages("inboxunread", 4, ["m02", "m04"]);
    const unread = await call("GET", "/api/v1/me/inbox?unread=true", { token: user.token });
    expect(ids(unread.body)).toEqual([m(3), m(1)]);
    const all = await call("GET", "/api/v1/me/inbox?unread=false", { token: user.token });
    expect(ids(all.body)).toEqual([m(4), m(3), m(2), m(1)]);
    expect(all.body.items[0].readAt).toBe(new Date(BASE + 60_000).toISOString());
  });

  it("pages with a keyset cursor, ties on createdAt broken by id, no item twice or missing", async () => {
    const user = await signUp("inboxpage");
    // Five messages, two sharing a timestamp.
    await seed(user, [
      { id: `msg_${user.id}_a`, createdAt: BASE },
      { id: `msg_${user.id}_b`, createdAt: BASE + 1000 },
      { id: `msg_${user.id}_c`, createdAt: BASE + 1000 },
      { id: `msg_${user.id}_d`, createdAt: BASE + 2000 },
      { id: `msg_${user.id}_e`, createdAt: BASE + 3000 },
    ]);
    const first = await call("GET", "/api/v1/me/inbox?limit=2", { token: user.token });
    expect(ids(first.body)).toEqual([`msg_${user.id}_e`, `msg_${user.id}_d`]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call("GET", `/api/v1/me/inbox?limit=2&cursor=${first.body.nextCursor}`, {
      token: user.token,
    });
    expect(ids(second.body)).toEqual([`msg_${user.id}_c`, `msg_${user.id}_b`]);
    // A message arriving meanwhile does not shift the pages.
    await seed(user, [{ id: `msg_${user.id}_f`, createdAt: BASE + 4000 }]);
    const third = await call("GET", `/api/v1/me/inbox?limit=2&cursor=${second.body.nextCursor}`, {
      token: user.token,
    });
    expect(ids(third.body)).toEqual([`msg_${user.id}_a`]);
    expect(third.body.nextCursor).toBeNull();
  });

  it("pages through unread messages only when filtered", async () => {
    const { user, m } = await userWithMessages("inboxpageunread", 5, ["m04"]);
    const first = await call("GET", "/api/v1/me/inbox?unread=true&limit=2", { token: user.token });
    expect(ids(first.body)).toEqual([m(5), m(3)]);
    const second = await call("GET", `/api/v1/me/inbox?unread=true&limit=2&cursor=${first.body.nextCursor}`, {
      token: user.token,
    });
    expect(ids(second.body)).toEqual([m(2), m(1)]);
    expect(second.body.nextCursor).toBeNull();
  });

  it.each([
    ["a tampered cursor", "?cursor=not-a-cursor", "INVALID_CURSOR"],
    ["a cursor with a text key", `?cursor=${btoa(JSON.stringify(["x", "msg_1"]))}`, "INVALID_CURSOR"],
    ["limit 0", "?limit=0", "INVALID_PARAMETER"],
    ["limit 101", "?limit=101", "INVALID_PARAMETER"],
    ["unread=yes", "?unread=yes", "INVALID_PARAMETER"],
  ])("refuses %s with 400", async (_name, query, code) => {
    const user = await signUp("inboxbad");
    expectProblem(await call("GET", `/api/v1/me/inbox${query}`, { token: user.token }), 400, code);
  });
});

describe("unread count, read and read-all", () => {
  it("counts unread messages", async () => {
    const { user } = await userWithMessages("inboxcount", 3, ["m01"]);
    const res = await call("GET", "/api/v1/me/inbox/unread-count", { token: user.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ count: 2 });
  });

  it("marks one message read, keeps the first readAt on a repeat, and the count drops", async () => {
    const { user, m } = await userWithMessages("inboxread", 2);
    const before = Date.now();
    const res = await call("POST", `/api/v1/me/inbox/${m(1)}/read`, { token: user.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: m(1), kind: "auction_ending_soon", readAt: expect.any(String) });
    expect(Date.parse(res.body.readAt)).toBeGreaterThanOrEqual(before - 1000);
    const again = await call("POST", `/api/v1/me/inbox/${m(1)}/read`, { token: user.token });
    expect(again.body.readAt).toBe(res.body.readAt);
    expect((await call("GET", "/api/v1/me/inbox/unread-count", { token: user.token })).body).toEqual({
      count: 1,
    });
    const unread = await call("GET", "/api/v1/me/inbox?unread=true", { token: user.token });
    expect(ids(unread.body)).toEqual([m(2)]);
  });

  it("answers 404 INBOX_MESSAGE_NOT_FOUND for another user's message and leaves it unread", async () => {
    const { user: alice, m } = await userWithMessages("inboxalice", 1);
    const bob = await signUp("inboxbob");
    const res = await call("POST", `/api/v1/me/inbox/${m(1)}/read`, { token: bob.token });
    expectProblem(res, 404, "INBOX_MESSAGE_NOT_FOUND");
    expect(res.text).not.toContain("Lamp");
    expect(ids((await call("GET", "/api/v1/me/inbox", { token: bob.token })).body)).toEqual([]);
    expect((await call("GET", "/api/v1/me/inbox/unread-count", { token: alice.token })).body).toEqual({
      count: 1,
    });
  });

  it("answers 404 INBOX_MESSAGE_NOT_FOUND for an unknown id", async () => {
    const user = await signUp("inboxunknown");
    expectProblem(
      await call("POST", "/api/v1/me/inbox/msg_nope/read", { token: user.token }),
      404,
      "INBOX_MESSAGE_NOT_FOUND",
    );
  });

  it("marks all read, says how many, touches nobody else's, and is idempotent", async () => {
    const { user, m } = await userWithMessages("inboxall", 3, ["m02"]);
    const { user: other } = await userWithMessages("inboxallother", 2);
    const res = await call("POST", "/api/v1/me/inbox/read-all", { token: user.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ updated: 2 });
    expect((await call("GET", "/api/v1/me/inbox/unread-count", { token: user.token })).body).toEqual({
      count: 0,
    });
    const list = await call("GET", "/api/v1/me/inbox", { token: user.token });
    // The one read earlier keeps its own readAt.
    expect(list.body.items.find((i: { id: string }) => i.id === m(2)).readAt).toBe(
      new Date(BASE + 60_000).toISOString(),
    );
    expect((await call("POST", "/api/v1/me/inbox/read-all", { token: user.token })).body).toEqual({
      updated: 0,
    });
    expect((await call("GET", "/api/v1/me/inbox/unread-count", { token: other.token })).body).toEqual({
      count: 2,
    });
  });
});
