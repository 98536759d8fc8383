// Benchmarks: `npm run bench` (full, < 15 min) or `npm run bench -- --quick` (< 4 min).
// Starts its own `wrangler dev` (test/e2e/harness.ts) on a free port with a fresh persist folder,
// seeds users and auctions through the public API, runs the scenarios, stops the server by its
// process group, and writes bench/results/latest.json and latest.md. See bench/README.md.
//
// Options: --quick; --only=ceiling,hot,funds-off,many,live,notify,web,cpu-profile,wallet,overload,growth
// (ceiling always runs: everything is compared with it; overload brings hot, whose best throughput
// it doubles; funds-off, the hot auction on a server with BIDS_REQUIRE_FUNDS=false, brings hot);
// --live-tree (serve the working tree, not a frozen copy); --cpu-profile / --no-cpu-profile (the
// profiling pass; on in the full run); --pause-ms=N (each one-connection closed loop waits N ms
// after every answer, so the server has finished what a request set off before the next one: the
// latency of a bid on an otherwise idle server); --bidders=N (the load takes turns over the first
// N seeded bidders only, so their objects stay warm; at least 5 per 25 bids/s, the per-bidder
// limit); --budget-minutes=N
// (the full run stops filling the growth auction in time to end within 14 min; on a slow
// machine 100,000 bids may need more); --render (rewrite latest.md from latest.json, e.g. after
// changing the report's layout).

import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { cpuMeter, quiesce } from "./lib/cpu.mjs";
import { fundUsers, MAX_TOP_UP } from "./lib/fund.mjs";
import { overloadScenario } from "./lib/overload.mjs";
import { describeServerDeaths, evaluateTargets, renderMarkdown } from "./lib/report.mjs";
import {
  ceilingScenario,
  fundedFloorScenario,
  growthScenario,
  hotAuctionScenario,
  liveRoomScenario,
  manyAuctionsScenario,
  notificationScenario,
  profileScenario,
} from "./lib/scenarios.mjs";
import { seedAuctions, seedUsers, timed } from "./lib/seed.mjs";
import { loadHarness, projectRoot } from "./lib/snapshot.mjs";
import { walletScenario } from "./lib/wallet.mjs";
import { webScenario } from "./lib/web.mjs";

/**
 * Every seeded bidder is funded with the largest top-up there is (the scenarios' bids are never
 * refused for money), except the wallet scenario's own bidders: 25,000 KRW each, 25× an auction's
 * starting price, enough to lead a handful of auctions while prices are low and to run short as
 * they climb and while outbid holds wait to be voided.
 */
const FUNDED_EACH = MAX_TOP_UP;
const WALLET = {
  walletBidders: 50,
  walletAuctions: 50,
  walletFunds: 25_000,
  walletBidsAtOnce: 5,
  walletConnections: 50,
};

const PROFILES = {
  quick: {
    // Two servers besides growth's since funds are required to bid (the hot auction is also run
    // with them off), and the wallet scenario: no longer fits in 2 minutes.
    budgetMs: 250_000,
    idleMs: 1_000,
    users: 160,
    closedConnections: [1, 8, 50],
    openFractions: [0.25, 0.5, 1],
    closedMs: 1_500,
    openMs: 1_500,
    warmupMs: 300,
    quiesceMaxMs: 5_000,
    manyAuctions: 50,
    manyClosedConnections: [50],
    manyOpenFractions: [0.5],
    watchers: 300,
    connectMaxMs: 15_000,
    fanoutRate: 10,
    aloneMs: 3_000,
    fanoutMs: 5_000,
    drainMaxMs: 3_000,
    notifyPairs: 2,
    notifyRounds: 4,
    notifyTimeoutMs: 8_000,
    inboxPollMs: 50,
    growthUsers: 120,
    growthCheckpoints: [1_000, 3_000],
    growthFraction: 0.1,
    growthDrainMaxMs: 20_000,
    growthMeasureMs: 1_500,
    growthFillMaxMs: 40_000,
    fillConnections: 16,
    overloadFactor: 2,
    overloadMs: 5_000,
    overloadAnswerWithinMs: 2_000,
    overloadSettleMaxMs: 15_000,
    // The CPU-profiling pass is off in the quick run unless asked for (--cpu-profile).
    cpuProfileMs: 0,
    ...WALLET,
    walletMs: 3_000,
    walletSettleMaxMs: 15_000,
    webRequests: 50,
    webWarmup: 5,
  },
  full: {
    budgetMs: 14 * 60_000,
    idleMs: 3_000,
    users: 400,
    closedConnections: [1, 8, 50],
    openFractions: [0.25, 0.5, 0.75, 1, 1.25],
    closedMs: 5_000,
    openMs: 5_000,
    warmupMs: 1_000,
    quiesceMaxMs: 15_000,
    manyAuctions: 50,
    manyClosedConnections: [1, 8, 50],
    manyOpenFractions: [0.25, 0.5, 0.75, 1, 1.25],
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
    growthUsers: 200,
    growthCheckpoints: [1_000, 10_000, 100_000],
    growthFraction: 0.1,
    growthDrainMaxMs: 120_000,
    growthMeasureMs: 5_000,
    growthFillMaxMs: 9 * 60_000,
    fillConnections: 16,
    overloadFactor: 2,
    overloadMs: 20_000,
    overloadAnswerWithinMs: 2_000,
    overloadSettleMaxMs: 60_000,
    cpuProfileMs: 5_000,
    ...WALLET,
    walletMs: 10_000,
    walletSettleMaxMs: 20_000,
    webRequests: 200,
    webWarmup: 10,
  },
};

