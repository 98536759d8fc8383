import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { reserveMet } from "../../src/durable/bidding";
import {
  api,
  signUpAndLogin,
  signUpFunded,
  startServer,
  type TestServer,
  uniqueUsername,
} from "../e2e/harness";
import {
  type BidBody,
  handleOf,
  incrementOf,
  initialState,
  type ModelRow,
  type ModelState,
  type ModelTerms,
  minimumOf,
  placeBid,
} from "./support-bid-model";
import { mapLimit, randomInt, seededRandom } from "./support-random";

// A concurrent storm of mixed bids on one auction, then a replay of the accepted bids, in the
// room's order, through the pure bidding rules (src/durable/bidding). The room serialises bids, so
// whatever the interleaving, its answers, final state and history must be exactly those of some
// serial order that respects real time — and the bid ids in the replies tell which order it was.

const SEED = 20_260_915;
const BIDDERS = 24;
const REQUESTS_PER_BIDDER = 45;
/** Pause between a bidder's requests: around the 5 bids/s limit, so the storm also meets 429s. */
const PAUSE_MS: readonly [number, number] = [120, 300];

const TERMS = {
  currency: "KRW",
  startingPrice: 1_000,
  // Crossed mid-storm, so the reserve jump (SPEC §5) is exercised.
  reservePrice: 200_000,
  // Far above where 1,000 bids can take the price, so buy-now stays available and the ceiling
  // check applies to every bid; a few bids aim at it on purpose.
  buyNowPrice: 900_000_000_000,
  minIncrement: null,
} as const;

/**
 * Each bidder's wallet (SPEC §8: a bid holds its commitment): the most one top-up may be (10^12),
 * above the buy-now price the storm aims at plus anything else a bidder can hold meanwhile (a
 * leading maximum: the price ends near 3 × 10^8), so nobody is ever refused for money and the
 * model, which knows nothing of money, holds.
 */
const FUNDS_PER_BIDDER = 1_000_000_000_000;

const BidReplySchema = z.object({
  bid: z.object({
    id: z.string(),
    amount: z.number().int(),
    maxAmount: z.number().int(),
    kind: z.enum(["manual", "proxy"]),
    placedAt: z.string(),
  }),
  result: z.enum(["leading", "outbid", "max_raised"]),
  auction: z.object({
    currentPrice: z.number().int(),
    bidCount: z.number().int(),
    leaderIsYou: z.boolean(),
    minimumNextBid: z.number().int(),
    reserveMet: z.boolean(),
    endsAt: z.string(),
    extended: z.boolean(),
  }),
});
type BidReply = z.infer<typeof BidReplySchema>;

const ProblemSchema = z.object({ code: z.string(), detail: z.string() });
const AuctionSchema = z.object({
  id: z.string(),
  status: z.string(),
  currentPrice: z.number(),
  bidCount: z.number(),
  leader: z.object({ handle: z.string() }).nullable(),
  leaderIsYou: z.boolean(),
  minimumNextBid: z.number(),
  reserveMet: z.boolean(),
  buyNowAvailable: z.boolean(),
});
const HistoryPageSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      amount: z.number(),
      kind: z.enum(["manual", "proxy"]),
      bidder: z.object({ handle: z.string() }),
      placedAt: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

/** One request of the storm, as the client saw it. Times are this process's clock (epoch ms). */
interface Attempt {
  index: number;
  bidderId: string;
  body: BidBody;
  idempotencyKey: string;
  /** Set when this request re-sent an earlier accepted one with the same key and body. */
  replayOf: number | null;
  sentAt: number;
  answeredAt: number;
  status: number;
  text: string;
  retryAfter: string | null;
}

interface Bidder {
  id: string;
  token: string;
}

