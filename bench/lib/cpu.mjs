// CPU time of the server (every process in wrangler's process group: wrangler's node, the two
// workerd processes, esbuild) from /proc/<pid>/stat, and of this load generator from
// process.cpuUsage(). Linux only.

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A short name for a server process, from its command line. */
function roleOf(pid) {
  let args;
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return "gone";
  }
  const line = args.join(" ");
  if (line.includes("workerd"))
    return line.includes("--socket-addr=entry=127.0.0.1:0") ? "workerd(worker)" : "workerd(proxy)";
  if (line.includes("esbuild")) return "esbuild";
  if (line.includes("wrangler-dist")) return "wrangler(node)";
  return "wrangler(launcher)";
}

/**
 * utime+stime (seconds) of every live process in the group, by pid. Zombies are skipped: their
 * time is no longer theirs to report.
 */
export function groupCpu(pgid) {
  const byPid = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp ... utime(14) stime(15)": comm may hold spaces, so split after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[2] !== String(pgid) || fields[0] === "Z") continue;
    const ticks = Number(fields[11]) + Number(fields[12]);
    byPid.set(Number(name), { role: roleOf(name), seconds: ticks / CLOCK_TICKS });
  }
  return byPid;
}

/** Busy CPU seconds of the whole machine (every core), from /proc/stat. */
export function machineBusySeconds() {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  // cpu user nice system idle iowait irq softirq steal ...
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS
  );
}

/**
 * Starts a CPU measurement of server and client; `stop()` returns what each used meanwhile, and
 * what everything else on the machine used (`otherCores`): other work on a shared machine makes a
 * run noisy, and the report says so.
 */
export function cpuMeter(pgid) {
  const serverBefore = groupCpu(pgid);
  const clientBefore = process.cpuUsage();
  const machineBefore = machineBusySeconds();
  const wallBefore = performance.now();
  return {
    stop() {
      const serverAfter = groupCpu(pgid);
      const client = process.cpuUsage(clientBefore);
      const wallSeconds = (performance.now() - wallBefore) / 1000;
      const byRole = {};
      let server = 0;
      for (const [pid, { role, seconds }] of serverAfter) {
        const used = seconds - (serverBefore.get(pid)?.seconds ?? 0);
        byRole[role] = round3((byRole[role] ?? 0) + used);
        server += used;
      }
      const clientSeconds = (client.user + client.system) / 1e6;
      const otherSeconds = Math.max(0, machineBusySeconds() - machineBefore - server - clientSeconds);
      return {
        wallSeconds: round3(wallSeconds),
        serverSeconds: round3(server),
        serverByProcess: byRole,
        clientSeconds: round3(clientSeconds),
        /** Cores busy on average (1.0 = one core fully used). */
        serverCores: round3(server / wallSeconds),
        clientCores: round3(clientSeconds / wallSeconds),
        otherCores: round3(otherSeconds / wallSeconds),
      };
    },
  };
}

/**
 * Waits until the server has been nearly idle for 300 ms (queue consumer caught up, outbox
 * published), at most `maxMs`. Returns how long it waited and whether it settled.
 */
export async function quiesce(pgid, { maxMs = 30_000, idleCores = 0.1, windowMs = 300 } = {}) {
  const started = performance.now();
  let before = total(groupCpu(pgid));
  while (performance.now() - started < maxMs) {
    await sleep(windowMs);
    const now = total(groupCpu(pgid));
    const busy = (now - before) / (windowMs / 1000);
    before = now;
    if (busy <= idleCores)
      return { waitedMs: Math.round(performance.now() - started), settled: true, windowMs };
  }
  return { waitedMs: Math.round(performance.now() - started), settled: false, windowMs };
}

function total(byPid) {
  let sum = 0;
  for (const { seconds } of byPid.values()) sum += seconds;
  return sum;
}

function round3(v) {
  return Math.round(v * 1000) / 1000;
}

export { CLOCK_TICKS };
