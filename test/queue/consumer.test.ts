import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HUB_USER_HEADER } from "../../src/durable/user-hub";
import worker from "../../src/worker/index";
import { probeOf } from "../durable/socket-probe";
import { bidPlaced, cancelled, closed, ENDS_AT, endingSoon, event, T0, uniqueAuctionId } from "./events";

const EVENTS_QUEUE = "auction-events";
const DLQ = "auction-events-dlq";

let messageCounter = 0;

interface Delivery {
  body: unknown;
  attempts?: number;
}

/** Runs the worker's queue handler on one batch, as the Queues runtime would, and reports ack/retry. */
async function deliver(queue: string, deliveries: Delivery[], handlerEnv: Env = env) {
  const messages = deliveries.map((d) => {
    messageCounter += 1;
    return { id: `qmsg-${messageCounter}`, timestamp: new Date(T0), attempts: d.attempts ?? 1, body: d.body };
  });
  const batch = createMessageBatch(queue, messages);
  // getQueueResult reports which messages were retried but not the delay asked for.
  const retryDelays: Record<string, number | undefined> = {};
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options) => {
      retryDelays[message.id] = options?.delaySeconds;
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, handlerEnv);
  const result: { explicitAcks: string[]; retryMessages: { msgId: string }[] } = await getQueueResult(
    batch,
    ctx,
  );
  return { ids: messages.map((m) => m.id), result, retryDelays };
}

const publish = (...bodies: unknown[]) =>
  deliver(
    EVENTS_QUEUE,
    bodies.map((body) => ({ body })),
  );

interface InboxRow {
  recipient_id: string;
  kind: string;
  title: string;
  body: string;
  data: string;
  event_id: string;
  created_at: number;
  read_at: number | null;
}

async function inboxOf(auctionId: string) {
  const { results } = await env.DB.prepare(
    "SELECT recipient_id, kind, title, body, data, event_id, created_at, read_at FROM inbox_messages WHERE auction_id = ? ORDER BY recipient_id, kind",
  )
    .bind(auctionId)
    .all<InboxRow>();
  return results;
}

async function kindsOf(auctionId: string) {
  return (await inboxOf(auctionId)).map((r) => [r.recipient_id, r.kind]);
}

async function watch(auctionId: string, ...userIds: string[]) {
  await env.DB.batch(
    userIds.map((userId) =>
      env.DB.prepare("INSERT INTO watchers (user_id, auction_id, created_at) VALUES (?, ?, ?)").bind(
        userId,
        auctionId,
        T0,
      ),
    ),
  );
}

/** A live socket of `userId`'s hub, opened as the worker does for a signed-in user. */
async function liveSocket(userId: string) {
  const response = await env.USER_HUB.getByName(userId).fetch("https://user-hub/connect", {
    headers: { upgrade: "websocket", [HUB_USER_HEADER]: userId },
  });
  return probeOf(response);
}

let userCounter = 0;
function uniqueUserId(prefix: string): string {
  userCounter += 1;
  return `${prefix}${userCounter}${Math.random().toString(36).slice(2, 8)}`;
}

