// Targets (evaluated, never asserted) and the Markdown rendering of a results object.

/** Runs where other processes on the machine used more than this many cores are flagged. */
export const NOISY_OTHER_CORES = 0.25;

const ratio = (a, b) =>
  a === null || b === null || a === undefined || b === undefined || b === 0 ? null : a / b;
const fmt = (v, digits = 1) => (v === null || v === undefined || Number.isNaN(v) ? "–" : v.toFixed(digits));
const pct = (v) => (v === null || v === undefined ? "–" : `${(v * 100).toFixed(1)}%`);
const x = (v) => (v === null || v === undefined ? "–" : `${v.toFixed(2)}×`);

/** The deaths of `wrangler dev` in a run (each made the bench start a fresh server). */
function serverDeaths(meta) {
  return meta.serverRestarts ?? [];
}

/** "0", or e.g. "2 (during hotAuction at +95 s, restarted; during liveRoom at +230 s, not restarted)". */
export function describeServerDeaths(meta) {
  const deaths = serverDeaths(meta);
  if (deaths.length === 0) return "0";
  const each = deaths.map(
    (d) =>
      `during ${d.during}${d.atSeconds === undefined ? "" : ` at +${fmt(d.atSeconds, 0)} s`}, ${d.restarted === false ? "not restarted" : "restarted"}`,
  );
  return `${deaths.length} (${each.join("; ")})`;
}

/**
 * The issue's targets, each `{target, measured, met}` with met = true | false | null (could not be
 * measured: the scenario failed or its feature is not there yet).
 */
export function evaluateTargets(results) {
  const s = results.scenarios;
  const targets = [];
  const ceiling = s.ceiling?.throughput ?? null;

  // A local simulation has to survive the load this suite publishes: every death is a restart
  // that the other figures would otherwise hide.
  targets.push({
    id: "server-deaths",
    target: "`wrangler dev` survives the whole run (0 server deaths)",
    measured: describeServerDeaths(results.meta),
    met: serverDeaths(results.meta).length === 0,
  });

  const hot = s.hotAuction;
  const share = ratio(hot?.throughput, ceiling);
  targets.push({
    id: "hot-throughput",
    target: "One hot auction sustains ≥ 60% of the ceiling's throughput",
    measured:
      share === null
        ? "not measured"
        : `${pct(share)} (${fmt(hot.throughput)} bids/s vs ${fmt(ceiling)} pings/s)`,
    met: share === null ? null : share >= 0.6,
  });

  // The same, counting the time the server needed afterwards to finish what the bids set off
  // (queue consumer): what a hot auction could keep up for minutes, not seconds.
  const sustained = hot?.runs ? Math.max(...hot.runs.map((r) => r.sustainedOkThroughput ?? 0)) : null;
  const sustainedShare = ratio(sustained, ceiling);
  targets.push({
    id: "hot-throughput-sustained",
    target: "… the same, counting the queue consumer's catch-up after the run (sustained)",
    measured:
      sustainedShare === null
        ? "not measured"
        : `${pct(sustainedShare)} (${fmt(sustained)} bids/s vs ${fmt(ceiling)} pings/s)`,
    met: sustainedShare === null ? null : sustainedShare >= 0.6,
  });

  const half = hot?.runs?.find((r) => r.fractionOfCeiling === 0.5);
  targets.push({
    id: "hot-p99-at-half-ceiling",
    target: "At half the ceiling's rate, bid p99 ≤ 100 ms",
    measured: half ? `p99 ${fmt(half.latencyMs.p99)} ms at ${half.offeredRate}/s offered` : "not measured",
    met: half?.latencyMs.p99 == null ? null : half.latencyMs.p99 <= 100,
  });

  const live = s.liveRoom;
  const p50Ratio = live?.available ? ratio(live.withWatchers.latencyMs.p50, live.alone.latencyMs.p50) : null;
  targets.push({
    id: "watchers-p50",
    target: "Bid p50 with 1,000 watchers ≤ 1.5× with none",
    measured:
      p50Ratio === null
        ? `not measured${live?.reason ? ` (${live.reason})` : ""}`
        : `${x(p50Ratio)} (${fmt(live.withWatchers.latencyMs.p50)} ms with ${live.watchers.open} vs ${fmt(live.alone.latencyMs.p50)} ms with 0)`,
    met: p50Ratio === null ? null : p50Ratio <= 1.5,
    ...(live?.available && live.watchers.open < 1000
      ? { note: `${live.watchers.open} watchers, not 1,000` }
      : {}),
  });

  const fan = live?.available ? live.fanout : null;
  targets.push({
    id: "fanout",
    target: "Fan-out delivers 100% with p99 ≤ 500 ms",
    measured: fan
      ? `${pct(fan.deliveredShare)} delivered, p99 ${fmt(fan.deliveryLatencyMs.p99)} ms (${fan.sockets} sockets, ${fan.bids} bids)`
      : "not measured",
    met:
      fan?.deliveredShare == null
        ? null
        : fan.deliveredShare === 1 && (fan.deliveryLatencyMs.p99 ?? Infinity) <= 500,
  });

  const notify = s.notification;
  for (const [id, key, what] of [
    ["notify-live", "liveFrameMs", "outbid frame on /me/live"],
    ["notify-inbox", "inboxRowMs", "outbid row in the inbox"],
  ]) {
    const stats = notify?.available ? notify[key] : null;
    const timeouts = notify?.available
      ? key === "liveFrameMs"
        ? notify.frameTimeouts
        : notify.inboxTimeouts
      : 0;
    targets.push({
      id,
      target: `Notification end to end p99 ≤ 2 s (${what})`,
      measured:
        stats?.p99 != null
          ? `p99 ${fmt(stats.p99)} ms (${stats.n} samples, ${timeouts} timed out)`
          : "not measured",
      met: stats?.p99 == null ? null : stats.p99 <= 2000 && timeouts === 0,
    });
  }

  const growth = s.growth;
  const first = growth?.checkpoints?.[0];
  const last = growth?.checkpoints?.at(-1);
  const growthRatio = first && last && first !== last ? ratio(last.latencyMs.p50, first.latencyMs.p50) : null;
  targets.push({
    id: "growth",
    target: "Bid latency at 100,000 earlier bids ≤ 1.2× at 1,000 (p50)",
    measured:
      growthRatio === null
        ? "not measured"
        : `${x(growthRatio)} (p50 ${fmt(last.latencyMs.p50)} ms at ${last.earlierBids} vs ${fmt(first.latencyMs.p50)} ms at ${first.earlierBids}; p99 ${x(ratio(last.latencyMs.p99, first.latencyMs.p99))})`,
    met: growthRatio === null ? null : growthRatio <= 1.2,
    ...(last && last.earlierBids < 100_000
      ? { note: `largest checkpoint ${last.earlierBids} bids, not 100,000` }
      : {}),
  });
  return targets;
}

