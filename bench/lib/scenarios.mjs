// The benchmark scenarios (see bench/README.md). Each returns plain data for the report; none
// asserts anything: targets are evaluated and reported by run.mjs.

import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { cpuMeter, groupCpu, quiesce } from "./cpu.mjs";
import { closeAll, openRoomSockets, openUserSocket } from "./live.mjs";
import {
  closedLoop,
  latencyStats,
  openLoop,
  pool,
  send,
  stayClearOfIdleTimeouts,
  summarise,
} from "./load.mjs";
import { findInspector, loadBundleMap, startProfiler, summariseProfile } from "./profile.mjs";

const BID_BODY = Buffer.from("{}");

/**
 * Request builders over a pool of bidder tokens, round-robin, so no bidder comes near the
 * server's limit of 5 accepted bids per second per auction.
 */
export function requests(tokens) {
  const authOnly = tokens.map((t) => ({ authorization: `Bearer ${t}` }));
  const json = tokens.map((t) => ({
    authorization: `Bearer ${t}`,
    "content-type": "application/json",
    "content-length": String(BID_BODY.length),
  }));
  const n = tokens.length;
  return {
    ping: (auctionId, i) => ({
      method: "GET",
      path: `/api/v1/auctions/${auctionId}/ping`,
      headers: authOnly[i % n],
    }),
    /** The caller's Wallet, then the room: the two object calls of a funded bid, without writes. */
    pingThroughWallet: (auctionId, i) => ({
      method: "GET",
      path: `/api/v1/auctions/${auctionId}/ping?wallet=true`,
      headers: authOnly[i % n],
    }),
    bid: (auctionId, i) => ({
      method: "POST",
      path: `/api/v1/auctions/${auctionId}/bids`,
      headers: json[i % n],
      body: BID_BODY,
    }),
  };
}

/**
 * Lets the server finish earlier background work, measures `fn`, then keeps measuring until the
 * server is idle again: what a request sets off after its reply (the outbox publish, the queue
 * consumer's D1 writes and pushes) is part of its cost, and under load it spills past the run.
 */
export async function measured(ctx, label, okStatuses, fn, summaryOptions = {}) {
  await quiesce(ctx.pgid, { maxMs: ctx.profile.quiesceMaxMs });
  // Any wait the run would make before its first request, made outside the CPU window.
  await stayClearOfIdleTimeouts(64);
  const meter = cpuMeter(ctx.pgid);
  const run = await fn();
  const cpu = meter.stop();
  const tailMeter = cpuMeter(ctx.pgid);
  const settled = await quiesce(ctx.pgid, { maxMs: ctx.profile.quiesceMaxMs });
  const tail = tailMeter.stop();
  // Busy until the last (idle) window began; it takes one window to see that nothing is left.
  const busyAfter = settled.settled
    ? Math.max(0, tail.wallSeconds - settled.windowMs / 1000)
    : tail.wallSeconds;
  const summary = summarise(run, okStatuses, summaryOptions);
  const requests = Math.max(1, summary.requests);
  const perRequest = {};
  for (const [role, seconds] of Object.entries(cpu.serverByProcess)) {
    const total = seconds + (tail.serverByProcess[role] ?? 0);
    if (total > 0) perRequest[role] = round2((total * 1000) / requests);
  }
  const serverMsPerRequest = round2(((cpu.serverSeconds + tail.serverSeconds) * 1000) / requests);
  ctx.log(
    `  ${label}: ${summary.throughput} req/s, p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms, ` +
      `ok ${summary.ok}, 422 ${summary.bidTooLow}${summary.insufficientFunds === undefined ? "" : ` (+${summary.insufficientFunds} INSUFFICIENT_FUNDS)`}, 429 ${summary.rateLimited}, 503 ${summary.overloaded}, errors ${summary.errors}, ` +
      `server ${cpu.serverCores} cores (+${tail.serverSeconds} s after), ${serverMsPerRequest} ms/req, ` +
      `client ${cpu.clientCores}, other ${cpu.otherCores}`,
  );
  return {
    label,
    ...summary,
    cpu: {
      ...cpu,
      /** Server CPU per request, the run and its tail together. */
      serverMsPerRequest,
      serverMsPerRequestByProcess: perRequest,
      clientMsPerRequest: round2((cpu.clientSeconds * 1000) / requests),
      /** After the run: how long until the server was idle again, and the CPU it used meanwhile. */
      tail: { seconds: round2(busyAfter), serverSeconds: tail.serverSeconds, settled: settled.settled },
    },
    /** Successes per second counting the time the server needed to finish what the run set off. */
    sustainedOkThroughput: round2(summary.ok / (summary.seconds + busyAfter)),
  };
}