/** A USER_HUB binding that records each push (recipient, kinds, prices) instead of sending it. */
function recordingHubs() {
  const calls: { recipientId: string; kinds: string[]; prices: unknown[] }[] = [];
  const binding = {
    getByName: (recipientId: string) => ({
      notifyMany: (messages: { kind: string; data: { price: unknown } }[]) => {
        calls.push({
          recipientId,
          kinds: messages.map((m) => m.kind),
          prices: messages.map((m) => m.data.price),
        });
        return Promise.resolve(messages.length);
      },
    }),
  } as unknown as Env["USER_HUB"];
  return { calls, binding };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("broker: catalog and bidders projection", () => {
  it("acks a valid event and projects it into the catalog", async () => {
    const auctionId = uniqueAuctionId();
    const { ids, result } = await publish(event(auctionId, 1, { type: "auction.created" }));
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    const row = await env.DB.prepare("SELECT title, status, last_seq FROM auctions WHERE id = ?")
      .bind(auctionId)
      .first();
    expect(row).toEqual({ title: "Vintage film camera", status: "open", last_seq: 1 });
  });

  it("accepts the event as JSON text, the way an AuctionRoom publishes it", async () => {
    const auctionId = uniqueAuctionId();
    const { ids, result } = await publish(JSON.stringify(event(auctionId, 1, { type: "auction.created" })));
    expect(result.explicitAcks).toEqual(ids);
    const row = await env.DB.prepare("SELECT last_seq FROM auctions WHERE id = ?").bind(auctionId).first();
    expect(row).toEqual({ last_seq: 1 });
  });

  it("dead-letters text that is not JSON", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { ids, result } = await publish("{not json");
    expect(result.explicitAcks).toEqual(ids);
    const row = await env.DB.prepare("SELECT body FROM dead_letters WHERE id = ?").bind(ids[0]).first();
    expect(row).toEqual({ body: JSON.stringify("{not json") });
  });

  it("leaves the catalog at the newest seq when events arrive out of order", async () => {
    const auctionId = uniqueAuctionId();
    const newer = bidPlaced(auctionId, 3, {
      bidderId: "usr_b",
      leaderId: "usr_b",
      previousLeaderId: "usr_a",
      price: 11_000,
    });
    const older = bidPlaced(auctionId, 2, {
      bidderId: "usr_a",
      leaderId: "usr_a",
      previousLeaderId: null,
      price: 10_000,
    });
    await publish(newer);
    await publish(older);
    const row = await env.DB.prepare("SELECT current_price, leader_id, last_seq FROM auctions WHERE id = ?")
      .bind(auctionId)
      .first();
    expect(row).toEqual({ current_price: 11_000, leader_id: "usr_b", last_seq: 3 });
    const bidders = await env.DB.prepare(
      "SELECT user_id FROM auction_bidders WHERE auction_id = ? ORDER BY user_id",
    )
      .bind(auctionId)
      .all();
    expect(bidders.results).toEqual([{ user_id: "usr_a" }, { user_id: "usr_b" }]);
  });
});