describe("consistency: a concurrent bid storm replays exactly through the bidding rules", () => {
  let server: TestServer | undefined;
  let baseUrl: string;
  let terms: ModelTerms;
  let bidders: Bidder[];

  beforeAll(async () => {
    server = await startServer();
    baseUrl = server.baseUrl;
    const seller = await signUpAndLogin(baseUrl, uniqueUsername("seller"));
    // Sign-ups hash passwords (PBKDF2): a few at a time keeps the 2-core machine responsive.
    bidders = await mapLimit(
      Array.from({ length: BIDDERS }, (_, i) => i),
      4,
      async (i) => {
        const { token, user } = await signUpFunded(baseUrl, uniqueUsername(`bidder${i}`), FUNDS_PER_BIDDER);
        return { id: user.id, token };
      },
    );
    const created = await api(baseUrl).post(
      "/api/v1/auctions",
      {
        title: "Storm lot",
        startingPrice: TERMS.startingPrice,
        reservePrice: TERMS.reservePrice,
        buyNowPrice: TERMS.buyNowPrice,
        durationSeconds: 3600,
        softClose: null,
      },
      { token: seller.token, headers: { "idempotency-key": randomUUID() } },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const auctionId = z.object({ id: z.string() }).parse(created.body).id;
    terms = { auctionId, ...TERMS };
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("answers, final state and history match the rules replayed in the room's order", async () => {
    const attempts = await storm(baseUrl, terms, bidders);
    const byIndex = new Map(attempts.map((a) => [a.index, a]));

    // ---- every answer is one the spec allows
    const unexpected = attempts.filter((a) => !isExpectedAnswer(a));
    expect(
      unexpected.map(describeAttempt),
      `answers outside 201/422/429; wrangler output:\n${server?.logTail(40)}`,
    ).toEqual([]);

    // ---- a retry with the same Idempotency-Key answers the first reply, byte for byte
    for (const retry of attempts.filter((a) => a.replayOf !== null)) {
      const first = byIndex.get(retry.replayOf ?? -1);
      expect(retry.status, describeAttempt(retry)).toBe(201);
      expect(retry.text, describeAttempt(retry)).toBe(first?.text);
    }

    // ---- the room's order
    const accepted = attempts
      .filter((a) => a.status === 201 && a.replayOf === null)
      .map((a) => ({ attempt: a, reply: BidReplySchema.parse(JSON.parse(a.text)) }));
    const order = roomOrder(terms.auctionId, accepted);

    // The order respects real time: a bid answered before another was sent comes first.
    const realTimeViolations: string[] = [];
    for (const [i, a] of order.entries()) {
      for (const b of order.slice(i + 1)) {
        if (b.attempt.answeredAt < a.attempt.sentAt) {
          realTimeViolations.push(
            `#${b.attempt.index} (answered ${b.attempt.answeredAt}) is after #${a.attempt.index} (sent ${a.attempt.sentAt})`,
          );
        }
      }
    }
    expect(realTimeViolations.slice(0, 10), "room order vs real time").toEqual([]);
    // The room's own clock never runs backwards along its order.
    for (let i = 1; i < order.length; i++) {
      const previous = Date.parse(order[i - 1]?.reply.bid.placedAt ?? "");
      expect(
        Date.parse(order[i]?.reply.bid.placedAt ?? ""),
        `placedAt at position ${i}`,
      ).toBeGreaterThanOrEqual(previous);
    }

    // ---- replay: every accepted reply is exactly what the rules give at its place in the order
    const states: ModelState[] = [initialState(terms)];
    const expectedRows: (ModelRow & { placedAt: string })[] = [];
    for (const [i, { attempt, reply }] of order.entries()) {
      const before = states[i] ?? initialState(terms);
      const outcome = placeBid(terms, before, attempt.bidderId, attempt.body);
      if (!outcome.ok) {
        throw new Error(
          `position ${i}: the rules refuse ${describeAttempt(attempt)} with ${outcome.code}, the room accepted it`,
        );
      }
      expect(
        {
          result: reply.result,
          amount: reply.bid.amount,
          maxAmount: reply.bid.maxAmount,
          kind: reply.bid.kind,
          currentPrice: reply.auction.currentPrice,
          bidCount: reply.auction.bidCount,
          leaderIsYou: reply.auction.leaderIsYou,
          minimumNextBid: reply.auction.minimumNextBid,
          reserveMet: reply.auction.reserveMet,
        },
        `reply at position ${i}: ${describeAttempt(attempt)}`,
      ).toEqual(outcome.reply);
      expect(reply.bid.id, `bid id at position ${i}`).toBe(
        outcome.ownSeq === null
          ? `${terms.auctionId}-r${Date.parse(reply.bid.placedAt)}`
          : `${terms.auctionId}-${outcome.ownSeq}`,
      );
      expect(reply.auction.extended, "soft close is off").toBe(false);
      for (const row of outcome.rows) expectedRows.push({ ...row, placedAt: reply.bid.placedAt });
      states.push(outcome.next);
    }
    const final = states.at(-1) ?? initialState(terms);

    // ---- refusals: each is what the rules give at some place real time allows, and wrote nothing
    checkRefusals(terms, attempts, order, states);

    // ---- the final state as GET /auctions/{id} shows it
    const client = api(baseUrl);
    const detail = await client.get(`/api/v1/auctions/${terms.auctionId}`);
    expect(detail.status).toBe(200);
    const leaderId = final.bidding.leader?.bidderId ?? null;
    expect(AuctionSchema.parse(detail.body)).toEqual({
      id: terms.auctionId,
      status: "open",
      currentPrice: final.bidding.currentPrice,
      bidCount: final.bidCount,
      leader: leaderId === null ? null : { handle: handleOf(final, leaderId) },
      leaderIsYou: false,
      minimumNextBid: minimumOf(terms, final),
      reserveMet: reserveMet(final.bidding),
      buyNowAvailable: true,
    });
    const leader = bidders.find((b) => b.id === leaderId);
    if (leader) {
      const mine = await client.get(`/api/v1/auctions/${terms.auctionId}`, { token: leader.token });
      expect(AuctionSchema.parse(mine.body).leaderIsYou, "the leader sees leaderIsYou").toBe(true);
    }

    // ---- the history, all pages, oldest first, is exactly the rows the replay wrote
    const history = await fullHistory(baseUrl, terms.auctionId);
    expect(history.length, "history rows").toBe(final.bidCount);
    expect(history).toEqual(
      expectedRows.map((row) => ({
        id: `${terms.auctionId}-${row.seq}`,
        amount: row.amount,
        kind: row.kind,
        bidder: { handle: handleOf(final, row.bidderId) },
        placedAt: row.placedAt,
      })),
    );

    const counts = new Map<string, number>();
    for (const a of attempts) {
      const key = a.status === 201 ? "201" : `${a.status} ${problemCode(a.text)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    console.info(
      `consistency: ${attempts.length} bid requests (${[...counts].map(([k, n]) => `${k}: ${n}`).join(", ")}), ` +
        `${order.length} accepted in the room's order, ${final.bidCount} history rows, final price ${final.bidding.currentPrice}`,
    );
  });
});

/** Every bidder bids concurrently with the others, one request at a time, with short pauses. */
async function storm(baseUrl: string, terms: ModelTerms, bidders: Bidder[]): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  let nextIndex = 0;
  const increment = incrementOf(terms);

  const send = async (
    bidder: Bidder,
    body: BidBody,
    key: string,
    replayOf: number | null,
  ): Promise<Attempt> => {
    const index = nextIndex++;
    const sentAt = Date.now();
    let status: number;
    let text: string;
    let retryAfter: string | null = null;
    try {
      const res = await fetch(new URL(`/api/v1/auctions/${terms.auctionId}/bids`, baseUrl), {
        method: "POST",
        headers: {
          authorization: `Bearer ${bidder.token}`,
          "content-type": "application/json",
          "idempotency-key": key,
        },
        body: JSON.stringify(body),
      });
      text = await res.text();
      status = res.status;
      retryAfter = res.headers.get("retry-after");
    } catch (error) {
      // A dropped connection: recorded (status 0) and reported with the others, not thrown, so
      // one failure does not hide what the rest of the storm shows.
      status = 0;
      text = `${String(error)} (cause: ${error instanceof Error ? String(error.cause) : "none"})`;
    }
    const attempt: Attempt = {
      index,
      bidderId: bidder.id,
      body,
      idempotencyKey: key,
      replayOf,
      sentAt,
      answeredAt: Date.now(),
      status,
      text,
      retryAfter,
    };
    attempts.push(attempt);
    return attempt;
  };

  // The highest minimum any answer has shown so far. Shared by all bidders (the load generator
  // is one process), so bids aim near the live price; in-flight rivals still make some too low.
  let known = terms.startingPrice;
  const learn = (attempt: Attempt) => {
    if (attempt.status === 201) {
      known = Math.max(known, BidReplySchema.parse(JSON.parse(attempt.text)).auction.minimumNextBid);
    } else {
      const minimum = /minimum acceptable bid is (\d+)/.exec(attempt.text)?.[1];
      if (minimum !== undefined) known = Math.max(known, Number(minimum));
    }
  };

  await Promise.all(
    bidders.map(async (bidder, b) => {
      const random = seededRandom(SEED + b);
      // Whether this bidder leads, with which maximum, from its own answers: a leader bidding
      // again tests max_raised and MAX_NOT_RAISED.
      let ownMax: number | null = null;
      let sent = 0;
      while (sent < REQUESTS_PER_BIDDER) {
        // Now and then a burst of parallel, rising bids: the room must still serialise them, and a
        // burst is what runs into the 5 bids/s limit.
        const burst = random() < 0.06 ? randomInt(random, 5, 7) : 1;
        const bodies =
          burst === 1
            ? [chooseBody(random, known, ownMax, increment, terms.buyNowPrice ?? Number.MAX_SAFE_INTEGER)]
            : Array.from({ length: burst }, (_, i) => ({
                maxAmount: known + (i + 1) * 20 * increment(known),
              }));
        sent += burst;
        const answers = await Promise.all(bodies.map((body) => send(bidder, body, randomUUID(), null)));
        for (const attempt of answers) {
          learn(attempt);
          if (attempt.status === 201) {
            const reply = BidReplySchema.parse(JSON.parse(attempt.text));
            ownMax = reply.auction.leaderIsYou ? reply.bid.maxAmount : null;
          } else if (attempt.status === 422 && /BID_TOO_LOW/.test(attempt.text)) {
            ownMax = null;
          }
        }
        const single = answers.length === 1 ? answers[0] : undefined;
        // Now and then the client "lost" an answer and retries with the same key and body.
        if (single?.status === 201 && random() < 0.04) {
          await send(bidder, single.body, single.idempotencyKey, single.index);
        }
        await sleep(randomInt(random, PAUSE_MS[0], PAUSE_MS[1]));
      }
    }),
  );
  return attempts;
}

/**
 * A mix of the four bid shapes a little above the minimum the bidder knows (which may be stale:
 * others bid meanwhile), some below it, a few at the buy-now price, and, while leading, raises
 * of its own maximum (some of them not raising it at all).
 */
function chooseBody(
  random: () => number,
  known: number,
  ownMax: number | null,
  increment: (p: number) => number,
  buyNow: number,
): BidBody {
  const step = increment(known);
  const near = () => known + (random() < 0.1 ? -1 : randomInt(random, 0, 8)) * step;
  const roll = random();
  if (ownMax !== null && roll < 0.3) return { maxAmount: ownMax + randomInt(random, -2, 4) * step };
  if (roll < 0.02) return { amount: buyNow };
  if (roll < 0.03) return { maxAmount: buyNow + step };
  if (roll < 0.04) return { amount: known + 2 * step, maxAmount: known + step }; // max below amount: invalid
  if (roll < 0.2) return {};
  if (roll < 0.45) return { amount: Math.max(1, near()) };
  if (roll < 0.75) return { maxAmount: Math.max(1, near() + randomInt(random, 0, 15) * step) };
  const amount = Math.max(1, near());
  return { amount, maxAmount: amount + randomInt(random, 0, 15) * step };
}

/**
 * The room's order, derived from the replies. Each accepted bid's id is `<auctionId>-<seq>` of
 * the bidder's own history row; the room numbers rows in commit order, so sorting by that seq
 * orders every bid that wrote rows. A leader raising their own maximum writes no row and gets
 * `r<ms>` instead; its reply's `bidCount` (rows committed so far) pins it right after the bid
 * whose rows end at that count (key bidCount + 0.5). Several such raises at one place are by the
 * same leader, and each must raise the maximum, so they go in increasing order of maximum. The
 * replay then checks this order against every reply, so a wrong derivation cannot pass.
 */
function roomOrder(
  auctionId: string,
  accepted: { attempt: Attempt; reply: BidReply }[],
): { attempt: Attempt; reply: BidReply }[] {
  const keyed = accepted.map((entry) => {
    const suffix = entry.reply.bid.id.startsWith(`${auctionId}-`)
      ? entry.reply.bid.id.slice(auctionId.length + 1)
      : "";
    if (/^\d+$/.test(suffix)) return { entry, key: Number(suffix) };
    if (/^r\d+$/.test(suffix) && entry.reply.result === "max_raised") {
      return { entry, key: entry.reply.auction.bidCount + 0.5 };
    }
    throw new Error(`unexpected bid id ${entry.reply.bid.id} (${entry.reply.result})`);
  });
  const seqs = keyed.filter((k) => Number.isInteger(k.key)).map((k) => k.key);
  expect(new Set(seqs).size, "each history row belongs to one reply").toBe(seqs.length);
  keyed.sort((a, b) => a.key - b.key || a.entry.reply.bid.maxAmount - b.entry.reply.bid.maxAmount);
  return keyed.map((k) => k.entry);
}

/**
 * A refusal was answered from the state after some prefix of the accepted bids. Real time bounds
 * which prefixes: at least every bid answered before the refusal was sent, at most those not sent
 * after it was answered. One of them must give exactly that refusal (and, for BID_TOO_LOW, that
 * minimum). A refusal writes nothing: the history check above already counts every row.
 */
function checkRefusals(
  terms: ModelTerms,
  attempts: Attempt[],
  order: { attempt: Attempt }[],
  states: ModelState[],
): void {
  const problems: string[] = [];
  for (const refusal of attempts.filter((a) => a.status === 422 || a.status === 429)) {
    const code = problemCode(refusal.text);
    if (code === "VALIDATION_FAILED") continue; // refused by the schema: checked in isExpectedAnswer
    if (code === "RATE_LIMITED") {
      // The room counts this bidder's accepted bids in the second before `now`; `now` lies in this
      // request's [sent, answered] and each counted bid's in its own, which bounds them.
      const recent = order.filter(
        ({ attempt: a }) =>
          a.bidderId === refusal.bidderId &&
          a.answeredAt >= refusal.sentAt - 1000 &&
          a.sentAt <= refusal.answeredAt,
      );
      if (recent.length < 5)
        problems.push(
          `429 with only ${recent.length} accepted bids in the last second: ${describeAttempt(refusal)}`,
        );
      if (refusal.retryAfter !== "1")
        problems.push(`429 without Retry-After: 1: ${describeAttempt(refusal)}`);
      continue;
    }
    let lo = 0;
    let hi = order.length;
    for (const [i, { attempt }] of order.entries()) {
      if (attempt.answeredAt < refusal.sentAt) lo = Math.max(lo, i + 1);
      if (attempt.sentAt > refusal.answeredAt) hi = Math.min(hi, i);
    }
    const detailMinimum = /minimum acceptable bid is (\d+)/.exec(refusal.text)?.[1];
    let explained = false;
    for (let p = lo; p <= hi && !explained; p++) {
      const state = states[p];
      if (!state) continue;
      const outcome = placeBid(terms, state, refusal.bidderId, refusal.body);
      explained =
        !outcome.ok &&
        outcome.code === code &&
        (code !== "BID_TOO_LOW" || String(outcome.minimum) === detailMinimum);
    }
    if (!explained) problems.push(`no state in positions ${lo}..${hi} gives ${describeAttempt(refusal)}`);
  }
  expect(problems.slice(0, 10), "refusals").toEqual([]);
}

function isExpectedAnswer(a: Attempt): boolean {
  if (a.status === 201) return true;
  const code = problemCode(a.text);
  // A busy auction sheds a bid before doing any work (SPEC §2); the history check shows it wrote
  // nothing.
  if (a.status === 503) return code === "OVERLOADED" && a.retryAfter !== null;
  if (a.status === 429) return code === "RATE_LIMITED";
  if (a.status !== 422) return false;
  if (code === "VALIDATION_FAILED") {
    // Only a body whose max is below its amount is invalid by the schema.
    return a.body.amount !== undefined && a.body.maxAmount !== undefined && a.body.maxAmount < a.body.amount;
  }
  return code === "BID_TOO_LOW" || code === "MAX_NOT_RAISED" || code === "BID_AT_OR_ABOVE_BUY_NOW";
}

function problemCode(text: string): string | null {
  try {
    const parsed = ProblemSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.code : null;
  } catch {
    return null;
  }
}

function describeAttempt(a: Attempt): string {
  return `#${a.index} ${a.bidderId} POST bids ${JSON.stringify(a.body)} [${a.sentAt}..${a.answeredAt}] → ${a.status} ${a.text.slice(0, 300)}`;
}

async function fullHistory(baseUrl: string, auctionId: string) {
  const client = api(baseUrl);
  const newestFirst: z.infer<typeof HistoryPageSchema>["items"] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
    const res = await client.get(`/api/v1/auctions/${auctionId}/bids?limit=100${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const page = HistoryPageSchema.parse(res.body);
    newestFirst.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return newestFirst.reverse();
}