/**
 * Closed loop at each connection count, then open loop at each offered rate (given as fractions
 * of `rateBase`, or absolute when `rateBase` is null), against `next(ctx)`, on each server of
 * `contexts` in turn: every run shape on one, then on the next, before the next shape, so that
 * servers compared with each other are measured seconds apart, not minutes (on a shared machine,
 * what else runs changes by the minute). The order alternates from one shape to
 * the next, so that neither always goes first. The open-loop rates come from the first server.
 * Returns each server's runs, in the order of `contexts`.
 */
async function loadMatrix(
  contexts,
  {
    next,
    okStatuses,
    rateBase,
    closedConnections = contexts[0].profile.closedConnections,
    openFractions = contexts[0].profile.openFractions,
  },
) {
  const { profile } = contexts[0];
  const runs = contexts.map(() => []);
  let shape = 0;
  const onEach = async (label, fn) => {
    const order = contexts.map((_, k) => k);
    if (shape++ % 2 === 1) order.reverse();
    for (const k of order)
      runs[k].push(await measured(contexts[k], label, okStatuses, () => fn(contexts[k])));
  };
  for (const connections of closedConnections) {
    await onEach(`closed ${connections} conn`, (ctx) =>
      closedLoop({
        baseUrl: ctx.baseUrl,
        connections,
        durationMs: profile.closedMs,
        warmupMs: profile.warmupMs,
        pauseMs: connections === 1 ? (profile.oneConnectionPauseMs ?? 0) : 0,
        next: next(ctx),
      }),
    );
  }
  const base = rateBase ?? Math.max(...runs[0].map((r) => r.throughput));
  for (const fraction of openFractions) {
    const rate = Math.max(1, Math.round(base * fraction));
    const before = runs.map((r) => r.length);
    await onEach(`open ${rate}/s (${Math.round(fraction * 100)}%)`, (ctx) =>
      openLoop({ baseUrl: ctx.baseUrl, rate, durationMs: profile.openMs, next: next(ctx) }),
    );
    runs.forEach((r, k) => {
      r[before[k]] = { ...r[before[k]], fractionOfCeiling: fraction };
    });
  }
  return runs;
}

const best = (runs) => ({ runs, throughput: Math.max(...runs.map((r) => r.okThroughput)) });

/**
 * 1. The ceiling: an authenticated no-op RPC to the auction's Durable Object. Run shape by shape
 * on `alongside` servers too (see loadMatrix), whose results come back in `alongside`.
 */
export async function ceilingScenario(ctx, alongside = []) {
  const [runs, ...others] = await loadMatrix([ctx, ...alongside], {
    next: (c) => {
      const req = requests(c.bidderTokens);
      return (i) => req.ping(c.hotAuction, i);
    },
    okStatuses: [200],
  });
  return { ...best(runs), ...(alongside.length ? { alongside: others.map(best) } : {}) };
}

/**
 * 1b. The floor of a bid with funds required: the same ping, but through the caller's Wallet first
 * (closed loops only). No funded bid can beat two object calls in a row; this says how far the
 * ceiling-relative targets are from that floor on this runtime, in the same run.
 */
export async function fundedFloorScenario(ctx) {
  const [runs] = await loadMatrix([ctx], {
    next: (c) => {
      const req = requests(c.bidderTokens);
      return (i) => req.pingThroughWallet(c.hotAuction, i);
    },
    okStatuses: [200],
    openFractions: [],
  });
  return best(runs);
}

