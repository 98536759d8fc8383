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
  // Targets set for the bid path with funds required, measured on a server that did not require them.
  const fundsNote =
    results.meta.fundsRequired === false
      ? { note: "⚠ this server did not require funds to bid (a never-funded user's bid was accepted)" }
      : {};
  const closedOne = (scenario) => scenario?.runs?.find((r) => r.kind === "closed" && r.connections === 1);
  const hotOne = closedOne(hot);
  const ceilingOne = closedOne(s.ceiling);
  const oneRatio = ratio(hotOne?.latencyMs.p50, ceilingOne?.latencyMs.p50);
  // Section 1b: what no funded bid can beat, in the same run.
  const floorOne = closedOne(s.fundedFloor);
  const floorRatio = ratio(floorOne?.latencyMs.p50, ceilingOne?.latencyMs.p50);
  const floorShare = ratio(s.fundedFloor?.throughput, ceiling);
  const floorNote = (figure) => (figure === null ? "" : `; its floor (1b) ${figure}`);
  targets.push({
    id: "bid-p50-one-connection",
    target: "Bid p50 at one connection, funds required, ≤ 1.6× the ceiling's p50 at one connection",
    measured:
      oneRatio === null
        ? "not measured"
        : `${x(oneRatio)} (${fmt(hotOne.latencyMs.p50)} ms vs ${fmt(ceilingOne.latencyMs.p50)} ms)${floorNote(floorRatio === null ? null : `${x(floorRatio)} (${fmt(floorOne.latencyMs.p50)} ms)`)}`,
    met: oneRatio === null ? null : oneRatio <= 1.6,
    ...(oneRatio === null ? {} : fundsNote),
  });

  const share = ratio(hot?.throughput, ceiling);
  targets.push({
    id: "hot-throughput",
    target: "One hot auction, funds required, sustains ≥ 40% of the ceiling's throughput",
    measured:
      share === null
        ? "not measured"
        : `${pct(share)} (${fmt(hot.throughput)} bids/s vs ${fmt(ceiling)} pings/s)${floorNote(floorShare === null ? null : `${pct(floorShare)}`)}`,
    met: share === null ? null : share >= 0.4,
    ...(share === null ? {} : fundsNote),
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
    met: sustainedShare === null ? null : sustainedShare >= 0.4,
    ...(sustainedShare === null ? {} : fundsNote),
  });

  targets.push(...fundsOffTargets(results));

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

  targets.push(...walletTargets(results));
  targets.push(...webTargets(results));
  targets.push(...overloadTargets(results));

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

/**
 * The hot auction with funds required against the same scenario with them switched off, on a
 * server of its own: its share of that (≥ 65%), and the old target (≥ 60% of the ceiling) on the
 * path it was set for.
 */
function fundsOffTargets(results) {
  const s = results.scenarios;
  const on = s.hotAuction?.throughput;
  const off = s.hotAuctionFundsOff?.throughput;
  const ceiling = s.ceiling?.throughput;
  const control = ratio(s.fundsOffCeiling?.throughput, ceiling);
  const controlNote =
    control === null
      ? {}
      : { note: `the funds-off server's own ceiling was ${pct(control)} of the first server's` };
  const share = ratio(on, off);
  const offShare = ratio(off, ceiling);
  // Both servers said, with one never-funded user's bid each, whether they require funds.
  const onRequired = results.meta.fundsRequired;
  const offRequired = s.hotAuctionFundsOff?.server?.fundsRequired;
  const switchFailed =
    share !== null && (onRequired !== true || offRequired !== false)
      ? `⚠ not a comparison of funds on and off: the first server ${onRequired === true ? "required" : onRequired === false ? "did not require" : "could not tell whether it required"} funds, the funds-off server ${offRequired === false ? "did not" : offRequired === true ? "did" : "could not tell"}`
      : null;
  return [
    {
      id: "hot-vs-funds-off",
      target: "… ≥ 65% of the same hot auction with funds switched off (`BIDS_REQUIRE_FUNDS=false`)",
      measured:
        share === null
          ? `not measured${s.hotAuctionFundsOff?.error ? ` (${s.hotAuctionFundsOff.error})` : ""}`
          : `${pct(share)} (${fmt(on)} bids/s vs ${fmt(off)} bids/s)`,
      met: share === null || switchFailed ? null : share >= 0.65,
      ...(share === null ? {} : switchFailed ? { note: switchFailed } : controlNote),
    },
    {
      id: "hot-funds-off-throughput",
      target:
        "With funds switched off, one hot auction sustains ≥ 60% of the ceiling (the target before funds)",
      measured:
        offShare === null
          ? "not measured"
          : `${pct(offShare)} (${fmt(off)} bids/s vs ${fmt(ceiling)} pings/s)`,
      met: offShare === null ? null : offShare >= 0.6,
      ...(offShare === null
        ? {}
        : offRequired === true
          ? { note: "⚠ the funds-off server did require funds" }
          : controlNote),
    },
  ];
}

