// Benchmarks: `npm run bench` (full, < 15 min) or `npm run bench -- --quick` (< 2 min).
// Starts its own `wrangler dev` (test/e2e/harness.ts) on a free port with a fresh persist folder,
// seeds users and auctions through the public API, runs the scenarios, stops the server by its
// process group, and writes bench/results/latest.json and latest.md. See bench/README.md.
//
// Options: --quick, --only=ceiling,hot,many,live,notify,growth (ceiling always runs: everything is
// compared with it), --live-tree (serve the working tree instead of a frozen copy of it).

import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { evaluateTargets, renderMarkdown } from "./lib/report.mjs";
import {
  ceilingScenario,
  growthScenario,
  hotAuctionScenario,
  liveRoomScenario,
  manyAuctionsScenario,
  notificationScenario,
} from "./lib/scenarios.mjs";
import { seedAuctions, seedUsers, timed } from "./lib/seed.mjs";
import { loadHarness, projectRoot } from "./lib/snapshot.mjs";

const PROFILES = {
  quick: {
    budgetMs: 115_000,
    users: 160,
    closedConnections: [1, 8, 50],
    openFractions: [0.25, 0.5, 0.75, 1],
    closedMs: 1_500,
    openMs: 1_500,
    warmupMs: 300,
    quiesceMaxMs: 5_000,
    manyAuctions: 50,
    watchers: 300,
    connectMaxMs: 15_000,
    fanoutRate: 10,
    aloneMs: 4_000,
    fanoutMs: 6_000,
    drainMaxMs: 3_000,
    notifyPairs: 2,
    notifyRounds: 4,
    notifyTimeoutMs: 8_000,
    inboxPollMs: 50,
    growthCheckpoints: [1_000, 5_000],
    growthFraction: 0.25,
    growthMeasureMs: 2_000,
    growthFillMaxMs: 40_000,
    fillConnections: 16,
  },
  full: {
    budgetMs: 14 * 60_000,
    users: 400,
    closedConnections: [1, 8, 50],
    openFractions: [0.25, 0.5, 0.75, 1, 1.25],
    closedMs: 5_000,
    openMs: 5_000,
    warmupMs: 1_000,
    quiesceMaxMs: 15_000,
    manyAuctions: 50,
    watchers: 1_000,
    connectMaxMs: 60_000,
    fanoutRate: 10,
    aloneMs: 15_000,
    fanoutMs: 30_000,
    drainMaxMs: 5_000,
    notifyPairs: 4,
    notifyRounds: 8,
    notifyTimeoutMs: 10_000,
    inboxPollMs: 50,
    growthCheckpoints: [1_000, 10_000, 100_000],
    growthFraction: 0.25,
    growthMeasureMs: 5_000,
    growthFillMaxMs: 9 * 60_000,
    fillConnections: 16,
  },
};

const SCENARIOS = ["ceiling", "hot", "many", "live", "notify", "growth"];