/**
 * 2. One hot auction: every bid to the same room. Run shape by shape on `alongside` servers too
 * (see loadMatrix), at the same rates, whose results come back in `alongside`.
 */
export async function hotAuctionScenario(ctx, alongside = []) {
  const [runs, ...others] = await loadMatrix([ctx, ...alongside], {
    next: (c) => {
      const req = requests(c.bidderTokens);
      return (i) => req.bid(c.hotAuction, i);
    },
    okStatuses: [201],
    rateBase: ctx.ceiling.throughput,
  });
  return { ...best(runs), ...(alongside.length ? { alongside: others.map(best) } : {}) };
}

/** 3. The same load spread over many auctions. */
export async function manyAuctionsScenario(ctx) {
  const req = requests(ctx.bidderTokens);
  const ids = ctx.manyAuctions;
  const [runs] = await loadMatrix([ctx], {
    // Consecutive requests go to different rooms and, within a room, to different bidders.
    next: () => (i) => req.bid(ids[i % ids.length], Math.floor(i / ids.length) + i),
    okStatuses: [201],
    rateBase: ctx.ceiling.throughput,
    closedConnections: ctx.profile.manyClosedConnections,
    openFractions: ctx.profile.manyOpenFractions,
  });
  return { runs, throughput: Math.max(...runs.map((r) => r.okThroughput)), auctions: ids.length };
}

/** The auction's bidCount as the room reports it. */
export async function bidCountOf(ctx, auctionId) {
  const p = pool(ctx.baseUrl, 1);
  const r = await send(
    p,
    { method: "GET", path: `/api/v1/auctions/${auctionId}`, headers: {} },
    { keepBody: true },
  );
  p.agent.destroy();
  if (r.status !== 200 || r.body === undefined) throw new Error(`GET auction answered ${r.status}`);
  return JSON.parse(r.body).bidCount;
}

/**
 * 7. Growth: bid latency at a fixed offered rate once the auction holds each number of earlier
 * bids. Every bid sets off queue work (projection, inbox rows, pushes) that the consumer finishes
 * later on the same thread, so each checkpoint first waits for that backlog to drain: otherwise
 * it would measure the backlog, not the auction's size. Filling is bounded by the run's deadline;
 * a checkpoint it cannot reach is measured where the fill got to.
 */
export async function growthScenario(ctx, { deadline }) {
  const { profile } = ctx;
  const req = requests(ctx.bidderTokens);
  const auctionId = ctx.growthAuction;
  const rate = Math.max(1, Math.round(ctx.ceiling.throughput * profile.growthFraction));
  const checkpoints = [];
  // Drain time per second of filling, learnt from the previous checkpoint; a guess before that.
  let drainPerFill = 1;
  let i = 0;
  for (const [n, target] of profile.growthCheckpoints.entries()) {
    let count = await bidCountOf(ctx, auctionId);
    const fillStarted = performance.now();
    // Keep time for every remaining checkpoint's measurement, and for this fill's drain.
    const measureReserve = (profile.growthMeasureMs + 3_000) * (profile.growthCheckpoints.length - n);
    const available = Math.max(0, deadline - performance.now() - measureReserve);
    const fillMs = Math.min(profile.growthFillMaxMs, available / (1 + drainPerFill));
    const needed = target - count;
    if (needed > 0 && fillMs > 0) {
      let accepted = 0;
      await closedLoop({
        baseUrl: ctx.baseUrl,
        connections: profile.fillConnections,
        durationMs: fillMs,
        warmupMs: 0,
        next: () => req.bid(auctionId, i++),
        until: () => accepted >= needed,
        onResult: (o) => {
          if (o.status === 201) accepted++;
        },
      });
      count = await bidCountOf(ctx, auctionId);
    }
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    const drain = await quiesce(ctx.pgid, {
      maxMs: Math.max(
        1_000,
        Math.min(profile.growthDrainMaxMs, deadline - performance.now() - measureReserve),
      ),
    });
    if (fillSeconds > 1) drainPerFill = Math.max(0.2, drain.waitedMs / 1000 / fillSeconds);
    ctx.log(
      `  filled to ${count} bids (target ${target}) in ${round2(fillSeconds)} s; ` +
        `queue backlog drained in ${drain.waitedMs / 1000} s${drain.settled ? "" : " (not fully)"}`,
    );
    const run = await measured(ctx, `${count} earlier bids, open ${rate}/s`, [201], () =>
      openLoop({
        baseUrl: ctx.baseUrl,
        rate,
        durationMs: profile.growthMeasureMs,
        next: (k) => req.bid(auctionId, i + k),
      }),
    );
    i += run.requests;
    checkpoints.push({
      target,
      earlierBids: count,
      reached: count >= target,
      fillSeconds: round2(fillSeconds),
      drainSeconds: drain.waitedMs / 1000,
      drained: drain.settled,
      ...run,
    });
  }
  return { rate, checkpoints };
}