describe("broker: inbox fan-out", () => {
  it("bid.placed: outbid to the previous leader, bid_received to the seller, with texts and data", async () => {
    const auctionId = uniqueAuctionId();
    await publish(
      bidPlaced(auctionId, 3, {
        bidderId: "usr_b",
        leaderId: "usr_b",
        previousLeaderId: "usr_a",
        price: 12_000,
      }),
    );
    const rows = await inboxOf(auctionId);
    expect(rows.map((r) => [r.recipient_id, r.kind])).toEqual([
      ["usr_a", "outbid"],
      ["usr_seller", "bid_received"],
    ]);
    expect(rows[0]).toMatchObject({
      title: "You've been outbid",
      body: 'Someone outbid you on "Vintage film camera"; the price is now 12,000 KRW.',
      event_id: `${auctionId}:3`,
      created_at: T0 + 3000,
      read_at: null,
    });
    expect(JSON.parse(rows[0]?.data ?? "")).toEqual({
      auctionId,
      auctionTitle: "Vintage film camera",
      price: 12_000,
      currency: "KRW",
      endsAt: new Date(ENDS_AT).toISOString(),
      leaderHandle: "b***1",
      bidCount: 2,
    });
  });

  it("bid.placed with max_raised writes no message but still records the bidder", async () => {
    const auctionId = uniqueAuctionId();
    await publish(
      bidPlaced(auctionId, 4, {
        bidderId: "usr_a",
        leaderId: "usr_a",
        previousLeaderId: "usr_a",
        price: 12_000,
        result: "max_raised",
      }),
    );
    expect(await kindsOf(auctionId)).toEqual([]);
    const bidder = await env.DB.prepare("SELECT user_id FROM auction_bidders WHERE auction_id = ?")
      .bind(auctionId)
      .first();
    expect(bidder).toEqual({ user_id: "usr_a" });
  });

  it("auction.ending_soon: bidders and watchers once each, not the seller", async () => {
    const auctionId = uniqueAuctionId();
    await watch(auctionId, "usr_b", "usr_w", "usr_seller");
    await publish(endingSoon(auctionId, 6, ["usr_a", "usr_b"]));
    expect(await kindsOf(auctionId)).toEqual([
      ["usr_a", "auction_ending_soon"],
      ["usr_b", "auction_ending_soon"],
      ["usr_w", "auction_ending_soon"],
    ]);
  });

  it("auction.closed sold: won, lost for the other bidders, sold for the seller; watchers hear nothing", async () => {
    const auctionId = uniqueAuctionId();
    await watch(auctionId, "usr_w");
    await publish(
      closed(auctionId, 9, {
        outcome: "sold",
        winnerId: "usr_b",
        finalPrice: 15_000,
        bidderIds: ["usr_a", "usr_b", "usr_c"],
      }),
    );
    expect(await kindsOf(auctionId)).toEqual([
      ["usr_a", "auction_lost"],
      ["usr_b", "auction_won"],
      ["usr_c", "auction_lost"],
      ["usr_seller", "auction_sold"],
    ]);
  });

  it("auction.closed unsold: lost for the bidders, unsold for the seller", async () => {
    const auctionId = uniqueAuctionId();
    await publish(
      closed(auctionId, 9, { outcome: "unsold", winnerId: null, finalPrice: null, bidderIds: ["usr_a"] }),
    );
    expect(await kindsOf(auctionId)).toEqual([
      ["usr_a", "auction_lost"],
      ["usr_seller", "auction_unsold"],
    ]);
  });

  it("auction.cancelled: bidders and watchers, not the seller", async () => {
    const auctionId = uniqueAuctionId();
    await watch(auctionId, "usr_w", "usr_seller");
    await publish(cancelled(auctionId, 3, ["usr_a"]));
    expect(await kindsOf(auctionId)).toEqual([
      ["usr_a", "auction_cancelled"],
      ["usr_w", "auction_cancelled"],
    ]);
  });

  it.each([
    ["auction.created", { type: "auction.created" }],
    ["auction.updated", { type: "auction.updated" }],
    ["auction.opened", { type: "auction.opened" }],
    ["auction.extended", { type: "auction.extended", endsAt: ENDS_AT + 300_000, previousEndsAt: ENDS_AT }],
  ] as const)("%s writes no message", async (_type, draft) => {
    const auctionId = uniqueAuctionId();
    await watch(auctionId, "usr_w");
    const { ids, result } = await publish(event(auctionId, 2, draft));
    expect(result.explicitAcks).toEqual(ids);
    expect(await kindsOf(auctionId)).toEqual([]);
  });

  it("writes one row per recipient when an event is delivered twice, in one batch or in two", async () => {
    const auctionId = uniqueAuctionId();
    const e = bidPlaced(auctionId, 3, {
      bidderId: "usr_b",
      leaderId: "usr_b",
      previousLeaderId: "usr_a",
      price: 12_000,
    });
    const first = await publish(e, e);
    const second = await publish(e);
    expect(first.result.explicitAcks).toEqual(first.ids);
    expect(second.result.explicitAcks).toEqual(second.ids);
    expect(await kindsOf(auctionId)).toEqual([
      ["usr_a", "outbid"],
      ["usr_seller", "bid_received"],
    ]);
  });

  it("counts each new message once in the recipient's unread counter, redelivery included", async () => {
    const auctionId = uniqueAuctionId();
    const loser = `usr_loser_${auctionId}`;
    const e = bidPlaced(auctionId, 3, {
      bidderId: "usr_b",
      leaderId: "usr_b",
      previousLeaderId: loser,
      price: 12_000,
    });
    await publish(e, e);
    await publish(e);
    await publish(
      bidPlaced(auctionId, 5, {
        bidderId: "usr_c",
        leaderId: "usr_c",
        previousLeaderId: loser,
        price: 14_000,
      }),
    );
    const counter = await env.DB.prepare("SELECT count FROM inbox_unread WHERE user_id = ?")
      .bind(loser)
      .first("count");
    expect(counter).toBe(2);
  });

  it("handles a fan-out larger than one insert statement", async () => {
    const auctionId = uniqueAuctionId();
    const bidders = Array.from({ length: 130 }, (_, i) => `usr_many${String(i).padStart(3, "0")}`);
    await watch(auctionId, ...Array.from({ length: 30 }, (_, i) => `usr_watch${i}`));
    await publish(endingSoon(auctionId, 5, bidders));
    const rows = await inboxOf(auctionId);
    expect(rows).toHaveLength(160);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(["auction_ending_soon"]));
  });
});

