// 8. Overload: one fresh hot auction offered twice the hot auction's best throughput, open loop.
// Under more load than it can serve, the auction is meant to shed (503 OVERLOADED, Retry-After)
// before doing any work, keep answering the rest quickly, and never lose a bid it acknowledged.
// This measures all three; like every scenario, it asserts nothing.

import { performance } from "node:perf_hooks";
import { quiesce } from "./cpu.mjs";
import { classify, latencyStats, MAX_OUTSTANDING, openLoop } from "./load.mjs";
import { bidCountOf, measured, requests } from "./scenarios.mjs";

/** The history is read 100 rows at a time (the API's largest page). */
const HISTORY_PAGE = 100;
/** Lost bid ids listed in the results (all are counted). */
const LISTED_IDS = 20;

/**
 * The bid id of a 201 reply's body, or undefined when the body is not a bid reply.
 * @param {string | undefined} body
 */
function bidIdOf(body) {
  try {
    const id = JSON.parse(body ?? "").bid?.id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every bid id in the auction's public history, newest first, following `nextCursor`.
 * @returns {Promise<{ ids: string[], pages: number }>}
 */
async function fullHistory(baseUrl, auctionId) {
  const ids = [];
  let cursor = null;
  let pages = 0;
  const seenCursors = new Set();
  do {
    const url = new URL(`/api/v1/auctions/${auctionId}/bids`, baseUrl);
    url.searchParams.set("limit", String(HISTORY_PAGE));
    if (cursor !== null) url.searchParams.set("cursor", cursor);
    const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    if (res.status !== 200)
      throw new Error(`GET ${url.pathname}${url.search} answered ${res.status}: ${text}`);
    const page = JSON.parse(text);
    if (!Array.isArray(page.items)) throw new Error(`a history page without items: ${text.slice(0, 200)}`);
    for (const item of page.items) {
      if (typeof item?.id !== "string")
        throw new Error(`a history item without an id: ${JSON.stringify(item)}`);
      ids.push(item.id);
    }
    pages++;
    cursor = typeof page.nextCursor === "string" ? page.nextCursor : null;
    if (cursor !== null && seenCursors.has(cursor)) throw new Error(`the history repeats cursor ${cursor}`);
    if (cursor !== null) seenCursors.add(cursor);
  } while (cursor !== null);
  return { ids, pages };
}

/**
 * What a 201's bid id names: `<auctionId>-<seq>` is the bidder's own history row; `<auctionId>-r<ms>`
 * is a leader raising their own maximum, which writes no row (with `{}` bids, a leader whose turn
 * came round again before anyone outbid them).
 */
function idKind(auctionId, id) {
  if (!id.startsWith(`${auctionId}-`)) return "unrecognised";
  const suffix = id.slice(auctionId.length + 1);
  if (/^\d+$/.test(suffix)) return "row";
  if (/^r\d+$/.test(suffix)) return "maxRaise";
  return "unrecognised";
}

/**
 * Checks, once the server is idle, that every acknowledged bid is in the auction's history, and
 * that the auction's bidCount is the history's length.
 * @param {string[]} acknowledged bid ids of the 201 replies
 */
async function checkHistory(ctx, auctionId, acknowledged) {
  const started = performance.now();
  const settled = await quiesce(ctx.pgid, { maxMs: ctx.profile.overloadSettleMaxMs });
  const settleSeconds = round2((performance.now() - started) / 1000);
  const history = await fullHistory(ctx.baseUrl, auctionId);
  const bidCount = await bidCountOf(ctx, auctionId);
  const rows = new Set(history.ids);
  const rowAcks = acknowledged.filter((id) => idKind(auctionId, id) === "row");
  const lost = rowAcks.filter((id) => !rows.has(id));
  const ackedRows = new Set(rowAcks);
  let unacknowledgedRows = 0;
  for (const id of rows) if (!ackedRows.has(id)) unacknowledgedRows++;
  return {
    acknowledged: acknowledged.length,
    acknowledgedRows: rowAcks.length,
    maxRaises: acknowledged.filter((id) => idKind(auctionId, id) === "maxRaise").length,
    unrecognisedIds: acknowledged.filter((id) => idKind(auctionId, id) === "unrecognised").length,
    /** Acknowledged (201 naming a history row) and not in the history: must be 0. */
    acknowledgedThenLost: lost.length,
    lostIds: lost.slice(0, LISTED_IDS),
    /** Two 201 replies naming the same row. */
    duplicateAcknowledgements: rowAcks.length - ackedRows.size,
    historyRows: history.ids.length,
    historyPages: history.pages,
    duplicateHistoryIds: history.ids.length - rows.size,
    /** Rows no 201 named: bids whose reply the client never got (timed out) or could not read. */
    unacknowledgedRows,
    bidCount,
    bidCountMatchesHistory: bidCount === history.ids.length,
    serverIdleBeforeCheck: settled.settled,
    settleSeconds,
  };
}

/**
 * The run second by second of when requests were due: how many were answered, shed or failed, and
 * how long each kind took. Shows where a backlog built up and when shedding began.
 * @param {import("./load.mjs").Outcome[]} outcomes
 */
function timeline(outcomes) {
  if (outcomes.length === 0) return [];
  // A request never sent (too many outstanding) has no latency; it was due when it was given up.
  const due = outcomes.map((o) => (Number.isFinite(o.ms) ? o.at - o.ms : o.at));
  const start = due.reduce((a, b) => Math.min(a, b));
  const buckets = [];
  outcomes.forEach((o, k) => {
    const second = Math.floor((due[k] - start) / 1000);
    buckets[second] ??= { answeredMs: [], shedMs: [], errors: 0 };
    const kind = classify(o, [201]);
    if (kind === "ok" || kind === "bidTooLow") buckets[second].answeredMs.push(o.ms);
    else if (kind === "overloaded" || kind === "rateLimited") buckets[second].shedMs.push(o.ms);
    else buckets[second].errors++;
  });
  return Array.from(buckets, (b, second) => ({
    second,
    answered: b?.answeredMs.length ?? 0,
    shed: b?.shedMs.length ?? 0,
    errors: b?.errors ?? 0,
    answeredP50Ms: latencyStats(b?.answeredMs ?? []).p50,
    shedP50Ms: latencyStats(b?.shedMs ?? []).p50,
  }));
}

/**
 * Open loop at `overloadFactor` × the hot auction's best throughput, for `overloadMs`, against
 * one auction no other scenario bids on, round-robin over the seeded bidders with `{}` bids. Every
 * unanswered request has a connection of its own (up to MAX_OUTSTANDING): with the usual cap of
 * 50 on the wire the backlog would wait in this client, where the server can neither see nor
 * shed it.
 */
export async function overloadScenario(ctx, { hotThroughput }) {
  const { profile } = ctx;
  if (!(hotThroughput > 0))
    throw new Error("the hot auction's best throughput was not measured; overload runs at a multiple of it");
  const req = requests(ctx.bidderTokens);
  const auctionId = ctx.overloadAuction;
  const rate = Math.max(1, Math.round(hotThroughput * profile.overloadFactor));
  const within = profile.overloadAnswerWithinMs;
  const acknowledged = [];
  let unreadableReplies = 0;
  let outcomes = [];
  const run = await measured(ctx, `overload, open ${rate}/s`, [201], async () => {
    const result = await openLoop({
      baseUrl: ctx.baseUrl,
      rate,
      durationMs: profile.overloadMs,
      maxSockets: MAX_OUTSTANDING,
      next: (i) => req.bid(auctionId, i),
      keepBody: true,
      onResult: (_i, r) => {
        if (r.status !== 201) return;
        const id = bidIdOf(r.body);
        if (id === undefined) unreadableReplies++;
        else acknowledged.push(id);
      },
    });
    outcomes = result.outcomes;
    return result;
  });

  const answeredMs = [];
  const shedMs = [];
  let shedWithoutRetryAfter = 0;
  for (const o of outcomes) {
    const kind = classify(o, [201]);
    if (kind === "ok" || kind === "bidTooLow") answeredMs.push(o.ms);
    else if (kind === "overloaded" || kind === "rateLimited") shedMs.push(o.ms);
    else if ((o.status === 503 && o.code === "OVERLOADED") || (o.status === 429 && o.code === "RATE_LIMITED"))
      shedWithoutRetryAfter++;
  }
  const requestsSent = outcomes.length;
  const shed = shedMs.length;
  const notShed = requestsSent - shed;
  const answeredWithin = answeredMs.filter((ms) => ms <= within).length;
  const ceiling = ctx.ceiling.throughput;
  const outcome = {
    requests: requestsSent,
    answered: answeredMs.length,
    answeredWithin,
    /** The target's figure: of the requests not shed, the share answered (2xx, 422) within `within`. */
    answeredWithinShareOfNotShed: notShed === 0 ? null : round4(answeredWithin / notShed),
    answeredWithinShare: requestsSent === 0 ? null : round4(answeredWithin / requestsSent),
    shed,
    shedShare: requestsSent === 0 ? null : round4(shed / requestsSent),
    overloaded: run.overloaded,
    rateLimited: run.rateLimited,
    shedWithoutRetryAfter,
    errors: run.errors,
    timeouts: run.errorKinds?.TIMEOUT ?? 0,
    notSent: run.errorKinds?.NOT_SENT_OVERLOAD ?? 0,
    answeredLatencyMs: latencyStats(answeredMs),
    shedLatencyMs: latencyStats(shedMs),
    acceptedPerSecond: run.okThroughput,
    acceptedShareOfCeiling: round4(run.okThroughput / ceiling),
    unreadableReplies,
  };
  // A failed check (e.g. the server died) must not take the load figures down with it.
  const integrity = await checkHistory(ctx, auctionId, acknowledged).catch((error) => ({
    error: String(error.message ?? error),
  }));
  ctx.log(
    `  overload: offered ${rate}/s (${round2(rate / ceiling)}× the ceiling), answered within ${within} ms ` +
      `${pct(outcome.answeredWithinShareOfNotShed)} of the not shed, shed ${pct(outcome.shedShare)} ` +
      `(503 ${outcome.overloaded}, 429 ${outcome.rateLimited}, without Retry-After ${shedWithoutRetryAfter}), ` +
      `answered p50 ${outcome.answeredLatencyMs.p50} ms p99 ${outcome.answeredLatencyMs.p99} ms, errors ${outcome.errors}, ` +
      `peak ${run.peakOutstanding} outstanding; ` +
      (integrity.error
        ? `history not checked: ${integrity.error}`
        : `acknowledged-then-lost ${integrity.acknowledgedThenLost} of ${integrity.acknowledgedRows}, ` +
          `bidCount ${integrity.bidCount} vs ${integrity.historyRows} history rows`),
  );
  return {
    rate,
    factor: profile.overloadFactor,
    hotThroughput,
    offeredShareOfCeiling: round4(rate / ceiling),
    /** How long requests were offered; `run.seconds` runs on until the last answer. */
    offeredSeconds: profile.overloadMs / 1000,
    answerWithinMs: within,
    auctionId,
    run,
    outcome,
    timeline: timeline(outcomes),
    integrity,
  };
}

function round2(v) {
  return Math.round(v * 100) / 100;
}

function round4(v) {
  return Math.round(v * 10_000) / 10_000;
}

function pct(v) {
  return v === null ? "–" : `${(v * 100).toFixed(1)}%`;
}
