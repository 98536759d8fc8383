// A V8 CPU profile of the Worker's isolate (the Worker, both Durable Object classes and the queue
// consumer share it under `wrangler dev`), taken through wrangler's inspector proxy: where the
// server's JavaScript time goes during a run.

import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { SourceMap } from "node:module";
import { dirname, join, relative } from "node:path";
import WebSocket from "ws";

/**
 * The source map of the bundle wrangler dev is serving from `root` (the newest
 * .wrangler/tmp/dev-* /index.js.map), so profile frames can name src/ files instead of bundle lines.
 */
export function loadBundleMap(root) {
  const tmp = join(root, ".wrangler", "tmp");
  if (!existsSync(tmp)) return null;
  const maps = readdirSync(tmp)
    .filter((d) => d.startsWith("dev-"))
    .map((d) => join(tmp, d, "index.js.map"))
    .filter((f) => existsSync(f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (maps.length === 0) return null;
  const map = new SourceMap(JSON.parse(readFileSync(maps[0], "utf8")));
  const mapDir = dirname(maps[0]);
  return {
    /** Where a bundle position (0-based) came from, as `path:line` relative to `root`. */
    locate(line, column) {
      const entry = map.findEntry(line, column);
      if (!entry?.originalSource) return null;
      const source = entry.originalSource.replace(/^file:\/\//, "");
      const path = source.includes("node_modules/")
        ? source.slice(source.lastIndexOf("node_modules/"))
        : relative(root, source.startsWith("/") ? source : join(mapDir, source));
      return `${path}:${entry.originalLine + 1}`;
    },
  };
}

/** Listening TCP ports (IPv4 loopback or any) of the given pids, from /proc. */
function listeningPorts(pids) {
  const inodes = new Set();
  for (const pid of pids) {
    let fds = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match) inodes.add(match[1]);
      } catch {
        // closed meanwhile
      }
    }
  }
  const ports = [];
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    // local_address rem_address st ... inode (field 9); st 0A = LISTEN
    if (fields[3] === "0A" && inodes.has(fields[9])) ports.push(Number.parseInt(fields[1].split(":")[1], 16));
  }
  return ports;
}

/**
 * The inspector WebSocket of *this* server: among the ports its own processes listen on, the one
 * that answers /json like an inspector. Never a port of some other wrangler on the machine.
 */
export async function findInspector(pids, entryPort) {
  for (const port of listeningPorts(pids)) {
    if (port === entryPort) continue;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/json`, { signal: AbortSignal.timeout(2_000) });
      const targets = await res.json();
      const url = Array.isArray(targets) ? targets[0]?.webSocketDebuggerUrl : undefined;
      if (typeof url === "string") return url;
    } catch {
      // not an inspector
    }
  }
  return null;
}

/** Starts the sampling profiler; `stop()` returns the profile (Chrome .cpuprofile format). */
export async function startProfiler(inspectorUrl, samplingIntervalUs = 250) {
  const ws = new WebSocket(inspectorUrl, { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("inspector did not answer")), 5_000);
    ws.once("open", () => {
      clearTimeout(timer);
      resolve();
    });
    ws.once("error", reject);
  });
  let nextId = 0;
  const pending = new Map();
  ws.on("message", (data) => {
    const message = JSON.parse(data.toString());
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  const call = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => reject(new Error(`${method}: no answer`)), 30_000);
      pending.set(id, (message) => {
        clearTimeout(timer);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result);
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: samplingIntervalUs });
  await call("Profiler.start");
  return {
    async stop() {
      try {
        const { profile } = await call("Profiler.stop");
        await call("Profiler.disable");
        return profile;
      } finally {
        ws.close();
      }
    },
  };
}

function frameNamer(bundleMap) {
  return (node) => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const where =
      url === "index.js" && bundleMap
        ? bundleMap.locate(lineNumber, columnNumber)
        : url
          ? `${url.split("/").at(-1)}:${lineNumber + 1}`
          : null;
    return `${functionName || "(anonymous)"}${where ? ` (${where})` : ""}`;
  };
}

/**
 * The functions with the most time, inclusive (the function and what it called) and self, as
 * shares of all sampled time. (idle) is the isolate waiting; (program) is the runtime's own work.
 */
export function summariseProfile(profile, { top = 20, bundleMap = null } = {}) {
  const frameName = frameNamer(bundleMap);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const sampled = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    sampled.set(id, (sampled.get(id) ?? 0) + dt);
    total += dt;
  });
  const self = new Map();
  const inclusive = new Map();
  for (const [id, dt] of sampled) {
    const name = frameName(byId.get(id));
    self.set(name, (self.get(name) ?? 0) + dt);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parentOf.get(cur)) {
      const n = frameName(byId.get(cur));
      if (seen.has(n)) continue;
      seen.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + dt);
    }
  }
  // wrangler's dev-only middleware wraps every request; its frames only repeat their callee's time.
  const wrapper = (name) =>
    name === "(root)" || name.includes("wrangler/templates/") || name.includes(".wrangler/tmp/bundle-");
  const rank = (map) =>
    [...map]
      .filter(([name]) => !wrapper(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 1000),
        share: Math.round((us / total) * 1000) / 1000,
      }));
  return { sampledMs: Math.round(total / 1000), inclusive: rank(inclusive), self: rank(self) };
}
