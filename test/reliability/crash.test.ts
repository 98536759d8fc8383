import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type ApiClient,
  api,
  signUpAndLogin,
  signUpFunded,
  startServer,
  type TestServer,
  uniqueUsername,
} from "../e2e/harness";
import {
  expectedBidMessages,
  expectedCloseMessages,
  historyWithBidders,
  messageKey,
  type Viewer,
  wholeInbox,
} from "./crash-observe";

// SPEC §1: events are never lost, not even when the queue loses messages (the local queue keeps
// them in memory). Bidders bid concurrently on two auctions; workerd is SIGKILLed mid-load, with
// events in the queue's batch window; a short auction's end falls while the server is down; the
// server restarts on the same state. Then every acknowledged bid must be in its room, and every
// committed event's inbox messages present exactly once.

const BIDDERS = 8;
/** Each bidder bids on each auction about every 250 ms: under the limit of 5 bids per second. */
const PACE_MS = 250;
/** The crash comes as this request goes out: in the middle of the load, with requests in flight. */
const CRASH_AT_REQUEST = 150;
/** …or after this long, whichever comes first (a slow machine still crashes mid-load). */
const CRASH_AFTER_MS = 10_000;
/** A bound on the load: each bidder stops after this many requests per auction. */
const MAX_REQUESTS_PER_CLIENT = 30;
/** The short auction ends this long after it opens: after the crash, before the restart. */
const SHORT_AUCTION_SECONDS = 15;
/**
 * How long the broker may take to catch up after the restart: a lost event is sent again 30 s
 * after its first send (src/durable/outbox.ts), plus the queue's 1 s batch window and slack.
 */
const CATCH_UP_TIMEOUT_MS = 75_000;

const createdSchema = z.object({ id: z.string(), endsAt: z.string() });
const bidReplySchema = z.object({
  bid: z.object({ id: z.string(), amount: z.number() }),
  result: z.enum(["leading", "outbid", "max_raised"]),
});
const detailSchema = z.object({
  status: z.string(),
  outcome: z.string().nullable(),
  winnerId: z.string().nullable(),
  currentPrice: z.number(),
});

interface Acknowledged {
  auctionId: string;
  bidderId: string;
  id: string;
  amount: number;
  result: "leading" | "outbid" | "max_raised";
}

