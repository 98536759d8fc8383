// 10. The web app's pages (SPEC §10): time to first byte of the server-rendered catalog (`/`) and
// auction page (`/auctions/{id}`), and Lighthouse's scores for both in Chromium. Reported, never
// asserted, like every figure here.

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { solidPng } from "../../test/browser/png.ts";
import { createAuction, uploadPhoto } from "../../test/e2e/harness.ts";
import { cpuMeter, quiesce } from "./cpu.mjs";
import { pool } from "./load.mjs";
import { measured } from "./scenarios.mjs";
import { projectRoot } from "./snapshot.mjs";

/** Debian's Chromium (what the browser tests use); CHROMIUM_PATH or CHROME_PATH point elsewhere. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? process.env.CHROME_PATH ?? "/usr/bin/chromium";
const LIGHTHOUSE_CLI = join(projectRoot, "node_modules", "lighthouse", "cli", "index.js");
const LIGHTHOUSE_CATEGORIES = ["performance", "accessibility", "best-practices"];
/** The scores the issue asks of every page; shown beside each score, never asserted. */
export const LIGHTHOUSE_TARGET = 90;
/** Lighthouse's timings worth a column, by audit id. */
const LIGHTHOUSE_METRICS = {
  "first-contentful-paint": "fcpMs",
  "largest-contentful-paint": "lcpMs",
  "total-blocking-time": "tbtMs",
  "cumulative-layout-shift": "cls",
  "speed-index": "speedIndexMs",
  "server-response-time": "serverResponseMs",
};
const SESSION_COOKIE = "sa_session";

const round2 = (v) => Math.round(v * 100) / 100;

/**
 * Requests one page `count` times, one after another on one keep-alive connection (after
 * `warmup` unrecorded ones), recording for each the time to the response's first byte (its status
 * line and headers: `ms`, what the percentiles are of) and to its last byte (`totalMs`).
 */
async function firstByteLoop({ baseUrl, path, headers, count, warmup }) {
  const p = pool(baseUrl, 1);
  const once = () =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = http.request(
        { host: p.host, port: p.port, method: "GET", path, headers, agent: p.agent },
        (res) => {
          const firstByte = performance.now();
          let bytes = 0;
          res.on("data", (chunk) => {
            bytes += chunk.length;
          });
          res.on("end", () => {
            const end = performance.now();
            resolve({
              status: res.statusCode ?? 0,
              contentType: res.headers["content-type"] ?? "",
              ms: firstByte - started,
              totalMs: end - started,
              bytes,
              at: end,
            });
          });
          res.on("error", () =>
            resolve({ status: 0, code: "RESPONSE_ERROR", ms: Number.NaN, at: performance.now() }),
          );
        },
      );
      req.setTimeout(15_000, () => req.destroy(new Error("timeout")));
      req.on("error", (error) =>
        resolve({ status: 0, code: error.code ?? "NETWORK_ERROR", ms: Number.NaN, at: performance.now() }),
      );
      req.end();
    });
  for (let i = 0; i < warmup; i++) await once();
  const outcomes = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) outcomes.push(await once());
  const wallMs = performance.now() - started;
  p.agent.destroy();
  return { kind: "closed", connections: 1, wallMs, outcomes };
}