function parseArgs(argv) {
  const options = { quick: false, only: new Set(SCENARIOS), frozen: true };
  for (const arg of argv) {
    if (arg === "--quick") options.quick = true;
    else if (arg === "--live-tree") options.frozen = false;
    else if (arg.startsWith("--only=")) {
      const wanted = arg.slice("--only=".length).split(",");
      for (const name of wanted) if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}`);
      options.only = new Set(["ceiling", ...wanted]);
    } else throw new Error(`unknown option ${arg} (use --quick, --only=${SCENARIOS.join(",")}, --live-tree)`);
  }
  return options;
}

function commandLine(argv) {
  const args = argv.join(" ");
  return process.env.npm_lifecycle_event === "bench"
    ? `npm run bench${args ? ` -- ${args}` : ""}`
    : `node bench/run.mjs${args ? ` ${args}` : ""}`;
}

function git(args) {
  try {
    return execFileSync("git", args, { cwd: projectRoot, encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

function packageVersion(path) {
  try {
    return JSON.parse(readFileSync(join(projectRoot, "node_modules", path, "package.json"), "utf8")).version;
  } catch {
    return "unknown";
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    hostname: os.hostname(),
    loadAverageAtStart: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

const started = performance.now();
const log = (line) => console.log(`[bench +${((performance.now() - started) / 1000).toFixed(1)}s] ${line}`);

/** Whether the server still answers; false after it crashed or was killed. */
async function serverAnswers(baseUrl) {
  try {
    const res = await fetch(new URL("/api/v1/health", baseUrl), { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs one scenario; a failure is recorded and the run goes on with the next one, unless the
 * server itself is gone (then every later figure would be an error count).
 */
async function scenario(results, server, key, name, fn) {
  if (results.meta.serverLost) return;
  log(`${name}`);
  try {
    results.scenarios[key] = await fn();
  } catch (error) {
    log(`  failed: ${error.stack ?? error}`);
    results.scenarios[key] = { error: String(error.message ?? error) };
  }
  if (!(await serverAnswers(server.baseUrl))) {
    const tail = server.logTail(40);
    results.meta.serverLost = { after: key, logTail: tail };
    log(`the server stopped answering during ${key}; skipping the rest. wrangler output (tail):\n${tail}`);
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const options = parseArgs(argv);
  const profileName = options.quick ? "quick" : "full";
  const profile = PROFILES[profileName];
  const deadline = started + profile.budgetMs;
  const results = {
    meta: {
      date: new Date().toISOString(),
      command: commandLine(argv),
      profileName,
      profile,
      machine: machine(),
      software: {
        node: process.version,
        wrangler: packageVersion("wrangler"),
        workerd: packageVersion("@cloudflare/workerd-linux-64"),
      },
      code: {
        commit: git(["rev-parse", "--short", "HEAD"]) || "unknown",
        dirty: git(["status", "--porcelain"]) !== "",
        source: options.frozen
          ? "served from a frozen copy taken at the start"
          : "served from the working tree",
      },
    },
    scenarios: {},
  };

  const { harness, cleanup } = await loadHarness({ frozen: options.frozen });
  process.once("exit", cleanup);
  log(`starting wrangler dev (${results.meta.code.source})`);
  const boot = await timed(() => harness.startServer());
  const server = boot.value;
  results.meta.startupSeconds = boot.seconds;
  try {
    const pgid = harness.serverProcessGroup(server);
    log(`server ${server.baseUrl} (process group ${pgid}) up in ${boot.seconds} s`);

    const seeded = await timed(() => seedUsers(server.baseUrl, "bench", profile.users + 1));
    const [seller, ...bidders] = seeded.value;
    log(`seeded ${bidders.length} bidders + 1 seller in ${seeded.seconds} s`);
    const notifyUsers = bidders.slice(-2 * profile.notifyPairs);
    const [hotAuction, growthAuction, liveAuction, ...rest] = await seedAuctions(
      server.baseUrl,
      seller.token,
      3 + profile.manyAuctions + profile.notifyPairs,
    );
    const manyAuctions = rest.slice(0, profile.manyAuctions);
    const notifyAuctions = rest.slice(profile.manyAuctions);
    results.meta.seed = {
      users: bidders.length,
      usersSeconds: seeded.seconds,
      auctions: 3 + manyAuctions.length + notifyAuctions.length,
    };

    const ctx = {
      baseUrl: server.baseUrl,
      pgid,
      profile,
      log,
      // Notification users are kept out of the load so that their inboxes stay quiet.
      bidderTokens: bidders.slice(0, bidders.length - notifyUsers.length).map((b) => b.token),
      hotAuction,
      growthAuction,
      liveAuction,
      manyAuctions,
      notifyPairs: notifyAuctions.map((auctionId, k) => ({
        auctionId,
        a: notifyUsers[2 * k],
        b: notifyUsers[2 * k + 1],
      })),
      ceiling: null,
    };

    await scenario(results, server, "ceiling", "1. ceiling: ping", () => ceilingScenario(ctx));
    ctx.ceiling = results.scenarios.ceiling;
    if (ctx.ceiling?.error) throw new Error("the ceiling failed, and everything is measured against it");
    if (options.only.has("hot"))
      await scenario(results, server, "hotAuction", "2. one hot auction", () => hotAuctionScenario(ctx));
    if (options.only.has("many"))
      await scenario(results, server, "manyAuctions", "3. many auctions", () => manyAuctionsScenario(ctx));
    if (options.only.has("live"))
      await scenario(results, server, "liveRoom", "4+5. participants and fan-out", () =>
        liveRoomScenario(ctx),
      );
    if (options.only.has("notify"))
      await scenario(results, server, "notification", "6. notification end to end", () =>
        notificationScenario(ctx),
      );
    // Last, because filling the auction takes whatever time the budget has left.
    if (options.only.has("growth"))
      await scenario(results, server, "growth", "7. growth", () =>
        growthScenario(ctx, { deadline: deadline - 8_000 }),
      );
  } finally {
    log("stopping the server");
    await server.stop();
    cleanup();
  }

  results.meta.totalSeconds = Math.round(performance.now() - started) / 1000;
  results.targets = evaluateTargets(results);
  const dir = join(projectRoot, "bench", "results");
  mkdirSync(dir, { recursive: true });
  // Written whole, then renamed: a reader never sees half a file.
  for (const [name, text] of [
    ["latest.json", `${JSON.stringify(results, null, 2)}\n`],
    ["latest.md", renderMarkdown(results)],
  ]) {
    writeFileSync(join(dir, `${name}.tmp`), text);
    renameSync(join(dir, `${name}.tmp`), join(dir, name));
  }
  log(`done in ${results.meta.totalSeconds} s; wrote bench/results/latest.json and latest.md`);
  for (const t of results.targets) {
    const verdict = t.met === true ? "met" : t.met === false ? "MISSED" : "n/a";
    log(`  [${verdict}] ${t.target}: ${t.measured}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