describe("broker: live push", () => {
  it("pushes each new message to the recipient's sockets with the unread count", async () => {
    const auctionId = uniqueAuctionId();
    const previousLeader = `usr_push${Math.random().toString(36).slice(2, 10)}`;
    const socket = await liveSocket(previousLeader);
    await publish(
      bidPlaced(auctionId, 2, {
        bidderId: previousLeader,
        leaderId: previousLeader,
        previousLeaderId: null,
        price: 10_000,
      }),
    );
    await publish(
      bidPlaced(auctionId, 3, {
        bidderId: "usr_b",
        leaderId: "usr_b",
        previousLeaderId: previousLeader,
        price: 11_000,
      }),
    );
    await publish(
      bidPlaced(auctionId, 5, {
        bidderId: "usr_c",
        leaderId: "usr_c",
        previousLeaderId: previousLeader,
        price: 13_000,
      }),
    );
    const row = await env.DB.prepare("SELECT id FROM inbox_messages WHERE recipient_id = ? AND event_id = ?")
      .bind(previousLeader, `${auctionId}:3`)
      .first<{ id: string }>();
    expect(await socket.nextJson()).toEqual({
      type: "notification",
      message: {
        id: row?.id,
        kind: "outbid",
        auctionId,
        title: "You've been outbid",
        body: 'Someone outbid you on "Vintage film camera"; the price is now 11,000 KRW.',
        data: {
          auctionId,
          auctionTitle: "Vintage film camera",
          price: 11_000,
          currency: "KRW",
          endsAt: new Date(ENDS_AT).toISOString(),
          leaderHandle: "b***1",
          bidCount: 2,
        },
        createdAt: new Date(T0 + 3000).toISOString(),
        readAt: null,
      },
      unreadCount: 1,
    });
    expect(await socket.nextJson()).toMatchObject({
      type: "notification",
      message: { data: { price: 13_000 } },
      unreadCount: 2,
    });
  });

  it("does not push a redelivered event a second time", async () => {
    const auctionId = uniqueAuctionId();
    const seller = `usr_pushseller${Math.random().toString(36).slice(2, 10)}`;
    const socket = await liveSocket(seller);
    const e = bidPlaced(auctionId, 2, {
      bidderId: "usr_a",
      leaderId: "usr_a",
      previousLeaderId: null,
      price: 10_000,
      sellerId: seller,
    });
    await publish(e);
    await publish(e);
    expect(await socket.nextJson()).toMatchObject({
      type: "notification",
      message: { kind: "bid_received" },
    });
    // Every push finished before the handler returned, so a second one would precede this pong.
    socket.ws.send("ping");
    expect(await socket.next()).toBe("pong");
  });

  it("pushes a recipient's share of a batch in one call, in order, and writes the catalog once per auction", async () => {
    const auctionId = uniqueAuctionId();
    // Ids of this test alone: other tests' hubs may have listed theirs as offline.
    const [first, seller] = [uniqueUserId("usr_first"), uniqueUserId("usr_seller")];
    const hubs = recordingHubs();
    let catalogWrites = 0;
    const countingDb = {
      prepare: (sql: string) => {
        if (sql.includes("INSERT INTO auctions")) catalogWrites += 1;
        return env.DB.prepare(sql);
      },
      batch: (statements: D1PreparedStatement[]) => env.DB.batch(statements),
    } as unknown as D1Database;
    const { ids, result } = await deliver(
      EVENTS_QUEUE,
      [
        {
          body: bidPlaced(auctionId, 2, {
            bidderId: first,
            leaderId: first,
            previousLeaderId: null,
            price: 10_000,
            sellerId: seller,
          }),
        },
        {
          body: bidPlaced(auctionId, 3, {
            bidderId: "usr_b",
            leaderId: "usr_b",
            previousLeaderId: first,
            price: 11_000,
            sellerId: seller,
          }),
        },
      ],
      { ...env, USER_HUB: hubs.binding, DB: countingDb },
    );
    expect(result.explicitAcks).toEqual(ids);
    expect(hubs.calls.sort((x, y) => x.recipientId.localeCompare(y.recipientId))).toEqual([
      { recipientId: first, kinds: ["outbid"], prices: [11_000] },
      { recipientId: seller, kinds: ["bid_received", "bid_received"], prices: [10_000, 11_000] },
    ]);
    expect(catalogWrites).toBe(1);
    const row = await env.DB.prepare("SELECT last_seq, current_price FROM auctions WHERE id = ?")
      .bind(auctionId)
      .first();
    expect(row).toEqual({ last_seq: 3, current_price: 11_000 });
  });

  it("does not wake the hub of a recipient whose hub said it has no live socket; the row is still written", async () => {
    const auctionId = uniqueAuctionId();
    const [offlineLeader, seller] = [uniqueUserId("usr_offline"), uniqueUserId("usr_seller")];
    await env.DB.prepare("INSERT INTO live_offline (user_id, since) VALUES (?, ?)")
      .bind(offlineLeader, T0)
      .run();
    const hubs = recordingHubs();
    const { ids, result } = await deliver(
      EVENTS_QUEUE,
      [
        {
          body: bidPlaced(auctionId, 3, {
            bidderId: "usr_b",
            leaderId: "usr_b",
            previousLeaderId: offlineLeader,
            price: 11_000,
            sellerId: seller,
          }),
        },
      ],
      { ...env, USER_HUB: hubs.binding },
    );
    expect(result.explicitAcks).toEqual(ids);
    expect(hubs.calls).toEqual([{ recipientId: seller, kinds: ["bid_received"], prices: [11_000] }]);
    expect(await kindsOf(auctionId)).toEqual([
      [offlineLeader, "outbid"],
      [seller, "bid_received"],
    ]);
  });

  it("keeps the inbox row and acks the message when the push fails", async () => {
    const auctionId = uniqueAuctionId();
    const seller = uniqueUserId("usr_seller");
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const brokenHubs = {
      getByName: () => ({ notifyMany: () => Promise.reject(new Error("hub unreachable")) }),
    } as unknown as Env["USER_HUB"];
    const { ids, result } = await deliver(
      EVENTS_QUEUE,
      [
        {
          body: bidPlaced(auctionId, 2, {
            bidderId: "usr_a",
            leaderId: "usr_a",
            previousLeaderId: null,
            price: 10_000,
            sellerId: seller,
          }),
        },
      ],
      { ...env, USER_HUB: brokenHubs },
    );
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    expect(await kindsOf(auctionId)).toEqual([[seller, "bid_received"]]);
    expect(error).toHaveBeenCalledWith(expect.stringContaining("push failed"));
  });
});