/** Percentiles (nearest rank) of the finite values; the shape latencyStats gives, p50/p95 only. */
function stats(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const at = (q) =>
    sorted.length === 0
      ? null
      : round2(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
  return { n: sorted.length, p50: at(0.5), p95: at(0.95) };
}

/**
 * One Lighthouse run (its CLI, mobile form factor: its default emulated phone and simulated slow
 * 4G) of `url` in headless Chromium. Resolves with the scores (0–100), the main timings and the
 * audits that did not pass in each category, or with `error`.
 */
export function runLighthouse(url) {
  const args = [
    LIGHTHOUSE_CLI,
    url,
    "--output=json",
    "--output-path=stdout",
    "--quiet",
    "--form-factor=mobile",
    `--only-categories=${LIGHTHOUSE_CATEGORIES.join(",")}`,
    "--chrome-flags=--headless=new --no-sandbox",
    // Scored whatever the status, so that a page answering an error is measured as it is served
    // (the report puts the status beside the scores) instead of ending the run.
    "--ignore-status-code",
    // English, as the browser tests see the pages.
    `--extra-headers=${JSON.stringify({ Cookie: "lang=en" })}`,
  ];
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      {
        cwd: projectRoot,
        env: { ...process.env, CHROME_PATH: CHROMIUM_PATH },
        maxBuffer: 256 * 1024 * 1024,
        timeout: 180_000,
      },
      (error, stdout, stderr) => {
        const seconds = round2((performance.now() - started) / 1000);
        let lhr;
        try {
          lhr = JSON.parse(stdout);
        } catch {
          // Its own words (a page it will not score says why), else the end of what it printed.
          const said = [...new Set(stderr.split("\n").filter((line) => /Runtime error/.test(line)))];
          const why = said.length
            ? said.join(" ").trim()
            : stderr.trim().slice(-500) || String(error?.message);
          resolve({ seconds, error: `lighthouse did not score the page: ${why}` });
          return;
        }
        const scores = {};
        const failing = {};
        for (const id of LIGHTHOUSE_CATEGORIES) {
          const category = lhr.categories?.[id];
          scores[id] = typeof category?.score === "number" ? Math.round(category.score * 100) : null;
          failing[id] = (category?.auditRefs ?? [])
            .filter((ref) => ref.weight > 0)
            .map((ref) => lhr.audits?.[ref.id])
            .filter((audit) => audit && typeof audit.score === "number" && audit.score < 0.9)
            .map((audit) => ({ id: audit.id, title: audit.title, score: audit.score }));
        }
        const metrics = {};
        for (const [audit, key] of Object.entries(LIGHTHOUSE_METRICS)) {
          const value = lhr.audits?.[audit]?.numericValue;
          metrics[key] = typeof value === "number" ? round2(value) : null;
        }
        const mainRequest = lhr.audits?.["network-requests"]?.details?.items?.find(
          (item) => item.resourceType === "Document",
        );
        resolve({
          seconds,
          status: typeof mainRequest?.statusCode === "number" ? mainRequest.statusCode : null,
          finalUrl: lhr.finalDisplayedUrl ?? lhr.finalUrl ?? url,
          runtimeError: lhr.runtimeError?.message ?? null,
          warnings: lhr.runWarnings ?? [],
          scores,
          metrics,
          failing,
          lighthouseVersion: lhr.lighthouseVersion,
          userAgent: lhr.environment?.hostUserAgent,
          // Lighthouse's own measure of this machine's CPU speed (higher is faster; a desktop is
          // about 1,000–2,000): its simulated phone is slowed down relative to it.
          benchmarkIndex: lhr.environment?.benchmarkIndex ?? null,
        });
      },
    );
  });
}

/**
 * Seeds the auction the pages show: a photo (uploaded as the client does, when the server has
 * uploads), a description, a buy-now price and a few bids; waits until the catalog's D1 projection
 * lists it.
 */
async function seedWebAuction(ctx) {
  let imageUrls = [];
  let photo;
  try {
    imageUrls = [
      await uploadPhoto(ctx.baseUrl, ctx.sellerToken, solidPng(1200, 900, [64, 140, 120]), "image/png"),
    ];
    photo = { uploaded: true, url: imageUrls[0] };
  } catch (error) {
    photo = { uploaded: false, reason: String(error.message ?? error).slice(0, 300) };
  }
  const auctionId = await createAuction(ctx.baseUrl, ctx.sellerToken, {
    title: "Celadon teapot",
    description:
      "Jade-green glaze, no chips or cracks. Lid included. Collect in Mapo-gu or shipped in a padded box.",
    category: "home",
    imageUrls,
    startingPrice: 30_000,
    buyNowPrice: 90_000,
    durationSeconds: 6 * 3600,
  });
  let bids = 0;
  for (const token of ctx.bidderTokens.slice(0, 3)) {
    const res = await fetch(new URL(`/api/v1/auctions/${auctionId}/bids`, ctx.baseUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{}",
    });
    await res.arrayBuffer();
    if (res.status === 201) bids++;
  }
  // The catalog reads the D1 projection, which the queue fills within about a second.
  let listed = false;
  for (let i = 0; i < 50 && !listed; i++) {
    const res = await fetch(new URL("/api/v1/auctions?sort=newest&limit=5", ctx.baseUrl));
    const body = await res.json().catch(() => null);
    listed = Array.isArray(body?.items) && body.items.some((item) => item.id === auctionId);
    if (!listed) await sleep(200);
  }
  return { auctionId, photo, bids, listedInCatalog: listed };
}

