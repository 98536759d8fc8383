// HTTP load generators: closed loop (N connections, each sends its next request when the last one
// answered) and open loop (requests leave on a fixed schedule whatever the server does, and each
// latency is measured from the moment its request was *due*, so a slow server cannot hide its
// queue by slowing the generator down: no coordinated omission).

import http from "node:http";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** A request that has not answered within this long counts as an error. */
const REQUEST_TIMEOUT_MS = 15_000;
/** Open loop: requests still unanswered beyond this many are not sent (and counted as errors). */
export const MAX_OUTSTANDING = 4_000;
/** Open loop: how often the scheduler wakes to send what is due. */
const TICK_MS = 1;

/**
 * @typedef {{ method: string, path: string, headers: Record<string, string>, body?: Buffer }} Req
 * @typedef {{ status: number, ms: number, code?: string, retryAfter?: string, body?: string, at: number }} Outcome
 *   `retryAfter`: a refusal's Retry-After header, when it had one
 */

const IDLE_SOCKET_MS = 2_000;

/**
 * `wrangler dev` forwards each request from its proxy to the Worker over pooled connections, and
 * both ends drop a pooled connection once it has been idle for 5 s. A request sent on one right
 * then is lost, and wrangler 4.124 exited on it ("Network connection lost", empty "✘ [ERROR]";
 * cloudflare/workers-sdk#14926, #15317); 4.164 survives it (bench/README.md), and this stays so
 * that figures remain comparable with earlier runs. The proxy keeps about as many connections as
 * requests were in flight at once, so a run that needs N of them must not start while the k-th of
 * them (k ≤ N) has been idle for 4–6.5 s. `busyUntil[k]` is when k requests were last in flight at once.
 */
const IDLE_RACE_FROM_MS = 4_000;
const IDLE_RACE_UNTIL_MS = 6_500;
const busyUntil = [];
let inFlight = 0;

function markInFlight(delta) {
  inFlight += delta;
  const now = performance.now();
  // Levels past the largest run's 50 connections are requests waiting in the client's pool.
  for (let k = 1; k <= Math.min(inFlight, 64); k++) busyUntil[k] = now;
}

/** Waits (at most a few seconds) until starting a run of `concurrency` requests is safe. */
export async function stayClearOfIdleTimeouts(concurrency) {
  const now = performance.now();
  const forbidden = busyUntil
    .slice(1, concurrency + 1)
    .filter((t) => t !== undefined)
    .map((t) => [t + IDLE_RACE_FROM_MS, t + IDLE_RACE_UNTIL_MS])
    .sort((x, y) => x[0] - y[0]);
  let start = now;
  for (const [from, until] of forbidden) if (start >= from && start < until) start = until;
  if (start > now) await sleep(start - now);
}

/** A keep-alive connection pool to the server; one per run, so runs never share sockets. */
export function pool(baseUrl, maxSockets) {
  const url = new URL(baseUrl);
  // Idle sockets are closed after IDLE_SOCKET_MS, well before the server's own 5 s keep-alive
  // timeout: a request written on a socket the server is closing at that very moment is lost, and
  // under `wrangler dev` a lost request can take the whole dev server down (see busyUntil).
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets,
    maxFreeSockets: maxSockets,
    timeout: IDLE_SOCKET_MS,
  });
  return { host: url.hostname, port: Number(url.port), agent };
}

/**
 * Sends one request and resolves when its whole answer has arrived. Never rejects: a network
 * error or timeout resolves with status 0 and the error's name as `code`. A refusal (4xx/5xx)
 * resolves with its problem `code` and its Retry-After header.
 * @param {ReturnType<typeof pool>} p
 * @param {Req} req
 * @param {{ keepBody?: boolean }} [options]
 * @returns {Promise<Omit<Outcome, "ms" | "at"> & { end: number }>}
 */
export function send(p, req, options = {}) {
  return new Promise((resolve) => {
    let settled = false;
    markInFlight(1);
    const finish = (value) => {
      if (settled) return;
      settled = true;
      markInFlight(-1);
      resolve({ ...value, end: performance.now() });
    };
    const r = http.request(
      {
        host: p.host,
        port: p.port,
        method: req.method,
        path: req.path,
        headers: req.headers,
        agent: p.agent,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        // Only a refusal's body is read (for its `code`), unless the caller wants the answer.
        const wanted = options.keepBody || status >= 400;
        if (!wanted) {
          res.on("end", () => finish({ status }));
          res.on("error", () => finish({ status: 0, code: "RESPONSE_ERROR" }));
          res.resume();
          return;
        }
        const retryAfter = status >= 400 ? res.headers["retry-after"] : undefined;
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("error", () => finish({ status: 0, code: "RESPONSE_ERROR" }));
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          let code;
          if (status >= 400) {
            try {
              code = JSON.parse(body).code;
            } catch {
              code = undefined;
            }
          }
          finish({ status, code, retryAfter, body: options.keepBody ? body : undefined });
        });
      },
    );
    r.setTimeout(REQUEST_TIMEOUT_MS, () => {
      finish({ status: 0, code: "TIMEOUT" });
      r.destroy();
    });
    r.on("error", (error) => finish({ status: 0, code: error.code ?? "NETWORK_ERROR" }));
    r.end(req.body);
  });
}