/**
 * Wallet: no errors (INSUFFICIENT_FUNDS is a correct refusal there), and once outbid holds are
 * voided no wallet breaks SPEC §8's invariants.
 */
function walletTargets(results) {
  const w = results.scenarios.wallet;
  const ran = w?.run !== undefined;
  const off = ran && !w.fundsEnforced ? { note: "this server does not require funds to bid" } : {};
  const shortNote =
    ran && w.fundsEnforced && w.run.insufficientFunds === 0
      ? { note: "money never ran short in this run" }
      : {};
  const c = w?.check;
  const v = c?.violations;
  return [
    {
      id: "wallet-errors",
      target: "Wallet (every bid reserves a hold, money runs short): errors = 0",
      measured: ran
        ? `${w.run.errors} of ${w.run.requests} (${w.run.ok} accepted, ${w.run.insufficientFunds} INSUFFICIENT_FUNDS = ${pct(w.insufficientFundsShare)} of answered, ${w.run.bidTooLow} BID_TOO_LOW)`
        : `not measured${w?.error ? ` (${w.error})` : ""}`,
      met: ran ? w.run.errors === 0 : null,
      ...off,
      ...shortNote,
    },
    {
      id: "wallet-overspends",
      target:
        "… overspends = 0 once outbid holds are voided: available ≥ 0, held = Σ holds, ≤ 1 hold per auction, available + held = funded, every hold on an auction its holder leads",
      measured: c
        ? `${c.overspends} overspent of ${w.bidders} bidders; ${v.strayHolds} stray holds, ${v.leadsWithoutHold} leads without a hold, ${v.holdBelowPrice} below the price (${c.holds} holds; checked ${c.passes}× over ${fmt(c.seconds)} s)`
        : "not measured",
      met: c && w.fundsEnforced ? c.total === 0 : null,
      ...off,
    },
  ];
}

const LIGHTHOUSE_CATEGORY_NAMES = {
  performance: "performance",
  accessibility: "accessibility",
  "best-practices": "best practices",
};
const pagePath = (r) => (r.page === "catalog" ? "/" : r.page === "auction" ? "/auctions/{id}" : r.path);

/** Web pages: Lighthouse (mobile) scores ≥ 90 in each category, on both pages. */
function webTargets(results) {
  const web = results.scenarios.web;
  const runs = (web?.lighthouse ?? []).filter((r) => r.scores);
  const target = web?.target ?? 90;
  return Object.entries(LIGHTHOUSE_CATEGORY_NAMES).map(([id, name]) => {
    const scored = runs.filter((r) => typeof r.scores[id] === "number");
    return {
      id: `web-lighthouse-${id}`,
      target: `Lighthouse (mobile) ${name} ≥ ${target} on \`/\` and \`/auctions/{id}\``,
      measured:
        scored.length === 0
          ? `not measured${web?.error ? ` (${web.error})` : ""}`
          : scored.map((r) => `${pagePath(r)} ${r.scores[id]}`).join(", "),
      met: scored.length === 0 ? null : scored.length === 2 && scored.every((r) => r.scores[id] >= target),
    };
  });
}

/**
 * Overload: what is not shed is answered within 2 s (share ≥ 95%, p99 ≤ 2 s), nothing acknowledged
 * is lost, and the server lives through it.
 */