/**
 * 10. Web pages: after seeding, each page's first byte, `webRequests` times in a row on one
 * connection, signed out and signed in (the session cookie: the page then also reads the session
 * and the unread count), measured like every run here (server idle before and after, CPU of both
 * sides); then Lighthouse on each page, signed out, with the server idle.
 */
export async function webScenario(ctx) {
  const { profile } = ctx;
  const seeded = await seedWebAuction(ctx);
  ctx.log(
    `  auction ${seeded.auctionId}: photo ${seeded.photo.uploaded ? "uploaded" : `not uploaded (${seeded.photo.reason.slice(0, 80)})`}, ${seeded.bids} bids, ${seeded.listedInCatalog ? "" : "not "}listed in the catalog`,
  );
  const pages = [
    { page: "catalog", path: "/" },
    { page: "auction", path: `/auctions/${seeded.auctionId}` },
  ];
  const viewers = [
    { viewer: "signed out", cookie: "lang=en" },
    { viewer: "signed in", cookie: `lang=en; ${SESSION_COOKIE}=${ctx.bidderTokens[0]}` },
  ];
  const runs = [];
  for (const { page, path } of pages) {
    for (const { viewer, cookie } of viewers) {
      let extra = {};
      const run = await measured(
        ctx,
        `${page} (${path === "/" ? "/" : "/auctions/{id}"}), ${viewer}`,
        [200],
        async () => {
          const loop = await firstByteLoop({
            baseUrl: ctx.baseUrl,
            path,
            headers: { accept: "text/html", cookie },
            count: profile.webRequests,
            warmup: profile.webWarmup,
          });
          const first = loop.outcomes.find((o) => o.status !== 0);
          extra = {
            status: first?.status ?? 0,
            contentType: first?.contentType ?? "",
            bytes: first?.bytes ?? null,
            totalMs: stats(loop.outcomes.map((o) => o.totalMs)),
          };
          return loop;
        },
      );
      runs.push({ ...run, page, path, viewer, ...extra });
    }
  }

  const lighthouseRuns = [];
  if (!existsSync(CHROMIUM_PATH)) {
    lighthouseRuns.push({ error: `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)` });
  } else {
    for (const { page, path } of pages) {
      await quiesce(ctx.pgid, { maxMs: profile.quiesceMaxMs });
      const meter = cpuMeter(ctx.pgid);
      const url = new URL(path, ctx.baseUrl).href;
      let result = await runLighthouse(url);
      // Lighthouse sometimes fails to record its own trace (NO_NAVSTART: "Please run Lighthouse
      // again"): one more try, as it says, with the first failure kept for the report.
      if (result.error) result = { ...(await runLighthouse(url)), firstAttemptError: result.error };
      const cpu = meter.stop();
      ctx.log(
        result.error
          ? `  lighthouse ${page}: ${result.error.slice(0, 300)}`
          : `  lighthouse ${page}: ${LIGHTHOUSE_CATEGORIES.map((c) => `${c} ${result.scores[c]}`).join(", ")} (${result.seconds} s)`,
      );
      lighthouseRuns.push({ page, path, ...result, cpu });
    }
  }
  return { seeded, runs, lighthouse: lighthouseRuns, target: LIGHTHOUSE_TARGET };
}