/**
 * Closed loop: `connections` workers, each sending its next request as soon as the previous one
 * answered (or `pauseMs` after), for `durationMs` after an unrecorded warm-up.
 * @param {{ baseUrl: string, connections: number, durationMs: number, warmupMs?: number,
 *   pauseMs?: number, next: (i: number) => Req, until?: () => boolean,
 *   onResult?: (o: Outcome) => void }} options
 *   `until` ends the run early; `onResult` sees each recorded outcome as it arrives
 */
export async function closedLoop({
  baseUrl,
  connections,
  durationMs,
  warmupMs = 500,
  pauseMs = 0,
  next,
  until,
  onResult,
}) {
  await stayClearOfIdleTimeouts(connections);
  const p = pool(baseUrl, connections);
  let counter = 0;
  const phase = async (ms, record) => {
    const end = performance.now() + ms;
    const worker = async () => {
      while (performance.now() < end && !until?.()) {
        const start = performance.now();
        const r = await send(p, next(counter++));
        record?.({ status: r.status, code: r.code, retryAfter: r.retryAfter, ms: r.end - start, at: r.end });
        if (pauseMs > 0) await sleep(pauseMs);
      }
    };
    await Promise.all(Array.from({ length: connections }, worker));
  };
  await phase(warmupMs);
  /** @type {Outcome[]} */
  const outcomes = [];
  const started = performance.now();
  await phase(durationMs, (o) => {
    outcomes.push(o);
    onResult?.(o);
  });
  const wallMs = performance.now() - started;
  p.agent.destroy();
  return { kind: "closed", connections, wallMs, outcomes };
}

/**
 * Open loop: request i is due at start + i / rate, for `durationMs`. Latency runs from when the
 * request was due, not from when it left, so time spent queued behind a slow server (in the
 * connection pool or in this process) is counted.
 *
 * At most `maxSockets` requests are on the wire at once (the rest wait, on the clock, in the pool):
 * with hundreds of concurrent connections wrangler 4.124's proxy lost one ("Network connection
 * lost") and the whole dev server exited (cloudflare/workers-sdk#15317), so the default matches
 * the largest closed loop. The overload scenario lifts it to MAX_OUTSTANDING (every request
 * unanswered gets a connection of its own): its point is that the offered rate reaches the server. `peakOutstanding` (sent, not yet answered) above `maxSockets`
 * means the cap held requests back in the client.
 * @param {{ baseUrl: string, rate: number, durationMs: number, maxSockets?: number,
 *   next: (i: number) => Req, keepBody?: boolean,
 *   onResult?: (i: number, r: { status: number, body?: string, retryAfter?: string, end: number }, due: number) => void }} options
 */
export async function openLoop({
  baseUrl,
  rate,
  durationMs,
  maxSockets = 50,
  next,
  keepBody = false,
  onResult,
}) {
  await stayClearOfIdleTimeouts(maxSockets);
  const p = pool(baseUrl, maxSockets);
  const total = Math.max(1, Math.round((rate * durationMs) / 1000));
  const intervalMs = 1000 / rate;
  /** @type {Outcome[]} */
  const outcomes = [];
  const pending = [];
  let outstanding = 0;
  let peakOutstanding = 0;
  let unsent = 0;
  let maxLagMs = 0;
  const started = performance.now() + 20;
  let i = 0;
  while (i < total) {
    const now = performance.now();
    while (i < total && started + i * intervalMs <= now) {
      const due = started + i * intervalMs;
      const index = i;
      maxLagMs = Math.max(maxLagMs, now - due);
      if (outstanding >= MAX_OUTSTANDING) {
        unsent++;
        outcomes.push({ status: 0, code: "NOT_SENT_OVERLOAD", ms: Number.NaN, at: now });
      } else {
        outstanding++;
        peakOutstanding = Math.max(peakOutstanding, outstanding);
        pending.push(
          send(p, next(index), { keepBody }).then((r) => {
            outstanding--;
            outcomes.push({
              status: r.status,
              code: r.code,
              retryAfter: r.retryAfter,
              ms: r.end - due,
              at: r.end,
            });
            onResult?.(index, r, due);
          }),
        );
      }
      i++;
    }
    if (i < total) await sleep(Math.min(TICK_MS, Math.max(0, started + i * intervalMs - performance.now())));
  }
  await Promise.all(pending);
  const wallMs = performance.now() - started;
  p.agent.destroy();
  return {
    kind: "open",
    rate,
    wallMs,
    outcomes,
    unsent,
    maxSchedulerLagMs: maxLagMs,
    maxSockets,
    peakOutstanding,
  };
}