function overloadTargets(results) {
  const over = results.scenarios.overload;
  const o = over?.outcome;
  const i = over?.integrity;
  const withinS = fmt((over?.answerWithinMs ?? 2000) / 1000, 0);
  const deaths = serverDeaths(results.meta).filter((d) => d.during === "overload");
  const p99 = o?.answeredLatencyMs.p99 ?? null;
  const checked = i && !i.error;
  return [
    {
      id: "overload-answered",
      target: `At 2× the hot auction's best rate, ≥ 95% of the bids not shed are answered within ${withinS} s`,
      measured: o
        ? `${pct(o.answeredWithinShareOfNotShed)} (${o.answeredWithin} of ${o.requests - o.shed}; ${pct(o.shedShare)} of ${o.requests} shed) at ${over.rate}/s offered, ${x(over.offeredShareOfCeiling)} the ceiling`
        : "not measured",
      met: o?.answeredWithinShareOfNotShed == null ? null : o.answeredWithinShareOfNotShed >= 0.95,
    },
    {
      id: "overload-p99",
      target: `… p99 of the answered bids ≤ ${withinS} s`,
      measured: o
        ? `p99 ${fmt(p99)} ms (p50 ${fmt(o.answeredLatencyMs.p50)} ms, ${o.answered} answered)`
        : "not measured",
      met: p99 === null ? null : p99 <= (over.answerWithinMs ?? 2000),
    },
    {
      id: "overload-lost",
      target: "… acknowledged-then-lost bids = 0 (every 201's bid in the history, bidCount = its length)",
      measured: checked
        ? `${i.acknowledgedThenLost} of ${i.acknowledgedRows} acknowledged; bidCount ${i.bidCount} vs ${i.historyRows} history rows`
        : i?.error
          ? `not checked: ${i.error}`
          : "not measured",
      met: checked
        ? i.acknowledgedThenLost === 0 && i.bidCountMatchesHistory && i.unrecognisedIds === 0
        : null,
    },
    {
      id: "overload-deaths",
      target: "… `wrangler dev` survives it (0 server deaths during overload)",
      measured: over === undefined ? "not run" : String(deaths.length),
      met: over === undefined ? null : deaths.length === 0,
    },
  ];
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
    "| run | req/s | ok/s | ok/s × ceiling | sustained ok/s | p50 ms | p95 ms | p99 ms | p50 × ceiling | ok | 422 too low | 422 no funds | 429 limited | 503 shed | errors | server cores | busy after (s) | server ms/req | client cores | other cores |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of runs) {
    const ref = reference?.(r);
    const noisy = r.cpu.otherCores > NOISY_OTHER_CORES ? " ⚠" : "";
    lines.push(
      `| ${r.label} | ${fmt(r.throughput)} | ${fmt(r.okThroughput)} | ${x(ratio(r.okThroughput, ref?.okThroughput))} | ${fmt(r.sustainedOkThroughput)} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p95)} | ${fmt(r.latencyMs.p99)} | ${x(ratio(r.latencyMs.p50, ref?.latencyMs.p50))} | ${r.ok} | ${r.bidTooLow} | ${r.insufficientFunds ?? "–"} | ${r.rateLimited} | ${r.overloaded ?? "–"} | ${r.errors} | ${fmt(r.cpu.serverCores, 2)} | ${fmt(r.cpu.tail?.seconds, 1)} | ${fmt(r.cpu.serverMsPerRequest, 2)} | ${fmt(r.cpu.clientCores, 2)} | ${fmt(r.cpu.otherCores, 2)}${noisy} |`,
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
    `- **Seeded through the API:** ${meta.seed.users} bidders${meta.seed.walletBidders ? ` + ${meta.seed.walletBidders} wallet bidders` : ""} in ${fmt(meta.seed.usersSeconds)} s, ${meta.seed.auctions} auctions; server started in ${fmt(meta.startupSeconds)} s`,
  );
  if (meta.seed.fundedEach !== undefined)
    out.push(
      `- **Funded like real users** (\`POST /api/v1/me/wallet/top-ups\`, then the provider's signed \`POST /api/v1/webhooks/payments\`): every bidder ${meta.seed.fundedEach.toLocaleString("en")} ${meta.seed.currency}${meta.seed.walletFundedEach ? `, every wallet bidder ${meta.seed.walletFundedEach.toLocaleString("en")} ${meta.seed.currency}` : ""}, in ${fmt(meta.seed.fundingSeconds)} s. ${requiredLine(meta.fundsRequired)}`,
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
    "- **Method:** closed loop = N connections each sending when the last answered; open loop = fixed offered rate, latency measured from each request's *scheduled* time (no coordinated omission), at most 50 requests on the wire (overload: one connection per unanswered request). " +
      "CPU: server = utime+stime of every process in wrangler's process group (/proc); *server cores* = during the run; *busy after* = how long the server kept working once the run ended (the queue consumer catching up); *server ms/req* = server CPU of the run and that tail, per request; *sustained ok/s* = successes over the run's time plus that tail; " +
      `client = \`process.cpuUsage()\` of the load generator; other = the rest of the machine (⚠ where it exceeded ${NOISY_OTHER_CORES} cores). 422 BID_TOO_LOW, and 429 RATE_LIMITED and 503 OVERLOADED with a Retry-After, are counted apart from errors; so is 422 INSUFFICIENT_FUNDS in the wallet scenario (elsewhere bidders are funded far beyond their bids, and it would be an error).`,
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
    section(
      "1b. The floor of a funded bid — `GET /api/v1/auctions/{id}/ping?wallet=true` (the caller's Wallet, then the room)",
      s.fundedFloor,
      () =>
        [
          `A bid with funds required calls two Durable Objects in a row (SPEC §8: the Wallet reserves before the room decides); this ping makes the same two calls with no storage behind them, so no funded bid can beat it. Best: **${fmt(s.fundedFloor.throughput)} req/s** (${pct(ratio(s.fundedFloor.throughput, s.ceiling?.throughput))} of the ceiling); ratios compare with the ceiling run of the same shape.\n`,
          runTable(s.fundedFloor.runs, match),
        ].join("\n"),
    ),
  );
  out.push(
    section("2. One hot auction — `POST /api/v1/auctions/{id}/bids` `{}`", s.hotAuction, () =>
      [
        `Funds required: each bid first reserves a hold on its bidder's Wallet. Best: **${fmt(s.hotAuction.throughput)} accepted bids/s** (${pct(ratio(s.hotAuction.throughput, s.ceiling?.throughput))} of the ceiling). Open-loop rates are shares of the ceiling's throughput; ratios compare with the ceiling run of the same shape.\n`,
        runTable(s.hotAuction.runs, match),
      ].join("\n"),
    ),
  );
  out.push(
    section(
      "2b. One hot auction, funds switched off (`BIDS_REQUIRE_FUNDS=false`)",
      s.hotAuctionFundsOff,
      () => renderFundsOff(results),
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
  out.push(
    section("8. Overload — 2× the hot auction's best throughput, open loop", s.overload, () =>
      renderOverload(results),
    ),
  );
  out.push(
    section("9. Wallet — every bid reserves a hold; bidders run short of money", s.wallet, () =>
      renderWallet(results),
    ),
  );
  out.push(section("10. Web pages — server-rendered HTML and Lighthouse", s.web, () => renderWeb(results)));
  out.push(renderCpuBreakdown(results));
  out.push(renderProfile(results.scenarios.cpuProfile));
  return `${out.join("\n")}\n`;
}

/** What the probe (a never-funded user's `{}` bid) said about the server that ran the scenarios. */
function requiredLine(required) {
  if (required === true)
    return "Funds are required to bid (`BIDS_REQUIRE_FUNDS` as in wrangler.toml), everywhere but scenario 2b: a never-funded user's bid was refused 422 INSUFFICIENT_FUNDS.";
  if (required === false)
    return "⚠ **This server did not require funds to bid**: a never-funded user's bid was accepted, so no figure here includes the Wallet's hold.";
  return "Whether this server required funds to bid is unknown: a never-funded user's bid got neither 201 nor 422 INSUFFICIENT_FUNDS.";
}

/** Section 2b: the same hot auction on a server with funds off, run by run against funds on. */
function renderFundsOff(results) {
  const s = results.scenarios;
  const off = s.hotAuctionFundsOff;
  const on = s.hotAuction;
  const setup = off.server ?? {};
  const control = s.fundsOffCeiling;
  const sameShape = (r) =>
    on?.runs?.find((o) =>
      r.kind === "closed"
        ? o.kind === "closed" && o.connections === r.connections
        : o.fractionOfCeiling === r.fractionOfCeiling,
    );
  const said = (required) => (required === true ? "refused" : required === false ? "accepted" : "neither");
  const out = [
    `A second server, started with \`--var BIDS_REQUIRE_FUNDS:false\` at the start of the run (up in ${fmt(setup.startupSeconds)} s), seeded and funded exactly like the first (${fmt(setup.usersSeconds)} s, ${fmt(setup.fundingSeconds)} s) and idle until the ceiling. ` +
      "The ceiling and then the hot auction ran on both servers shape by shape (each closed loop and each open-loop rate on one, then on the other, which goes first alternating), so both hot auctions start from the same state with the same history, get the same load at the same rates (shares of the first server's ceiling), and are measured seconds apart; the funds-off server was stopped right after. " +
      `Best: **${fmt(off.throughput)} accepted bids/s**; with funds required the hot auction reached **${pct(ratio(on?.throughput, off.throughput))}** of that. ` +
      `A never-funded user's bid was ${said(results.meta.fundsRequired)} by the first server and ${said(setup.fundsRequired)} by this one${results.meta.fundsRequired === true && setup.fundsRequired === false ? ", as it should" : " ⚠: this is not a comparison of funds on and off"}.\n`,
  ];
  if (control?.runs)
    out.push(
      `Control: the funds-off server's ceiling was ${fmt(control.throughput)} req/s, ${pct(ratio(control.throughput, s.ceiling?.throughput))} of the first server's ${fmt(s.ceiling?.throughput)} (closed 1 conn p50 ${fmt(control.runs.find((r) => r.connections === 1)?.latencyMs.p50)} ms vs ${fmt(s.ceiling?.runs?.find((r) => r.connections === 1)?.latencyMs.p50)} ms). The same code path on both, so its distance from 100% is the noise of this comparison.\n`,
    );
  out.push(
    "| run | funds on ok/s | funds off ok/s | on ÷ off | funds on p50 ms | funds off p50 ms | on ÷ off (p50) | funds on p99 ms | funds off p99 ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...off.runs.map((r) => {
      const o = sameShape(r);
      return `| ${r.label} | ${fmt(o?.okThroughput)} | ${fmt(r.okThroughput)} | ${x(ratio(o?.okThroughput, r.okThroughput))} | ${fmt(o?.latencyMs.p50)} | ${fmt(r.latencyMs.p50)} | ${x(ratio(o?.latencyMs.p50, r.latencyMs.p50))} | ${fmt(o?.latencyMs.p99)} | ${fmt(r.latencyMs.p99)} |`;
    }),
    "",
    "The funds-off runs in the usual columns (ratios against the first server's ceiling):\n",
    runTable(off.runs, ceilingMatch(results)),
  );
  return out.join("\n");
}