describe("broker: failures", () => {
  it("retries only the message whose write failed, with exponential backoff", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const good = uniqueAuctionId();
    const bad = uniqueAuctionId();
    const flakyDb = {
      prepare: (sql: string) => env.DB.prepare(sql),
      batch: (statements: D1PreparedStatement[]) => env.DB.batch(statements),
    };
    let calls = 0;
    flakyDb.batch = (statements) => {
      calls += 1;
      // 1: the whole batch in one transaction fails; 2: the good message alone succeeds;
      // 3: the bad one alone fails again.
      return calls === 1 || calls === 3
        ? Promise.reject(new Error("D1_ERROR: overloaded"))
        : env.DB.batch(statements);
    };
    const { ids, result, retryDelays } = await deliver(
      EVENTS_QUEUE,
      [
        { body: event(good, 1, { type: "auction.created" }) },
        { body: event(bad, 1, { type: "auction.created" }), attempts: 3 },
      ],
      { ...env, DB: flakyDb as unknown as D1Database },
    );
    expect(result.explicitAcks).toEqual([ids[0]]);
    expect(result.retryMessages).toEqual([{ msgId: ids[1] }]);
    // Third attempt: 2^3 s.
    expect(retryDelays).toEqual({ [String(ids[1])]: 8 });
    expect(calls).toBe(3);
  });

  it("writes a whole batch of events in one D1 transaction", async () => {
    const first = uniqueAuctionId();
    const second = uniqueAuctionId();
    let calls = 0;
    const countingDb = {
      prepare: (sql: string) => env.DB.prepare(sql),
      batch: (statements: D1PreparedStatement[]) => {
        calls += 1;
        return env.DB.batch(statements);
      },
    };
    const { ids, result } = await deliver(
      EVENTS_QUEUE,
      [
        { body: event(first, 1, { type: "auction.created" }) },
        { body: event(second, 1, { type: "auction.created" }) },
      ],
      { ...env, DB: countingDb as unknown as D1Database },
    );
    expect(result.explicitAcks).toEqual(ids);
    expect(calls).toBe(1);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM auctions WHERE id IN (?, ?)")
      .bind(first, second)
      .first("n");
    expect(rows).toBe(2);
  });

  it("sends a malformed body straight to dead_letters and acks it", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const { ids, result } = await publish({ type: "bid.placed", auctionId: "auc_x" });
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    const row = await env.DB.prepare(
      "SELECT queue, message_id, body, attempts FROM dead_letters WHERE id = ?",
    )
      .bind(ids[0])
      .first();
    expect(row).toEqual({
      queue: EVENTS_QUEUE,
      message_id: ids[0],
      body: JSON.stringify({ type: "bid.placed", auctionId: "auc_x" }),
      attempts: 1,
    });
    expect(error).toHaveBeenCalledWith(expect.stringContaining("dead-lettered event"));
  });

  it("dead-letters an event of a version it does not know", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const future = { ...event(uniqueAuctionId(), 1, { type: "auction.created" }), v: 2 };
    const { ids } = await publish(future);
    const row = await env.DB.prepare("SELECT queue FROM dead_letters WHERE id = ?").bind(ids[0]).first();
    expect(row).toEqual({ queue: EVENTS_QUEUE });
  });

  it("records what the dead-letter queue receives, logs it, and acks it", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const body = event(uniqueAuctionId(), 1, { type: "auction.created" });
    const { ids, result } = await deliver(DLQ, [{ body, attempts: 1 }]);
    expect(result.explicitAcks).toEqual(ids);
    const row = await env.DB.prepare("SELECT queue, body FROM dead_letters WHERE id = ?")
      .bind(ids[0])
      .first();
    expect(row).toEqual({ queue: DLQ, body: JSON.stringify(body) });
    expect(error).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(error.mock.calls[0]?.[0]))).toMatchObject({
      level: "error",
      message: "dead-lettered event",
      queue: DLQ,
      id: ids[0],
    });
  });
});