const SCENARIOS = [
  "ceiling",
  "hot",
  "funds-off",
  "many",
  "live",
  "notify",
  "web",
  "cpu-profile",
  "wallet",
  "overload",
  "growth",
];

function parseArgs(argv) {
  const options = { quick: false, only: new Set(SCENARIOS), frozen: true, cpuProfile: undefined };
  for (const arg of argv) {
    if (arg === "--quick") options.quick = true;
    else if (arg.startsWith("--budget-minutes=")) {
      options.budgetMinutes = Number(arg.slice("--budget-minutes=".length));
      if (!(options.budgetMinutes >= 1 && options.budgetMinutes <= 120)) throw new Error(`bad ${arg}`);
    } else if (arg === "--cpu-profile") options.cpuProfile = true;
    else if (arg === "--no-cpu-profile") options.cpuProfile = false;
    else if (arg === "--live-tree") options.frozen = false;
    else if (arg.startsWith("--pause-ms=")) {
      options.pauseMs = Number(arg.slice("--pause-ms=".length));
      if (!(Number.isInteger(options.pauseMs) && options.pauseMs >= 0)) throw new Error(`bad ${arg}`);
    } else if (arg.startsWith("--bidders=")) {
      options.bidders = Number(arg.slice("--bidders=".length));
      if (!(Number.isInteger(options.bidders) && options.bidders >= 1)) throw new Error(`bad ${arg}`);
    } else if (arg.startsWith("--only=")) {
      const wanted = arg.slice("--only=".length).split(",");
      for (const name of wanted) if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}`);
      // Overload's rate is a multiple of the hot auction's best throughput, and funds-off is
      // compared with it: both need hot.
      const needHot = wanted.includes("overload") || wanted.includes("funds-off");
      options.only = new Set(["ceiling", ...wanted, ...(needHot ? ["hot"] : [])]);
    } else
      throw new Error(
        `unknown option ${arg} (use --quick, --only=${SCENARIOS.join(",")}, --live-tree, --cpu-profile, --no-cpu-profile, --budget-minutes=N, --pause-ms=N, --bidders=N)`,
      );
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

/**
 * The workerd that `wrangler dev` runs: resolved from wrangler's own package, since the Vitest
 * plugin brings another wrangler and workerd of its own and either may be the hoisted copy.
 */
function wranglerWorkerdVersion() {
  try {
    const fromWrangler = createRequire(join(projectRoot, "node_modules", "wrangler", "package.json"));
    return JSON.parse(readFileSync(fromWrangler.resolve("workerd/package.json"), "utf8")).version;
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

/** Writes a file of bench/results whole, then renames it: a reader never sees half a file. */
function writeResult(name, text) {
  const dir = join(projectRoot, "bench", "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.tmp`), text);
  renameSync(join(dir, `${name}.tmp`), join(dir, name));
}

/**
 * The end of wrangler's own debug log (it names the log file in its output; the harness deletes
 * the folder on stop, so read it first): the error wrangler dies of is only spelled out there.
 */