/**
 * 4 + 5. Participants and fan-out, in one room: bids at a fixed rate with no socket connected,
 * then with `watchers` sockets connected, recording every bid frame each socket receives.
 */
export async function liveRoomScenario(ctx) {
  const { profile } = ctx;
  const req = requests(ctx.bidderTokens);
  const auctionId = ctx.liveAuction;
  const rate = profile.fanoutRate;
  let i = 0;

  const alone = await measured(ctx, `0 watchers, open ${rate}/s`, [201], () =>
    openLoop({
      baseUrl: ctx.baseUrl,
      rate,
      durationMs: profile.aloneMs,
      next: (k) => req.bid(auctionId, i + k),
    }),
  );
  i += alone.requests;

  // Frames as they arrive: which socket, which bid (by bidCount, unique per accepted `{}` bid), when.
  const frameSocket = [];
  const frameBidCount = [];
  const frameArrival = [];
  const lastSeq = new Map();
  let seqRegressions = 0;
  let otherFrames = 0;
  let recording = false;
  const onFrame = (index, frame, arrival) => {
    if (typeof frame !== "object" || frame === null) return;
    if (typeof frame.seq === "number") {
      if (frame.seq <= (lastSeq.get(index) ?? -1)) seqRegressions++;
      lastSeq.set(index, frame.seq);
    }
    if (!recording) return;
    if (frame.type === "bid" && typeof frame.bidCount === "number") {
      frameSocket.push(index);
      frameBidCount.push(frame.bidCount);
      frameArrival.push(arrival);
    } else if (frame.type !== "snapshot") {
      otherFrames++;
    }
  };

  const connectMeter = cpuMeter(ctx.pgid);
  const opened = await openRoomSockets(ctx.baseUrl, auctionId, profile.watchers, {
    onFrame,
    deadlineMs: profile.connectMaxMs,
  });
  const connectCpu = connectMeter.stop();
  ctx.log(
    `  ${opened.sockets.length}/${profile.watchers} room sockets open in ${opened.seconds} s` +
      (opened.error ? ` (first failure: ${opened.error})` : ""),
  );
  if (opened.sockets.length === 0) {
    return {
      available: false,
      reason: `no room socket could be opened: ${opened.error ?? "unknown"}`,
      alone,
    };
  }
  // Sockets the server closed while the run was on (ours are closed only after it).
  let closedEarly = 0;
  let closing = false;
  for (const ws of opened.sockets)
    ws.once("close", () => {
      if (!closing) closedEarly++;
    });

  // Reply time of each accepted bid, by the bidCount it produced.
  const replyAt = new Map();
  recording = true;
  const withWatchers = await measured(ctx, `${opened.sockets.length} watchers, open ${rate}/s`, [201], () =>
    openLoop({
      baseUrl: ctx.baseUrl,
      rate,
      durationMs: profile.fanoutMs,
      next: (k) => req.bid(auctionId, i + k),
      keepBody: true,
      onResult: (_k, r) => {
        if (r.status !== 201 || r.body === undefined) return;
        const count = JSON.parse(r.body).auction?.bidCount;
        if (typeof count === "number") replyAt.set(count, r.end);
      },
    }),
  );
  const sockets = opened.sockets.length;
  const expected = replyAt.size * sockets;
  // Frames may still be in flight: wait (bounded) until every socket has every bid.
  const drainStarted = performance.now();
  const delivered = () => frameBidCount.reduce((n, c) => n + (replyAt.has(c) ? 1 : 0), 0);
  while (performance.now() - drainStarted < profile.drainMaxMs && delivered() < expected) await sleep(100);
  recording = false;
  closing = true;

  const latencies = [];
  const perBid = new Map();
  for (let f = 0; f < frameBidCount.length; f++) {
    const at = replyAt.get(frameBidCount[f]);
    if (at === undefined) continue;
    latencies.push(frameArrival[f] - at);
    const seen = perBid.get(frameBidCount[f]) ?? new Set();
    seen.add(frameSocket[f]);
    perBid.set(frameBidCount[f], seen);
  }
  let pairs = 0;
  let bidsToEverySocket = 0;
  for (const count of replyAt.keys()) {
    const n = perBid.get(count)?.size ?? 0;
    pairs += n;
    if (n === sockets) bidsToEverySocket++;
  }
  await closeAll(opened.sockets);
  const delivery = latencyStats(latencies);
  return {
    available: true,
    rate,
    alone,
    withWatchers,
    watchers: {
      requested: profile.watchers,
      open: sockets,
      failures: opened.failures,
      connectSeconds: opened.seconds,
    },
    connectCpu,
    fanout: {
      bids: replyAt.size,
      sockets,
      framesExpected: expected,
      framesDelivered: pairs,
      deliveredShare: expected === 0 ? null : round4(pairs / expected),
      bidsDeliveredToEverySocket: bidsToEverySocket,
      duplicateFrames: latencies.length - pairs,
      seqRegressions,
      otherFrames,
      socketsClosedEarly: closedEarly,
      deliveryLatencyMs: {
        ...delivery,
        min: latencies.length ? round2(latencies.reduce((a, b) => Math.min(a, b))) : null,
      },
    },
  };
}