/** The most telling line of a dead server's output (its console, then its debug log). */
function deathCause(death) {
  const lines = `${death.logTail ?? ""}\n${death.debugLog ?? ""}`.split("\n").map((line) => line.trim());
  for (const pattern of [/Error inside ProxyWorker/, /Network connection lost/, /✘ \[ERROR\]\s*\S/]) {
    const line = lines.find((l) => pattern.test(l));
    if (line) return line.replaceAll("`", "'").slice(0, 160);
  }
  return undefined;
}

const mark = (met) => (met === true ? "✅ met" : met === false ? "❌ missed" : "– n/a");

function runTable(runs, reference) {
  const lines = [
    "| run | req/s | ok/s | ok/s × ceiling | sustained ok/s | p50 ms | p95 ms | p99 ms | p50 × ceiling | ok | 422 too low | 429 limited | errors | server cores | busy after (s) | server ms/req | client cores | other cores |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of runs) {
    const ref = reference?.(r);
    const noisy = r.cpu.otherCores > NOISY_OTHER_CORES ? " ⚠" : "";
    lines.push(
      `| ${r.label} | ${fmt(r.throughput)} | ${fmt(r.okThroughput)} | ${x(ratio(r.okThroughput, ref?.okThroughput))} | ${fmt(r.sustainedOkThroughput)} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p95)} | ${fmt(r.latencyMs.p99)} | ${x(ratio(r.latencyMs.p50, ref?.latencyMs.p50))} | ${r.ok} | ${r.bidTooLow} | ${r.rateLimited} | ${r.errors} | ${fmt(r.cpu.serverCores, 2)} | ${fmt(r.cpu.tail?.seconds, 1)} | ${fmt(r.cpu.serverMsPerRequest, 2)} | ${fmt(r.cpu.clientCores, 2)} | ${fmt(r.cpu.otherCores, 2)}${noisy} |`,
    );
  }
  return lines.join("\n");
}