function wranglerDebugLog(output) {
  const file = /Logs were written to "([^"]+)"/.exec(output)?.[1];
  if (!file) return "";
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => !/\[wrangler[^\]]*:info\] (GET|POST|PUT|DELETE|PATCH) /.test(line))
      .slice(-120)
      .join("\n");
  } catch {
    return "";
  }
}

/**
 * Records that wrangler dev died (stopped answering) during `during`: a scenario's key, or "seed"
 * when it died while a fresh server was being seeded. Keeps wrangler's own lines (its error, its
 * log file) without the per-request access log.
 */
function recordServerDeath(results, during, server) {
  const tail = server
    .logTail(3_000)
    .split("\n")
    .filter(
      (line) =>
        line.trim() !== "" &&
        !/^\[wrangler[^\]]*:info\] (GET|POST|PUT|DELETE|PATCH) \S+ [1-4]\d\d /.test(line) &&
        !/^\[wrangler[^\]]*:info\] QUEUE /.test(line),
    )
    .slice(-40)
    .join("\n");
  const debugLog = wranglerDebugLog(server.logTail(3_000));
  log(`the server stopped answering during ${during}; wrangler output (tail):\n${tail}\n${debugLog}`);
  const death = {
    during,
    atSeconds: Math.round(performance.now() - started) / 1000,
    restarted: false,
    logTail: tail,
    debugLog,
  };
  results.meta.serverRestarts.push(death);
  return death;
}

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
 * Whether the server requires funds to bid, from one `{}` bid by a user who was never funded, on
 * an auction nothing else bids on: 422 INSUFFICIENT_FUNDS says yes, 201 no; anything else, null.
 */
async function probeFundsRequired(baseUrl, auctionId, token) {
  const res = await fetch(new URL(`/api/v1/auctions/${auctionId}/bids`, baseUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: "{}",
  });
  const text = await res.text();
  let code;
  try {
    code = JSON.parse(text).code;
  } catch {
    code = undefined;
  }
  if (res.status === 422 && code === "INSUFFICIENT_FUNDS") return { required: true };
  if (res.status === 201) return { required: false };
  return { required: null, answer: `${res.status} ${text.slice(0, 200)}` };
}

/**
 * Starts a server (with `serverOptions`, e.g. extra vars) and seeds it through the API: bidders
 * and a seller, every auction the scenarios use, and every bidder's wallet, funded through a
 * top-up and the payment provider's signed webhook. Returns the scenarios' context.
 */