/** Section 9: the wallet load, and every wallet checked against the money invariants after it. */
function renderWallet(results) {
  const w = results.scenarios.wallet;
  const c = w.check;
  const v = c.violations;
  const out = [
    `${w.bidders} bidders, each funded with ${w.fundedEach.toLocaleString("en")} ${w.currency}, bid \`{}\` on ${w.auctions} auctions (no sale completes: the auctions stay open), closed loop; in each round every bidder bids on ${w.bidsAtOnce} auctions at once, so that their Wallet has to serialise concurrent holds. ` +
      `422 INSUFFICIENT_FUNDS is a correct refusal here: **${pct(w.insufficientFundsShare)}** of the answered bids were refused for want of money.` +
      (w.fundsEnforced
        ? ""
        : " ⚠ **This server does not require funds to bid**: no bid reserves a hold, and the check below cannot pass.") +
      "\n",
    runTable([w.run], ceilingMatch(results)),
    "",
    `Then, once the server was idle again, every bidder's \`GET /api/v1/me/wallet\` and every auction (the holder's own view says whether they lead), checked ${c.passes}× over ${fmt(c.seconds)} s${c.total === 0 ? " until it held" : w.fundsEnforced ? `, and it still did not hold when the wait ran out (${fmt(c.settleMaxSeconds, 0)} s; outbid holds are voided a few seconds after the bid)` : " (no retry: no hold to wait for)"}:\n`,
    "| bids | holds | held | price min / median / max | **overspent bidders** | available < 0 | held ≠ Σ holds | 2 holds on 1 auction | available + held ≠ funded | stray holds | leads without a hold | hold below the price |",
    "| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${c.bids} | ${c.holds} | ${c.held.toLocaleString("en")} | ${c.prices.min} / ${c.prices.median} / ${c.prices.max} | **${c.overspends}** | ${v.negativeAvailable} | ${v.heldNotSumOfHolds} | ${v.twoHoldsOneAuction} | ${v.fundsNotConserved} | ${v.strayHolds} | ${v.leadsWithoutHold} | ${v.holdBelowPrice} |`,
    "",
  ];
  if (c.examples.length)
    out.push(`First violations: ${c.examples.map((e) => `\`${JSON.stringify(e)}\``).join(", ")}.\n`);
  return out.join("\n");
}

/** Section 10: each page's first byte against the ceiling, then Lighthouse's scores. */
function renderWeb(results) {
  const web = results.scenarios.web;
  const { seeded } = web;
  const ceilingOne = results.scenarios.ceiling?.runs?.find((r) => r.kind === "closed" && r.connections === 1);
  const requests = web.runs[0]?.requests ?? 0;
  const score = (v) => (v === null || v === undefined ? "–" : `${v} ${v >= web.target ? "✅" : "❌"}`);
  const out = [
    `The auction page shows an auction with ${seeded.photo.uploaded ? "a photo" : `no photo (the upload failed: \`${seeded.photo.reason.slice(0, 160).replaceAll("`", "'")}\`)`}, a description, a buy-now price and ${seeded.bids} bids; the catalog lists every auction of the run${seeded.listedInCatalog ? "" : " (⚠ this one was not listed yet)"}. ` +
      `Each page was requested ${requests} times in a row on one keep-alive connection (after unrecorded warm-up requests), signed out (\`lang=en\` cookie) and signed in (plus the session cookie: the page then also reads the session and the unread count). ` +
      `*First byte* = until the status line and headers arrived; *last byte* = the whole page. × ceiling: against the ping's p50 at one connection (${fmt(ceilingOne?.latencyMs.p50)} ms), the same one-request-at-a-time shape.\n`,
    "| page | viewer | status | type | bytes | first byte p50 ms | p95 ms | p50 × ceiling | last byte p50 ms | p95 ms | errors | server ms/req | client ms/req | client cores | other cores |",
    "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...web.runs.map((r) => {
      const noisy = r.cpu.otherCores > NOISY_OTHER_CORES ? " ⚠" : "";
      return `| \`${pagePath(r)}\` | ${r.viewer} | ${r.status} | ${(r.contentType ?? "").split(";")[0] || "–"} | ${r.bytes ?? "–"} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p95)} | ${x(ratio(r.latencyMs.p50, ceilingOne?.latencyMs.p50))} | ${fmt(r.totalMs?.p50)} | ${fmt(r.totalMs?.p95)} | ${r.errors} | ${fmt(r.cpu.serverMsPerRequest, 2)} | ${fmt(r.cpu.clientMsPerRequest, 2)} | ${fmt(r.cpu.clientCores, 2)} | ${fmt(r.cpu.otherCores, 2)}${noisy} |`;
    }),
    "",
  ];
  const lighthouse = web.lighthouse ?? [];
  const scored = lighthouse.filter((r) => r.scores);
  const first = scored[0];
  out.push(
    `Lighthouse${first?.lighthouseVersion ? ` ${first.lighthouseVersion}` : ""} (its CLI, mobile form factor: an emulated phone on simulated slow 4G with a slowed-down CPU), signed out, in headless Chromium${first?.userAgent ? ` (\`${first.userAgent}\`)` : ""}, with the server idle. Target: ≥ ${web.target} in each category (reported, not asserted). Lighthouse is told to score a page whatever its status (⚠: not 200). ` +
      `Lighthouse rated this machine's CPU at ${first?.benchmarkIndex ?? "–"} (its benchmark index; the simulated phone is slowed relative to it).\n`,
    "| page | status | performance | accessibility | best practices | FCP ms | LCP ms | TBT ms | CLS | Speed Index ms | server response ms | run s |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const r of lighthouse) {
    if (!r.scores) {
      out.push(
        `| \`${r.path ? pagePath(r) : "–"}\` | – | failed: ${(r.error ?? "").slice(-300).replaceAll("|", "\\|").replaceAll("\n", " ")} |  |  |  |  |  |  |  |  |  |`,
      );
      continue;
    }
    const m = r.metrics;
    out.push(
      `| \`${pagePath(r)}\` | ${r.status ?? "–"}${r.status === 200 ? "" : " ⚠"} | ${score(r.scores.performance)} | ${score(r.scores.accessibility)} | ${score(r.scores["best-practices"])} | ${fmt(m.fcpMs, 0)} | ${fmt(m.lcpMs, 0)} | ${fmt(m.tbtMs, 0)} | ${fmt(m.cls, 3)} | ${fmt(m.speedIndexMs, 0)} | ${fmt(m.serverResponseMs, 0)} | ${fmt(r.seconds, 1)} |`,
    );
  }
  out.push("");
  for (const r of scored) {
    const lines = Object.entries(r.failing ?? {})
      .filter(([, audits]) => audits.length > 0)
      .map(
        ([category, audits]) =>
          `${LIGHTHOUSE_CATEGORY_NAMES[category] ?? category}: ${audits.map((a) => `\`${a.id}\``).join(", ")}`,
      );
    if (r.runtimeError) lines.unshift(`⚠ Lighthouse: ${r.runtimeError}`);
    if (r.firstAttemptError)
      out.push(`\`${pagePath(r)}\` was scored on a second attempt; the first: ${r.firstAttemptError}.\n`);
    if (lines.length) out.push(`Audits below 0.9 on \`${pagePath(r)}\`: ${lines.join("; ")}.\n`);
  }
  return out.join("\n");
}