/** A stand-in for the AuctionRoom namespace that records every confirmEvents call. */
function recordingRooms(fail: (auctionId: string) => boolean = () => false) {
  const calls: { auctionId: string; seqs: number[] }[] = [];
  const rooms = {
    getByName: (auctionId: string) => ({
      confirmEvents: (seqs: number[]) => {
        calls.push({ auctionId, seqs });
        return fail(auctionId) ? Promise.reject(new Error("room unreachable")) : Promise.resolve();
      },
    }),
  } as unknown as Env["AUCTION_ROOM"];
  const sorted = () => [...calls].sort((x, y) => x.auctionId.localeCompare(y.auctionId));
  return { rooms, calls, sorted };
}

describe("broker: confirming to the rooms (SPEC §1, events are never lost)", () => {
  it("confirms exactly the seqs it wrote, in one call per auction per batch", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const [first, second] = [uniqueAuctionId(), uniqueAuctionId()].sort();
    const { rooms, calls, sorted } = recordingRooms();
    const e5 = bidPlaced(String(first), 5, {
      bidderId: "usr_b",
      leaderId: "usr_b",
      previousLeaderId: "usr_a",
      price: 12_000,
    });
    const { ids, result } = await deliver(
      EVENTS_QUEUE,
      [
        { body: e5 },
        { body: JSON.stringify(event(String(second), 2, { type: "auction.updated" })) },
        { body: event(String(first), 3, { type: "auction.updated" }) },
        { body: e5 }, // the same event twice in one batch
        { body: "{not json" }, // dead-lettered, nothing to confirm
      ],
      { ...env, AUCTION_ROOM: rooms },
    );
    expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    expect(calls).toHaveLength(2);
    expect(sorted()).toEqual([
      { auctionId: first, seqs: [3, 5] },
      { auctionId: second, seqs: [2] },
    ]);
  });

  it("confirms only the events whose writes succeeded when a batch is split", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const good = uniqueAuctionId();
    const bad = uniqueAuctionId();
    let calls = 0;
    const flakyDb = {
      prepare: (sql: string) => env.DB.prepare(sql),
      batch: (statements: D1PreparedStatement[]) => {
        calls += 1;
        // 1: the whole batch fails; 2 and 3: the good events alone succeed; 4: the bad one fails.
        return calls === 1 || calls === 4
          ? Promise.reject(new Error("D1_ERROR: overloaded"))
          : env.DB.batch(statements);
      },
    } as unknown as D1Database;
    const { rooms, sorted } = recordingRooms();
    const { ids, result } = await deliver(
      EVENTS_QUEUE,
      [
        { body: event(good, 1, { type: "auction.created" }) },
        { body: event(good, 2, { type: "auction.updated" }) },
        { body: event(bad, 1, { type: "auction.created" }) },
      ],
      { ...env, DB: flakyDb, AUCTION_ROOM: rooms },
    );
    expect(result.retryMessages).toEqual([{ msgId: ids[2] }]);
    expect(sorted()).toEqual([{ auctionId: good, seqs: [1, 2] }]);
  });

  it("logs a failed confirmation and still acks the messages: their effects are written", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const reachable = uniqueAuctionId();
    const unreachable = uniqueAuctionId();
    const { rooms, sorted } = recordingRooms((id) => id === unreachable);
    const { ids, result } = await deliver(
      EVENTS_QUEUE,
      [
        { body: event(unreachable, 1, { type: "auction.created" }) },
        { body: event(reachable, 1, { type: "auction.created" }) },
      ],
      { ...env, AUCTION_ROOM: rooms },
    );
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    expect(sorted().map((c) => c.auctionId)).toEqual([reachable, unreachable].sort());
    const logged = error.mock.calls.map((c) => JSON.parse(String(c[0])));
    expect(logged).toEqual([
      {
        level: "warn",
        message: "confirm to room failed; the room will send its events again",
        auctionId: unreachable,
        seqs: [1],
        error: "Error: room unreachable",
      },
    ]);
  });

  it("confirms an event once the dead-letter queue has recorded it, so the room stops sending it", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const auctionId = uniqueAuctionId();
    const { rooms, sorted } = recordingRooms();
    const { ids, result } = await deliver(
      DLQ,
      [
        { body: JSON.stringify(event(auctionId, 4, { type: "auction.updated" })) },
        { body: { type: "bid.placed" } }, // no auction or seq: nothing to confirm
      ],
      { ...env, AUCTION_ROOM: rooms },
    );
    expect(result.explicitAcks).toEqual(ids);
    expect(sorted()).toEqual([{ auctionId, seqs: [4] }]);
  });
});