describe("a crash of workerd under load loses no bid and no event", () => {
  let server: TestServer | undefined;

  afterAll(async () => {
    await server?.stop();
  });

  it("keeps every acknowledged bid, delivers every committed event's messages once, and closes the auction that ended while down", async () => {
    const testStarted = Date.now();
    server = await startServer();
    let client: ApiClient = api(server.baseUrl);

    const sellerSession = await signUpAndLogin(server.baseUrl, uniqueUsername("seller"));
    const seller: Viewer = { id: sellerSession.user.id, token: sellerSession.token };
    const bidders: Viewer[] = (
      await Promise.all(
        Array.from({ length: BIDDERS }, (_, i) =>
          signUpFunded(String(server?.baseUrl), uniqueUsername(`b${i}`)),
        ),
      )
    ).map((s) => ({ id: s.user.id, token: s.token }));

    const create = async (title: string, durationSeconds: number) => {
      const res = await client.post(
        "/api/v1/auctions",
        { title, startingPrice: 10_000, durationSeconds, softClose: null },
        { token: seller.token },
      );
      expect(res.status).toBe(201);
      return createdSchema.parse(res.body);
    };
    const hot = await create("Hot item", 3600);
    const short = await create("Short item", SHORT_AUCTION_SECONDS);
    const shortEndsAt = Date.parse(short.endsAt);

    // ---- load, and the crash in the middle of it
    const acknowledged: Acknowledged[] = [];
    const refused = new Map<string, number>();
    let requests = 0;
    let failedInFlight = 0;
    let crashing = false;
    let signalCrash: () => void = () => {};
    const crashDue = new Promise<void>((resolve) => {
      signalCrash = resolve;
    });
    const crashTimer = setTimeout(() => signalCrash(), CRASH_AFTER_MS);

    const bidLoop = async (bidder: Viewer, auctionId: string) => {
      for (let n = 0; n < MAX_REQUESTS_PER_CLIENT && !crashing; n++) {
        const started = Date.now();
        requests += 1;
        if (requests >= CRASH_AT_REQUEST) signalCrash();
        try {
          const res = await client.post(
            `/api/v1/auctions/${auctionId}/bids`,
            {},
            { token: bidder.token, headers: { "idempotency-key": `crash-${bidder.id}-${auctionId}-${n}` } },
          );
          if (res.status === 201) {
            const reply = bidReplySchema.parse(res.body);
            acknowledged.push({ auctionId, bidderId: bidder.id, ...reply.bid, result: reply.result });
          } else {
            const code = z.object({ code: z.string() }).safeParse(res.body);
            const key = `${res.status} ${code.success ? code.data.code : ""}`;
            refused.set(key, (refused.get(key) ?? 0) + 1);
          }
        } catch {
          // The connection died with the server: not acknowledged, maybe committed.
          failedInFlight += 1;
        }
        await sleep(Math.max(0, PACE_MS - (Date.now() - started)));
      }
    };
    const load = Promise.all(bidders.flatMap((b) => [bidLoop(b, hot.id), bidLoop(b, short.id)]));

    await crashDue;
    clearTimeout(crashTimer);
    const crashedAt = Date.now();
    // Requests already sent stay in flight and die with the server; no new ones start.
    crashing = true;
    const killed = await server.crash();
    await load;
    expect(killed.length).toBeGreaterThan(0);
    // The premise: the short auction was still open when the server died.
    expect(crashedAt).toBeLessThan(shortEndsAt);

    // ---- down until the short auction's end has passed, then a restart on the same state
    await sleep(Math.max(0, shortEndsAt + 1_000 - Date.now()));
    const stateDir = server.stateDir;
    server = await startServer({ stateDir });
    client = api(server.baseUrl);
    const restartedAt = Date.now();

    // ---- every acknowledged bid is in its room's history
    const hotHistory = await historyWithBidders(client, hot.id, bidders);
    const shortHistory = await historyWithBidders(client, short.id, bidders);
    const historyById = new Map([...hotHistory, ...shortHistory].map((e) => [e.id, e]));
    // A leader's repeat bid only raises their maximum: acknowledged, but not a history entry.
    const publicBids = acknowledged.filter((a) => a.result !== "max_raised");
    expect(publicBids.filter((a) => historyById.get(a.id)?.bidderId !== a.bidderId)).toEqual([]);
    expect(publicBids.filter((a) => historyById.get(a.id)?.amount !== a.amount)).toEqual([]);

    // ---- the short auction closed exactly once, sold to its last bidder
    const detail = detailSchema.parse((await client.get(`/api/v1/auctions/${short.id}`)).body);
    const lastShortBid = shortHistory.at(-1);
    expect(detail).toEqual({
      status: "closed",
      outcome: "sold",
      winnerId: lastShortBid?.bidderId,
      currentPrice: lastShortBid?.amount,
    });

    // ---- every committed event's messages, exactly once, once the broker has caught up
    const expected = [
      ...expectedBidMessages(hot.id, seller.id, hotHistory),
      ...expectedBidMessages(short.id, seller.id, shortHistory),
      ...expectedCloseMessages(short.id, seller.id, shortHistory),
    ].sort();
    const people = [seller, ...bidders];
    const readMessages = async () => {
      const keys: string[] = [];
      for (const person of people) {
        for (const item of await wholeInbox(client, person.token)) {
          // "Ending soon" goes out when the short auction opens, before anyone bid: checked below.
          // The top-ups that gave the bidders money came before the load: not what this counts.
          if (item.kind !== "auction_ending_soon" && item.kind !== "top_up_succeeded")
            keys.push(messageKey(person.id, item));
        }
      }
      return keys.sort();
    };
    const missing = (actual: string[]) => {
      const left = [...actual];
      return expected.filter((key) => {
        const at = left.indexOf(key);
        if (at === -1) return true;
        left.splice(at, 1);
        return false;
      });
    };

    let actual = await readMessages();
    const missingAtRestart = missing(actual).length;
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    while (missing(actual).length > 0 && Date.now() < deadline) {
      await sleep(500);
      actual = await readMessages();
    }
    const caughtUpAfterMs = Date.now() - restartedAt;
    // The rooms log each redelivery ("sent unconfirmed events again", with a count).
    const redelivered = [
      ...server.logTail(100_000).matchAll(/sent unconfirmed events again[^\n]*?"count":(\d+)/g),
    ]
      .map((m) => Number(m[1]))
      .reduce((sum, n) => sum + n, 0);

    console.log(
      JSON.stringify({
        crash: "numbers",
        requests,
        acknowledged: acknowledged.length,
        maxRaised: acknowledged.length - publicBids.length,
        refused: Object.fromEntries(refused),
        failedInFlight,
        committedBids: { hot: hotHistory.length, short: shortHistory.length },
        committedButNotAcknowledged: hotHistory.length + shortHistory.length - publicBids.length,
        messagesExpected: expected.length,
        missingAtRestart,
        redelivered,
        caughtUpAfterMs,
        totalMs: Date.now() - testStarted,
      }),
    );

    // Exact: nothing missing, nothing twice, nothing unexplained.
    expect({ missing: missing(actual), count: actual.length }).toEqual({
      missing: [],
      count: expected.length,
    });
    expect(actual).toEqual(expected);
    const endingSoon = (
      await Promise.all(
        people.map(async (p) => (await wholeInbox(client, p.token)).map((m) => messageKey(p.id, m))),
      )
    )
      .flat()
      .filter((key) => key.includes("auction_ending_soon"));
    expect(endingSoon.length).toBe(new Set(endingSoon).size);
  });
});