async function startSession(harness, sourceRoot, profile, results, serverOptions = {}, name = "") {
  const sessionLog = name ? (line) => log(`[${name}] ${line}`) : log;
  const boot = await timed(() => harness.startServer(serverOptions));
  const server = boot.value;
  try {
    const pgid = harness.serverProcessGroup(server);
    const vars = Object.entries(serverOptions.vars ?? {}).map(([k, v]) => `${k}=${v}`);
    sessionLog(
      `server ${server.baseUrl} (process group ${pgid}${vars.length ? `; ${vars.join(", ")}` : ""}) up in ${boot.seconds} s`,
    );
    const seeded = await timed(() =>
      seedUsers(server.baseUrl, "bench", profile.users + 1 + profile.walletBidders + 1),
    );
    const [seller, ...others] = seeded.value;
    const bidders = others.slice(0, profile.users);
    const walletBidders = others.slice(profile.users, profile.users + profile.walletBidders);
    // Never funded: its one bid says whether this server requires funds to bid.
    const probeUser = others.at(-1);
    sessionLog(
      `seeded ${bidders.length} bidders${walletBidders.length ? ` + ${walletBidders.length} wallet bidders` : ""} + 1 seller + 1 never-funded probe user in ${seeded.seconds} s`,
    );
    const funded = await timed(async () => {
      await fundUsers(server.baseUrl, sourceRoot, bidders, FUNDED_EACH);
      if (walletBidders.length)
        await fundUsers(server.baseUrl, sourceRoot, walletBidders, profile.walletFunds);
    });
    sessionLog(
      `funded each bidder with ${FUNDED_EACH} KRW${walletBidders.length ? ` and each wallet bidder with ${profile.walletFunds} KRW` : ""} (top-up + signed webhook) in ${funded.seconds} s`,
    );
    const notifyUsers = profile.notifyPairs > 0 ? bidders.slice(-2 * profile.notifyPairs) : [];
    const auctionCount = 4 + profile.manyAuctions + profile.notifyPairs + profile.walletAuctions + 1;
    const [hotAuction, growthAuction, liveAuction, overloadAuction, ...rest] = await seedAuctions(
      server.baseUrl,
      seller.token,
      auctionCount,
    );
    const manyAuctions = rest.slice(0, profile.manyAuctions);
    const notifyAuctions = rest.slice(profile.manyAuctions, profile.manyAuctions + profile.notifyPairs);
    const walletAuctions = rest.slice(profile.manyAuctions + profile.notifyPairs, -1);
    const fundsRequired = await probeFundsRequired(server.baseUrl, rest.at(-1), probeUser.token);
    sessionLog(`funds required to bid: ${fundsRequired.required ?? `unknown (${fundsRequired.answer})`}`);
    // What the server burns doing nothing (timers, wrangler's inspector keep-alives): context for
    // the per-request CPU figures, which include it.
    await quiesce(pgid, { maxMs: 10_000 });
    const idle = cpuMeter(pgid);
    await sleep(profile.idleMs);
    const idleCores = idle.stop().serverCores;
    results.meta.serverIdleCores ??= idleCores;
    results.meta.startupSeconds ??= boot.seconds;
    results.meta.seed ??= {
      users: bidders.length,
      usersSeconds: seeded.seconds,
      walletBidders: walletBidders.length,
      auctions: auctionCount,
      fundedEach: FUNDED_EACH,
      walletFundedEach: walletBidders.length ? profile.walletFunds : null,
      currency: "KRW",
      fundingSeconds: funded.seconds,
    };
    // The first server's answer stands (null included: it could not tell).
    if (results.meta.fundsRequired === undefined) results.meta.fundsRequired = fundsRequired.required;
    return {
      server,
      sourceRoot,
      baseUrl: server.baseUrl,
      pgid,
      profile,
      serverOptions,
      name,
      setup: {
        vars: serverOptions.vars ?? {},
        startupSeconds: boot.seconds,
        usersSeconds: seeded.seconds,
        fundingSeconds: funded.seconds,
        idleCores,
        fundsRequired: fundsRequired.required,
      },
      log: sessionLog,
      sellerToken: seller.token,
      // Notification users are kept out of the load so that their inboxes stay quiet.
      bidderTokens: bidders
        .slice(0, Math.min(bidders.length - notifyUsers.length, profile.bidders ?? Number.POSITIVE_INFINITY))
        .map((b) => b.token),
      hotAuction,
      growthAuction,
      liveAuction,
      overloadAuction,
      manyAuctions,
      notifyPairs: notifyAuctions.map((auctionId, k) => ({
        auctionId,
        a: notifyUsers[2 * k],
        b: notifyUsers[2 * k + 1],
      })),
      walletBidders,
      walletAuctions,
      ceiling: null,
    };
  } catch (error) {
    if (!(await serverAnswers(server.baseUrl))) recordServerDeath(results, "seed", server);
    await server.stop();
    throw error;
  }
}