/** Section 8: what was offered, what came back, and whether every acknowledged bid is in the history. */
function renderOverload(results) {
  const { meta, scenarios: s } = results;
  const over = s.overload;
  const { run, outcome: o, integrity: i } = over;
  const ceiling = s.ceiling?.throughput ?? null;
  const unloaded = ceilingBaseline(results)();
  const within = `${fmt(over.answerWithinMs / 1000, 0)} s`;
  const offeredSeconds = over.offeredSeconds ?? meta.profile.overloadMs / 1000;
  const deaths = serverDeaths(meta).filter((d) => d.during === "overload").length;
  const a = o.answeredLatencyMs;
  const sh = o.shedLatencyMs;
  const out = [
    `Offered **${over.rate} bids/s** for ${fmt(offeredSeconds, 0)} s (${o.requests} requests; the last answer came ${fmt(run.seconds)} s after the first was due): ${fmt(over.factor, 0)}× the hot auction's best (${fmt(over.hotThroughput)} bids/s), **${x(over.offeredShareOfCeiling)} the ceiling** (${fmt(ceiling)} req/s). ` +
      "`{}` bids round-robin over the seeded bidders, on an auction no other scenario bids on. " +
      `Every unanswered request has a connection of its own (peak ${run.peakOutstanding} outstanding), so the whole offered rate reaches the server. ` +
      `*Answered* = 201, or 422 BID_TOO_LOW; *shed* = 503 OVERLOADED or 429 RATE_LIMITED, each with a Retry-After (one without counts as an error). Server deaths during this run: ${deaths}.\n`,
    `| requests | answered ≤ ${within}, of not shed | answered ≤ ${within}, of all | shed | 503 OVERLOADED | 429 RATE_LIMITED | shed without Retry-After | errors | answered p50 ms | p95 ms | p99 ms | max ms | shed p50 ms | shed p99 ms | accepted bids/s (until the last answer) | accepted × ceiling |`,
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${o.requests} | ${pct(o.answeredWithinShareOfNotShed)} | ${pct(o.answeredWithinShare)} | ${pct(o.shedShare)} | ${o.overloaded} | ${o.rateLimited} | ${o.shedWithoutRetryAfter} | ${o.errors} | ${fmt(a.p50)} | ${fmt(a.p95)} | ${fmt(a.p99)} | ${fmt(a.max)} | ${fmt(sh.p50)} | ${fmt(sh.p99)} | ${fmt(o.acceptedPerSecond)} | ${x(o.acceptedShareOfCeiling)} |`,
    "",
  ];
  if (over.timeline?.length)
    out.push(
      "By the second the requests were due in (latency of each kind from when it was due):\n",
      "| second | answered | shed | errors | answered p50 ms | shed p50 ms |",
      "| ---: | ---: | ---: | ---: | ---: | ---: |",
      ...over.timeline.map(
        (t) =>
          `| ${t.second} | ${t.answered} | ${t.shed} | ${t.errors} | ${fmt(t.answeredP50Ms)} | ${fmt(t.shedP50Ms)} |`,
      ),
      "",
    );
  if (run.errorKinds)
    out.push(
      `Errors: ${Object.entries(run.errorKinds)
        .map(([kind, n]) => `${kind} × ${n}`)
        .join(", ")}.\n`,
    );
  if (i.error) out.push(`Acknowledged bids not checked against the history: \`${i.error}\`.\n`);
  else
    out.push(
      `After the run, with the server idle${i.serverIdleBeforeCheck ? "" : " (⚠ it was still busy when the wait ran out)"}, the auction's whole history (${i.historyPages} page${i.historyPages === 1 ? "" : "s"} of \`GET /api/v1/auctions/{id}/bids?limit=100\`) against every 201 reply:\n`,
      "| 201 replies | naming a history row | max raises (no row) | **acknowledged-then-lost** | duplicate acks | history rows | bidCount | bidCount = rows | rows no 201 named | client timeouts |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      `| ${i.acknowledged} | ${i.acknowledgedRows} | ${i.maxRaises} | **${i.acknowledgedThenLost}** | ${i.duplicateAcknowledgements} | ${i.historyRows} | ${i.bidCount} | ${i.bidCountMatchesHistory ? "yes" : "**no**"} | ${i.unacknowledgedRows} | ${o.timeouts} |`,
      "",
      "*Rows no 201 named* are bids the server took whose reply the client never read (it gave up after 15 s, or the connection failed): not lost, but unacknowledged.\n",
    );
  out.push(
    "The same run in the usual columns (ok/s × ceiling: against the ceiling's best throughput; p50 × ceiling: against its lowest-rate open-loop run):\n",
    runTable([run], () => ({ okThroughput: ceiling, latencyMs: unloaded?.latencyMs ?? {} })),
  );
  return out.join("\n");
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
    ["hot auction, funds off", s.hotAuctionFundsOff],
    ["many auctions", s.manyAuctions],
  ]) {
    for (const run of scenario?.runs ?? []) add(`${name}: ${run.label}`, run);
  }
  if (s.liveRoom?.available) {
    add(`live room: ${s.liveRoom.alone.label}`, s.liveRoom.alone);
    add(`live room: ${s.liveRoom.withWatchers.label}`, s.liveRoom.withWatchers);
  }
  for (const c of s.growth?.checkpoints ?? []) add(`growth: ${c.earlierBids} bids`, c);
  if (s.overload?.run) add(`overload: ${s.overload.run.label}`, s.overload.run);
  if (s.wallet?.run) add(`wallet: ${s.wallet.run.label}`, s.wallet.run);
  for (const run of s.web?.runs ?? []) add(`web: ${run.label}`, run);
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