/** The q-quantile (0..1) of a sorted array, nearest-rank. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** Latency percentiles (ms) of a list of numbers; nulls when empty. */
export function latencyStats(values) {
  const sorted = Float64Array.from(values.filter((v) => Number.isFinite(v))).sort();
  const round = (v) => (v === null ? null : Math.round(v * 100) / 100);
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n: sorted.length,
    p50: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    p99: round(quantile(sorted, 0.99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : null),
    mean: round(sorted.length ? sum / sorted.length : null),
  };
}

/** A Retry-After header a client can act on: delta-seconds (the only form this API sends). */
export function hasRetryAfter(o) {
  return typeof o.retryAfter === "string" && /^\d+$/.test(o.retryAfter);
}

/**
 * What one outcome was: "ok" (one of `okStatuses`), "bidTooLow" (422 BID_TOO_LOW, a correct
 * refusal under contention), "insufficientFunds" (422 INSUFFICIENT_FUNDS, only where the caller
 * says bidders may run short: elsewhere they are funded far beyond what they bid, and it is an
 * error), "rateLimited" (429 RATE_LIMITED) or "overloaded" (503 OVERLOADED: shed unprocessed),
 * each of the last two only with a usable Retry-After, or "error" (anything else, a refusal that
 * tells the client to come back without saying when included).
 * @param {{ fundsMayRunShort?: boolean }} [options]
 */
export function classify(o, okStatuses, { fundsMayRunShort = false } = {}) {
  if (okStatuses.includes(o.status)) return "ok";
  if (o.status === 422 && o.code === "BID_TOO_LOW") return "bidTooLow";
  if (fundsMayRunShort && o.status === 422 && o.code === "INSUFFICIENT_FUNDS") return "insufficientFunds";
  if (o.status === 429 && o.code === "RATE_LIMITED" && hasRetryAfter(o)) return "rateLimited";
  if (o.status === 503 && o.code === "OVERLOADED" && hasRetryAfter(o)) return "overloaded";
  return "error";
}

/** How an error outcome is tallied in `errorKinds`, e.g. "TIMEOUT", "500 INTERNAL", "503 OVERLOADED without Retry-After". */
function errorKind(o) {
  if (o.status === 0) return o.code;
  const named = `${o.status} ${o.code ?? ""}`.trim();
  return (o.status === 429 || o.status === 503) && !hasRetryAfter(o) ? `${named} without Retry-After` : named;
}

/**
 * Summarises a run. `okStatuses` are successes; 422 BID_TOO_LOW, 429 RATE_LIMITED and 503
 * OVERLOADED are counted on their own (correct refusals under contention and overload; the last
 * two only with a Retry-After), and so is 422 INSUFFICIENT_FUNDS with `fundsMayRunShort`; anything
 * else is an error. Latency percentiles cover every answered request (refusals included: they
 * took the same path, or part of it).
 * @param {{ fundsMayRunShort?: boolean }} [options]
 */
export function summarise(run, okStatuses, options = {}) {
  const statuses = {};
  const counts = { ok: 0, bidTooLow: 0, insufficientFunds: 0, rateLimited: 0, overloaded: 0, error: 0 };
  const errorKinds = {};
  for (const o of run.outcomes) {
    const key = o.status === 0 ? `${o.code}` : String(o.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
    const outcome = classify(o, okStatuses, options);
    counts[outcome]++;
    if (outcome === "error") {
      const kind = errorKind(o);
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
    }
  }
  const errors = counts.error;
  const answered = run.outcomes.filter((o) => o.status !== 0);
  const seconds = run.wallMs / 1000;
  return {
    kind: run.kind,
    ...(run.kind === "closed" ? { connections: run.connections } : { offeredRate: run.rate }),
    seconds: Math.round(seconds * 100) / 100,
    requests: run.outcomes.length,
    ok: counts.ok,
    bidTooLow: counts.bidTooLow,
    ...(options.fundsMayRunShort ? { insufficientFunds: counts.insufficientFunds } : {}),
    rateLimited: counts.rateLimited,
    overloaded: counts.overloaded,
    errors,
    ...(errors > 0 ? { errorKinds } : {}),
    statuses,
    throughput: Math.round((answered.length / seconds) * 10) / 10,
    okThroughput: Math.round((counts.ok / seconds) * 10) / 10,
    latencyMs: latencyStats(answered.map((o) => o.ms)),
    ...(run.kind === "open"
      ? {
          maxSchedulerLagMs: Math.round(run.maxSchedulerLagMs * 10) / 10,
          maxSockets: run.maxSockets,
          peakOutstanding: run.peakOutstanding,
        }
      : {}),
  };
}