/** `--render`: rewrites latest.md (and the targets) from latest.json, without running anything. */
function renderOnly() {
  const results = JSON.parse(readFileSync(join(projectRoot, "bench", "results", "latest.json"), "utf8"));
  results.meta.serverDeaths = (results.meta.serverRestarts ?? []).length;
  results.targets = evaluateTargets(results);
  writeResult("latest.json", `${JSON.stringify(results, null, 2)}\n`);
  writeResult("latest.md", renderMarkdown(results));
  log("rewrote bench/results/latest.md from latest.json");
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes("--render")) return renderOnly();
  const options = parseArgs(argv);
  const profileName = options.quick ? "quick" : "full";
  const profile = { ...PROFILES[profileName] };
  if (options.cpuProfile === true) profile.cpuProfileMs ||= 5_000;
  if (options.cpuProfile === false) profile.cpuProfileMs = 0;
  if (options.budgetMinutes !== undefined) profile.budgetMs = options.budgetMinutes * 60_000;
  if (options.pauseMs !== undefined) profile.oneConnectionPauseMs = options.pauseMs;
  if (options.bidders !== undefined) profile.bidders = options.bidders;
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
        workerd: wranglerWorkerdVersion(),
      },
      code: {
        commit: git(["rev-parse", "--short", "HEAD"]) || "unknown",
        dirty: git(["status", "--porcelain"]) !== "",
        source: options.frozen
          ? "served from a frozen copy taken at the start"
          : "served from the working tree",
      },
      serverRestarts: [],
    },
    scenarios: {},
  };

  const { harness, root, cleanup } = await loadHarness({ frozen: options.frozen });
  process.once("exit", cleanup);
  log(`starting wrangler dev (${results.meta.code.source})`);
  // The funds-off server is seeded with this too, so that both hot auctions start from the same state.
  const sessionProfile = options.only.has("wallet")
    ? profile
    : { ...profile, walletBidders: 0, walletAuctions: 0 };
  let ctx = await startSession(harness, root, sessionProfile, results);
  /**
   * The hot auction with funds switched off (BIDS_REQUIRE_FUNDS=false) runs on a second server,
   * started, seeded and funded exactly like the first, and idle until then; the ceiling and the
   * hot auction then run on both, shape by shape (see loadMatrix), so that both hot auctions start
   * from the same state with the same history, get the same load at the same rates, and are
   * measured seconds apart. Stopped as soon as the hot auction is done.
   */
  let offCtx = null;
  if (options.only.has("funds-off")) {
    try {
      offCtx = await startSession(
        harness,
        root,
        sessionProfile,
        results,
        { vars: { BIDS_REQUIRE_FUNDS: "false" } },
        "funds off",
      );
    } catch (error) {
      log(`the funds-off server did not start: ${error.stack ?? error}`);
      results.scenarios.hotAuctionFundsOff = {
        error: `the funds-off server did not start: ${String(error.message ?? error)}`,
      };
    }
  }
  /** Records the funds-off server's death during `key`, if it died; it is not restarted. */
  const fundsOffSurvived = async (key) => {
    if (!offCtx || (await serverAnswers(offCtx.baseUrl))) return;
    recordServerDeath(results, key, offCtx.server);
    results.scenarios[key] = {
      error: "wrangler dev (funds off) exited during this scenario",
      diedOnFirstServer: results.scenarios[key],
    };
    await offCtx.server.stop();
    offCtx = null;
  };
  const alongside = () => (offCtx ? [offCtx] : []);
  try {
    /**
     * Runs one scenario; a failure is recorded and the run goes on with the next one. If the
     * server died meanwhile (wrangler dev can exit on an internal proxy error), a fresh one is
     * started and seeded, and the scenario runs once more on it, time allowing; the figures from
     * the dead server are kept under `diedOnFirstServer`.
     */
    const scenario = async (key, name, fn, attempt = 1) => {
      if (!ctx) return;
      if (deadline - performance.now() < 10_000) {
        log(`${name}: skipped, out of time`);
        results.scenarios[key] = { error: "skipped: the run's time budget was used up" };
        return;
      }
      log(attempt === 1 ? name : `${name} (again, on the fresh server)`);
      let outcome;
      try {
        outcome = await fn();
      } catch (error) {
        log(`  failed: ${error.stack ?? error}`);
        outcome = { error: String(error.message ?? error) };
      }
      results.scenarios[key] = outcome;
      if (await serverAnswers(ctx.baseUrl)) return;
      const death = recordServerDeath(results, key, ctx.server);
      results.scenarios[key] = {
        error: "wrangler dev exited during this scenario",
        diedOnFirstServer: outcome,
      };
      await ctx.server.stop();
      const { ceiling, profile: lastProfile, serverOptions: lastServerOptions } = ctx;
      ctx = null;
      if (deadline - performance.now() < 30_000) {
        log("  not enough time left to start another server; skipping the rest");
        return;
      }
      log("  starting a fresh server");
      death.restarted = true;
      ctx = await startSession(harness, root, lastProfile, results, lastServerOptions);
      ctx.ceiling = ceiling;
      if (attempt === 1 && deadline - performance.now() > 30_000) await scenario(key, name, fn, 2);
    };

    await scenario(
      "ceiling",
      `1. ceiling: ping${offCtx ? " (and on the funds-off server)" : ""}`,
      async () => {
        const { alongside: [off] = [], ...first } = await ceilingScenario(ctx, alongside());
        if (off) results.scenarios.fundsOffCeiling = off;
        return first;
      },
    );
    await fundsOffSurvived("fundsOffCeiling");
    if (!results.scenarios.ceiling?.runs)
      throw new Error("the ceiling failed, and everything else is measured against it");
    ctx.ceiling = results.scenarios.ceiling;
    if (offCtx) offCtx.ceiling = ctx.ceiling;
    if (options.only.has("hot"))
      await scenario(
        "hotAuction",
        `2. one hot auction${offCtx ? " (and 2b, with funds off, on the funds-off server)" : ""}`,
        async () => {
          const { alongside: [off] = [], ...first } = await hotAuctionScenario(ctx, alongside());
          if (off) results.scenarios.hotAuctionFundsOff = { ...off, server: offCtx.setup };
          return first;
        },
      );
    await fundsOffSurvived("hotAuctionFundsOff");
    if (offCtx) {
      log("stopping the funds-off server");
      await offCtx.server.stop();
      offCtx = null;
    }
    // After the hot auction, so its bidders' Wallets are as warm or cold as they always were there.
    if (options.only.has("hot"))
      await scenario("fundedFloor", "1b. the floor of a funded bid: ping through the Wallet", () =>
        fundedFloorScenario(ctx),
      );
    if (options.only.has("many"))
      await scenario("manyAuctions", "3. many auctions", () => manyAuctionsScenario(ctx));
    if (options.only.has("live"))
      await scenario("liveRoom", "4+5. participants and fan-out", () => liveRoomScenario(ctx));
    if (options.only.has("notify"))
      await scenario("notification", "6. notification end to end", () => notificationScenario(ctx));
    if (options.only.has("web"))
      await scenario("web", "10. web pages: first byte and Lighthouse", () => webScenario(ctx));
    if (options.only.has("cpu-profile") && profile.cpuProfileMs > 0) {
      await scenario("cpuProfile", "CPU profile of the worker under one hot auction", async () => {
        const { profile: cpuProfile, ...rest } = await profileScenario(ctx);
        if (cpuProfile) writeResult("hot-auction.cpuprofile", JSON.stringify(cpuProfile));
        return rest;
      });
    }
    if (options.only.has("wallet"))
      await scenario("wallet", "9. wallet: holds from bidders who run short of money", () =>
        walletScenario(ctx),
      );
    // After every other scenario on this server, so that the backlog and the D1 rows it leaves
    // cannot weigh on them (growth gets a fresh server anyway).
    if (options.only.has("overload"))
      await scenario("overload", "8. overload: 2× the hot auction's best throughput", () =>
        overloadScenario(ctx, { hotThroughput: results.scenarios.hotAuction?.throughput }),
      );
    // Last, because filling the auction takes whatever time the budget has left; on a fresh
    // server, so that the D1 rows and queue history the other scenarios left behind cannot slow the
    // queue consumer it competes with (in one full run its backlog drained three times slower).
    if (options.only.has("growth") && ctx && deadline - performance.now() < 30_000) {
      log("7. growth: skipped, out of time");
      results.scenarios.growth = { error: "skipped: the run's time budget was used up" };
    } else if (options.only.has("growth") && ctx) {
      const ceiling = ctx.ceiling;
      log("stopping the server; growth gets a fresh one");
      await ctx.server.stop();
      ctx = null;
      ctx = await startSession(
        harness,
        root,
        {
          ...profile,
          users: profile.growthUsers,
          manyAuctions: 0,
          notifyPairs: 0,
          walletBidders: 0,
          walletAuctions: 0,
        },
        results,
      );
      ctx.ceiling = ceiling;
      await scenario("growth", "7. growth", () => growthScenario(ctx, { deadline: deadline - 8_000 }));
    }
  } catch (error) {
    // Still write what was measured, with the reason the run ended early.
    log(`run ended early: ${error.stack ?? error}`);
    results.meta.endedEarly = String(error.message ?? error);
    process.exitCode = 1;
  } finally {
    log("stopping the server");
    await ctx?.server.stop();
    await offCtx?.server.stop();
    cleanup();
  }

  results.meta.totalSeconds = Math.round(performance.now() - started) / 1000;
  results.meta.serverDeaths = results.meta.serverRestarts.length;
  results.targets = evaluateTargets(results);
  writeResult("latest.json", `${JSON.stringify(results, null, 2)}\n`);
  writeResult("latest.md", renderMarkdown(results));
  log(`done in ${results.meta.totalSeconds} s; wrote bench/results/latest.json and latest.md`);
  for (const t of results.targets) {
    const verdict = t.met === true ? "met" : t.met === false ? "MISSED" : "n/a";
    log(`  [${verdict}] ${t.target}: ${t.measured}`);
  }
  log(`server deaths (wrangler dev restarts) in this run: ${describeServerDeaths(results.meta)}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