/** The ceiling run that a run is compared with: same connections, or same share of the ceiling. */
function ceilingMatch(results) {
  const runs = results.scenarios.ceiling?.runs ?? [];
  return (r) =>
    runs.find((c) =>
      r.kind === "closed"
        ? c.kind === "closed" && c.connections === r.connections
        : c.fractionOfCeiling === r.fractionOfCeiling,
    );
}

/** For runs at a rate the ceiling was not run at: its lowest open-loop rate (an unloaded round trip). */
function ceilingBaseline(results) {
  const runs = (results.scenarios.ceiling?.runs ?? []).filter((r) => r.kind === "open");
  const lowest = runs.sort((a, b) => a.offeredRate - b.offeredRate)[0];
  return () => lowest;
}

function section(title, scenario, body) {
  if (!scenario) return `## ${title}\n\nNot run.\n`;
  if (scenario.error) return `## ${title}\n\nFailed: \`${scenario.error}\`\n`;
  if (scenario.available === false) return `## ${title}\n\nNot measured: ${scenario.reason}.\n`;
  return `## ${title}\n\n${body()}\n`;
}

export function renderMarkdown(results) {
  const { meta, scenarios: s, targets } = results;
  const m = meta.machine;
  const out = [];
  out.push("# Secondhand Auction — benchmark results\n");
  out.push(`- **Date:** ${meta.date} (run took ${fmt(meta.totalSeconds, 0)} s)`);
  out.push(`- **Command:** \`${meta.command}\` (profile \`${meta.profileName}\`)`);
  out.push(
    `- **Machine:** ${m.cpuModel}, ${m.cores} cores, ${fmt(m.memoryGiB, 1)} GiB RAM, ${m.os}; load average at start ${m.loadAverageAtStart.join(" / ")}`,
  );
  out.push(
    `- **Software:** Node ${meta.software.node}, wrangler ${meta.software.wrangler}, workerd ${meta.software.workerd}; server = \`wrangler dev\` (local workerd, D1, queues)`,
  );
  out.push(
    `- **Code:** ${meta.code.commit}${meta.code.dirty ? " + uncommitted changes" : ""}, ${meta.code.source}`,
  );
  out.push(
    `- **Seeded through the API:** ${meta.seed.users} bidders in ${fmt(meta.seed.usersSeconds)} s, ${meta.seed.auctions} auctions; server started in ${fmt(meta.startupSeconds)} s`,
  );
  out.push(
    `- **Server idle:** ${fmt(meta.serverIdleCores, 3)} cores with no traffic (included in every CPU figure below)`,
  );
  if (meta.endedEarly) out.push(`- ⚠ **The run ended early:** ${meta.endedEarly}`);
  out.push(
    `- **Server deaths:** ${describeServerDeaths(meta)} — times \`wrangler dev\` stopped answering and the run had to start a fresh one`,
  );
  for (const r of serverDeaths(meta)) {
    const cause = deathCause(r);
    out.push(
      `- ⚠ **wrangler dev exited during \`${r.during}\`**${cause ? ` (\`${cause}\`)` : ""}; ${r.restarted === false ? "no fresh server was started (out of time)" : "a fresh server was started and seeded for the scenarios after it"}`,
    );
  }
  out.push(
    "- **Method:** closed loop = N connections each sending when the last answered; open loop = fixed offered rate, latency measured from each request's *scheduled* time (no coordinated omission), at most 50 requests on the wire. " +
      "CPU: server = utime+stime of every process in wrangler's process group (/proc); *server cores* = during the run; *busy after* = how long the server kept working once the run ended (the queue consumer catching up); *server ms/req* = server CPU of the run and that tail, per request; *sustained ok/s* = successes over the run's time plus that tail; " +
      `client = \`process.cpuUsage()\` of the load generator; other = the rest of the machine (⚠ where it exceeded ${NOISY_OTHER_CORES} cores). 422 BID_TOO_LOW and 429 RATE_LIMITED are counted apart from errors.`,
  );
  out.push("");
  out.push("## Targets\n");
  out.push("| target | measured | result |\n| --- | --- | --- |");
  for (const t of targets)
    out.push(`| ${t.target} | ${t.measured}${t.note ? ` — ${t.note}` : ""} | ${mark(t.met)} |`);
  out.push("");

  const match = ceilingMatch(results);
  const baseline = ceilingBaseline(results);
  out.push(
    section("1. Ceiling — `GET /api/v1/auctions/{id}/ping` (auth + no-op DO RPC)", s.ceiling, () =>
      [`Ceiling throughput: **${fmt(s.ceiling.throughput)} req/s**.\n`, runTable(s.ceiling.runs, match)].join(
        "\n",
      ),
    ),
  );
  out.push(
    section("2. One hot auction — `POST /api/v1/auctions/{id}/bids` `{}`", s.hotAuction, () =>
      [
        `Best: **${fmt(s.hotAuction.throughput)} accepted bids/s** (${pct(ratio(s.hotAuction.throughput, s.ceiling?.throughput))} of the ceiling). Open-loop rates are shares of the ceiling's throughput; ratios compare with the ceiling run of the same shape.\n`,
        runTable(s.hotAuction.runs, match),
      ].join("\n"),
    ),
  );
  out.push(
    section(
      `3. Many auctions — the same load over ${s.manyAuctions?.auctions ?? "many"} auctions`,
      s.manyAuctions,
      () =>
        [
          `Best: **${fmt(s.manyAuctions.throughput)} accepted bids/s** (${pct(ratio(s.manyAuctions.throughput, s.ceiling?.throughput))} of the ceiling).\n`,
          runTable(s.manyAuctions.runs, match),
        ].join("\n"),
    ),
  );
  out.push(
    section("4. Participants don't slow bids — bid latency with and without room sockets", s.liveRoom, () =>
      [
        `Bids at ${s.liveRoom.rate}/s offered; ${s.liveRoom.watchers.open}/${s.liveRoom.watchers.requested} sockets opened in ${fmt(s.liveRoom.watchers.connectSeconds)} s (${s.liveRoom.watchers.failures} failed). Ratios against the ceiling's lowest-rate open-loop run.\n`,
        runTable([s.liveRoom.alone, s.liveRoom.withWatchers], baseline),
      ].join("\n"),
    ),
  );
  out.push(
    section("5. Fan-out — bid frames to every room socket", s.liveRoom, () => {
      const f = s.liveRoom.fanout;
      const d = f.deliveryLatencyMs;
      return [
        "| sockets | bids | frames expected | delivered | share | bids to every socket | delivery p50 ms | p95 ms | p99 ms | max ms | min ms | p50 × ceiling | seq regressions | closed early |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        `| ${f.sockets} | ${f.bids} | ${f.framesExpected} | ${f.framesDelivered} | ${pct(f.deliveredShare)} | ${f.bidsDeliveredToEverySocket} | ${fmt(d.p50)} | ${fmt(d.p95)} | ${fmt(d.p99)} | ${fmt(d.max)} | ${fmt(d.min)} | ${x(ratio(d.p50, baseline()?.latencyMs.p50))} | ${f.seqRegressions} | ${f.socketsClosedEarly} |`,
        "",
        "Delivery latency runs from the bid's reply reaching the client to the frame reaching each socket (negative: the frame came first).",
      ].join("\n");
    }),
  );
  out.push(
    section("6. Notification end to end — outbid → previous leader", s.notification, () => {
      const n = s.notification;
      const row = (name, st, timeouts) =>
        `| ${name} | ${st.n} | ${fmt(st.p50)} | ${fmt(st.p95)} | ${fmt(st.p99)} | ${fmt(st.max)} | ${x(ratio(st.p50, baseline()?.latencyMs.p50))} | ${timeouts} |`;
      return [
        `${n.samples} outbids over ${n.pairs} pairs of bidders; inbox polled every ${n.inboxPollMs} ms. Server ${fmt(n.cpu.serverCores, 2)} cores, client ${fmt(n.cpu.clientCores, 2)}, other ${fmt(n.cpu.otherCores, 2)}.\n`,
        "| from the bid reply to | samples | p50 ms | p95 ms | p99 ms | max ms | p50 × ceiling | timed out |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        row("`outbid` frame on `/api/v1/me/live`", n.liveFrameMs, n.frameTimeouts),
        row("row in `GET /api/v1/me/inbox`", n.inboxRowMs, n.inboxTimeouts),
      ].join("\n");
    }),
  );
  out.push(
    section("7. Growth — bid latency against the number of earlier bids", s.growth, () =>
      [
        `Open loop at ${s.growth.rate}/s offered (${Math.round(meta.profile.growthFraction * 100)}% of the ceiling) at each checkpoint. Measured on a fresh server (its own seeded bidders), so that what the other scenarios left in D1 and the queue does not weigh on it. The auction is filled through the API with \`{}\` bids, then the queue backlog those bids left is allowed to drain before measuring.\n`,
        runTable(
          s.growth.checkpoints.map((c) => ({
            ...c,
            label:
              `${c.earlierBids} earlier bids (fill ${fmt(c.fillSeconds)} s, backlog drain ${fmt(c.drainSeconds)} s` +
              `${c.drained ? "" : ", not complete"})${c.reached ? "" : " — fill ran out of time"}`,
          })),
          baseline,
        ),
      ].join("\n"),
    ),
  );
  out.push(renderCpuBreakdown(results));
  out.push(renderProfile(results.scenarios.cpuProfile));
  return `${out.join("\n")}\n`;
}

/** Where the server's CPU goes, per request and process, for the main runs. */
function renderCpuBreakdown(results) {
  const rows = [];
  const add = (name, run) => {
    if (!run?.cpu) return;
    const by = run.cpu.serverMsPerRequestByProcess;
    rows.push(
      `| ${name} | ${fmt(by["workerd(worker)"], 2)} | ${fmt(by["workerd(proxy)"], 2)} | ${fmt(by["wrangler(node)"], 2)} | ${fmt((by.esbuild ?? 0) + (by["wrangler(launcher)"] ?? 0), 2)} | ${fmt(run.cpu.serverMsPerRequest, 2)} | ${fmt(run.cpu.clientMsPerRequest, 2)} |`,
    );
  };
  const s = results.scenarios;
  for (const [name, scenario] of [
    ["ceiling", s.ceiling],
    ["hot auction", s.hotAuction],
    ["many auctions", s.manyAuctions],
  ]) {
    for (const run of scenario?.runs ?? []) add(`${name}: ${run.label}`, run);
  }
  if (s.liveRoom?.available) {
    add(`live room: ${s.liveRoom.alone.label}`, s.liveRoom.alone);
    add(`live room: ${s.liveRoom.withWatchers.label}`, s.liveRoom.withWatchers);
  }
  for (const c of s.growth?.checkpoints ?? []) add(`growth: ${c.earlierBids} bids`, c);
  if (rows.length === 0) return "";
  return [
    "## Where the server CPU goes (ms of CPU per request)\n",
    "`workerd(worker)` runs the Worker, both Durable Object classes, D1, the queues and their consumer; `workerd(proxy)` is wrangler's proxy in front of it (it also relays every WebSocket frame); `wrangler(node)` prints the access log. Each figure covers the run and the tail after it, so a bid also pays for what its queue event costs the consumer (D1 projection, inbox rows, pushes to `UserHub`).\n",
    "| run | workerd(worker) | workerd(proxy) | wrangler(node) | other | server total | client |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
  ].join("\n");
}

/** The CPU profile's top functions, when the run took one. */
function renderProfile(scenario) {
  if (!scenario) return "";
  if (!scenario.summary) return `## CPU profile\n\nNot taken: ${scenario.reason ?? scenario.error}.\n`;
  const { summary, run } = scenario;
  const table = (rows) =>
    [
      "| function (source) | ms | share |",
      "| --- | ---: | ---: |",
      ...rows.map((f) => `| \`${f.name.replaceAll("|", "\\|")}\` | ${f.ms} | ${pct(f.share)} |`),
    ].join("\n");
  return [
    "## Where the Worker isolate's time goes (V8 CPU profile)\n",
    `One hot auction, 50 connections for ${fmt(run.seconds)} s with the sampling profiler on (${fmt(run.okThroughput)} bids/s; the server then stayed busy ${fmt(run.cpu.tail.seconds)} s catching up, included). ` +
      `${summary.sampledMs} ms sampled over the whole isolate (Worker, both Durable Objects, queue consumer). Open \`bench/results/hot-auction.cpuprofile\` in Chrome DevTools for the full tree.\n`,
    "**Inclusive** (the function and everything it called):\n",
    table(summary.inclusive),
    "",
    "**Self** (time in the function's own code; `exec` = SQLite statements, `(program)` = the runtime outside JavaScript, `(idle)` = waiting):\n",
    table(summary.self),
    "",
  ].join("\n");
}