/** GET a JSON resource with a token; `{status, body}` with the body parsed when it is JSON. */
async function getJson(baseUrl, path, token) {
  const res = await fetch(new URL(path, baseUrl), { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

async function postBid(baseUrl, auctionId, token) {
  const res = await fetch(new URL(`/api/v1/auctions/${auctionId}/bids`, baseUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: "{}",
  });
  await res.arrayBuffer();
  return { status: res.status, at: performance.now() };
}

const inboxIds = (body, auctionId) =>
  new Set(
    (Array.isArray(body?.items) ? body.items : [])
      .filter((m) => m.kind === "outbid" && m.auctionId === auctionId)
      .map((m) => m.id),
  );

/**
 * 6. Notification end to end: two bidders take turns outbidding each other on their own auction;
 * each time, from the reply to the outbidding bid until (a) the `outbid` frame reaches the previous
 * leader's /me/live socket and (b) the row shows up in their inbox (polled).
 */
export async function notificationScenario(ctx) {
  const { profile } = ctx;
  const pairs = ctx.notifyPairs;
  // Probe both endpoints once, so a missing feature is reported as such rather than as timeouts.
  const probe = await getJson(ctx.baseUrl, "/api/v1/me/inbox?limit=1", pairs[0].a.token);
  if (probe.status !== 200) {
    return { available: false, reason: `GET /api/v1/me/inbox answered ${probe.status}` };
  }
  const frameQueues = new Map();
  const sockets = [];
  try {
    for (const pair of pairs) {
      for (const user of [pair.a, pair.b]) {
        frameQueues.set(user.token, []);
        sockets.push(
          await openUserSocket(ctx.baseUrl, user.token, (frame, arrival) => {
            if (frame?.type === "notification" && frame.message?.kind === "outbid") {
              frameQueues.get(user.token).push({ auctionId: frame.message.auctionId, arrival });
            }
          }),
        );
      }
    }
  } catch (error) {
    await closeAll(sockets);
    return { available: false, reason: `GET /api/v1/me/live: ${error.message}` };
  }

  const frameMs = [];
  const inboxMs = [];
  let frameTimeouts = 0;
  let inboxTimeouts = 0;
  let bidFailures = 0;
  const meter = cpuMeter(ctx.pgid);
  const runPair = async (pair) => {
    let leader = pair.a;
    let challenger = pair.b;
    const first = await postBid(ctx.baseUrl, pair.auctionId, leader.token);
    if (first.status !== 201) bidFailures++;
    for (let round = 0; round < profile.notifyRounds; round++) {
      const before = inboxIds(
        (await getJson(ctx.baseUrl, "/api/v1/me/inbox?limit=20", leader.token)).body,
        pair.auctionId,
      );
      const queue = frameQueues.get(leader.token);
      queue.length = 0;
      const bid = await postBid(ctx.baseUrl, pair.auctionId, challenger.token);
      if (bid.status !== 201) {
        bidFailures++;
        continue;
      }
      const deadline = bid.at + profile.notifyTimeoutMs;
      let frameAt;
      let inboxAt;
      while (performance.now() < deadline && (frameAt === undefined || inboxAt === undefined)) {
        if (frameAt === undefined) {
          const hit = queue.find((f) => f.auctionId === pair.auctionId);
          if (hit) frameAt = hit.arrival;
        }
        if (inboxAt === undefined) {
          const page = await getJson(ctx.baseUrl, "/api/v1/me/inbox?limit=20", leader.token);
          const now = performance.now();
          for (const id of inboxIds(page.body, pair.auctionId)) if (!before.has(id)) inboxAt = now;
        }
        if (frameAt === undefined || inboxAt === undefined) await sleep(profile.inboxPollMs);
      }
      if (frameAt === undefined) frameTimeouts++;
      else frameMs.push(frameAt - bid.at);
      if (inboxAt === undefined) inboxTimeouts++;
      else inboxMs.push(inboxAt - bid.at);
      [leader, challenger] = [challenger, leader];
    }
  };
  await Promise.all(pairs.map(runPair));
  const cpu = meter.stop();
  await closeAll(sockets);
  return {
    available: true,
    samples: pairs.length * profile.notifyRounds,
    pairs: pairs.length,
    inboxPollMs: profile.inboxPollMs,
    liveFrameMs: latencyStats(frameMs),
    inboxRowMs: latencyStats(inboxMs),
    frameTimeouts,
    inboxTimeouts,
    bidFailures,
    cpu,
  };
}

/**
 * Where the server's JavaScript time goes under one hot auction: the same load as its 50-connection
 * closed loop, with V8's sampling profiler on (which slows it: these figures are not compared).
 */
export async function profileScenario(ctx) {
  const req = requests(ctx.bidderTokens);
  // wrangler's own inspector proxy lives in the proxy workerd; the runtime's raw inspector (in the
  // other one) is already taken by that proxy.
  const processes = [...groupCpu(ctx.pgid)];
  const proxies = processes.filter(([, p]) => p.role === "workerd(proxy)").map(([pid]) => pid);
  const inspector = await findInspector(proxies, Number(new URL(ctx.baseUrl).port));
  ctx.log(`  inspector: ${inspector}`);
  if (!inspector) return { available: false, reason: "could not find wrangler's inspector port" };
  await quiesce(ctx.pgid, { maxMs: ctx.profile.quiesceMaxMs });
  const profiler = await startProfiler(inspector);
  let profile;
  let run;
  try {
    run = await measured(ctx, "hot auction, closed 50 conn, profiled", [201], () =>
      closedLoop({
        baseUrl: ctx.baseUrl,
        connections: 50,
        durationMs: ctx.profile.cpuProfileMs,
        warmupMs: 0,
        next: (i) => req.bid(ctx.hotAuction, i),
      }),
    );
  } finally {
    profile = await profiler.stop();
  }
  const bundleMap = ctx.sourceRoot ? loadBundleMap(ctx.sourceRoot) : null;
  return { available: true, run, profile, summary: summariseProfile(profile, { bundleMap }) };
}

function round2(v) {
  return Math.round(v * 100) / 100;
}

function round4(v) {
  return Math.round(v * 10_000) / 10_000;
}
