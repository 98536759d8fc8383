import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { deliverPaymentEvent } from "../../scripts/payment-provider.mjs";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const wranglerBin = join(projectRoot, "node_modules", ".bin", "wrangler");
/**
 * The local development secrets every server started here loads (`--env-file`), as `npm run dev`
 * has them, without depending on a developer's own git-ignored .dev.vars.
 */
const devVarsFile = join(projectRoot, ".dev.vars.example");

/** A running `wrangler dev` (worker + Durable Objects + queues + local D1) on 127.0.0.1. */
export interface TestServer {
  baseUrl: string;
  /** The folder of this server's persisted state (local D1, Durable Objects) and logs. */
  stateDir: string;
  /** Where wrangler persists D1 and the Durable Objects: what `--persist-to` takes. */
  persistDir: string;
  /** The last lines wrangler printed; handy in a failing test's message. */
  logTail(lines?: number): string;
  /**
   * Kills the whole process tree and deletes the persisted state, unless `keepState` (then
   * `startServer({ stateDir })` serves it again). Safe to call twice.
   */
  stop(options?: StopOptions): Promise<void>;
  /**
   * A crash: SIGKILLs the server's workerd processes wherever they are (mid-request, mid-write,
   * with queue messages in memory), then the rest of its process tree. The state on disk is kept
   * for `startServer({ stateDir })`. Resolves with the pids of the workerd processes it killed.
   */
  crash(): Promise<number[]>;
}

export interface StartServerOptions {
  /** How long to wait for the first HTTP answer. Cold starts on CI machines are slow. */
  startupTimeoutMs?: number;
  /**
   * Serve the state an earlier server left behind (its `stateDir`, after `crash()` or
   * `stop({ keepState: true })`) instead of a fresh one. The new server owns it from then on.
   */
  stateDir?: string;
  /**
   * Vars set on top of wrangler.toml's `[vars]` (`wrangler dev --var KEY:VALUE`), e.g. a switch
   * the benchmark measures both ways.
   */
  vars?: Record<string, string>;
}

export interface StopOptions {
  /** Leave the persisted state on disk for a later `startServer({ stateDir })`. */
  keepState?: boolean;
}

const LOG_LIMIT_BYTES = 256 * 1024;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point.
const ANSI_ESCAPE = /\u001b\[[0-9;]*[A-Za-z]/g;
const STOP_GRACE_MS = 5_000;
// Bounded: a container whose init never reaps would otherwise stall every stop().
const ZOMBIE_REAP_MS = 3_000;
const EXIT_GRACE_MS = 300;

/**
 * Servers not yet stopped, so an exit hook can still kill them when a test throws or the runner
 * is interrupted. wrangler runs in its own process group (so that stop() reaches workerd too),
 * which also means nothing else would ever kill it.
 */
const running = new Map<number, { dir: string }>();
/** State folders of stopped or crashed servers kept for a restart: deleted at exit all the same. */
const keptStateDirs = new Set<string>();
let exitHooksInstalled = false;

/** The process group of each running server, for callers that account for its CPU time. */
const processGroups = new WeakMap<TestServer, number>();

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on("exit", killAllSync);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      // Clean up here rather than by calling process.exit(): vitest replaces process.exit while a
      // test runs, so an interrupted test would otherwise leave wrangler running.
      killAllSync();
      // Then die the way the signal would have made us, unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/**
 * Last-resort cleanup from exit and signal hooks, which must be synchronous; short, because vitest
 * SIGKILLs a test process 500 ms after asking it to stop. SIGTERM first: wrangler then stops workerd
 * itself rather than leaving it orphaned.
 */
function killAllSync(): void {
  for (const pgid of running.keys()) killGroup(pgid, "SIGTERM");
  for (const [pgid, { dir }] of running) {
    if (!waitUntilSync(() => !groupAlive(pgid), EXIT_GRACE_MS)) killGroup(pgid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
  running.clear();
  for (const dir of keptStateDirs) rmSync(dir, { recursive: true, force: true });
  keptStateDirs.clear();
}

/** Sends a signal to every process in the group; false when the group is gone. */
function killGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** A live (not zombie) process of a group, as /proc lists it. */
interface GroupMember {
  pid: number;
  /** The executable's name, e.g. "workerd" (wrangler's node shows as its thread name). */
  comm: string;
}

/** The group's live processes; null when /proc cannot be read (not Linux). */
function groupMembers(pgid: number): GroupMember[] | null {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const members: GroupMember[] = [];
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses, so split after it.
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (pgrp === String(pgid) && state !== "Z") members.push({ pid: Number(pid), comm });
  }
  return members;
}

/**
 * Whether any process of the group is still running. kill(-pgid, 0) alone also counts zombies
 * (exited children whose parent died before reaping them, and an init that is slow to adopt them),
 * which would make every stop() wait out its grace period; on Linux /proc tells them apart.
 */
function groupAlive(pgid: number): boolean {
  if (!killGroup(pgid, 0)) return false;
  const members = groupMembers(pgid);
  return members === null || members.length > 0;
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

function waitUntilSync(done: () => boolean, timeoutMs: number): boolean {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!done()) {
    if (Date.now() >= deadline) return false;
    Atomics.wait(pause, 0, 0, 50);
  }
  return true;
}

/** Asks the OS for a free port. Racy in theory (another process could grab it), fine for tests. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("could not read the port of a probe socket"));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * The environment for wrangler: never prompt (CI), never phone home (no internet on CI), and run
 * under the same Node as the test runner, which may not be the first `node` on PATH (wrangler
 * needs Node >= 22; the system one can be older).
 */
function wranglerEnv(logDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CI: "true",
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_LOG_PATH: logDir,
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    PATH: [dirname(process.execPath), process.env.PATH ?? ""].join(delimiter),
  };
}

async function applyMigrations(persistDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile(
      wranglerBin,
      ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir],
      { cwd: projectRoot, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`wrangler d1 migrations apply failed: ${error.message}\n${stdout}\n${stderr}`));
        } else {
          resolve();
        }
      },
    );
  });
}

/** Resolves once the child has exited and its output streams are drained. */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("close", () => resolve()));
}

/**
 * Starts `wrangler dev` on a free port with a fresh, migrated local D1 and resolves once it
 * answers HTTP. Every call gets its own persisted state, so tests never see each other's data.
 */
export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  const startupTimeoutMs = options.startupTimeoutMs ?? 90_000;
  installExitHooks();

  const dir = options.stateDir ?? (await mkdtemp(join(tmpdir(), "secondhand-auction-e2e-")));
  keptStateDirs.delete(dir);
  const persistDir = join(dir, "state");
  const env = wranglerEnv(join(dir, "logs"));
  // Kept state is migrated already.
  if (options.stateDir === undefined) {
    try {
      await applyMigrations(persistDir, env);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(
    wranglerBin,
    [
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      persistDir,
      // The local development secrets (the payment webhook's).
      "--env-file",
      devVarsFile,
      ...Object.entries(options.vars ?? {}).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
      "--show-interactive-dev-session=false",
    ],
    // Own process group: wrangler starts workerd as a grandchild, and killing the group is the one
    // way to be sure none of them outlives the test.
    { cwd: projectRoot, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  const pgid = child.pid;
  if (pgid === undefined) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`could not spawn ${wranglerBin}`);
  }
  running.set(pgid, { dir });

  let log = "";
  const append = (chunk: Buffer) => {
    log += chunk.toString("utf8");
    // Keep memory bounded for long runs; the tail is what explains a failure.
    if (log.length > LOG_LIMIT_BYTES) log = log.slice(-LOG_LIMIT_BYTES / 2);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  if (process.env.E2E_VERBOSE) {
    child.stdout?.pipe(process.stderr);
    child.stderr?.pipe(process.stderr);
  }
  // wrangler colours some output regardless of NO_COLOR; escapes only make a failure harder to read.
  const logTail = (lines = 60) => log.replace(ANSI_ESCAPE, "").split("\n").slice(-lines).join("\n");

  /** Waits for the group to be gone, then deletes or keeps the state. */
  const finish = async (keepState: boolean): Promise<void> => {
    if (!(await waitUntil(() => !groupAlive(pgid), STOP_GRACE_MS))) {
      killGroup(pgid, "SIGKILL");
      await waitUntil(() => !groupAlive(pgid), STOP_GRACE_MS);
    }
    // wrangler does not wait for workerd, so its processes end as zombies handed to init; give
    // init a moment to reap them so that nothing named workerd is listed once stop() returns.
    await waitUntil(() => !killGroup(pgid, 0), ZOMBIE_REAP_MS);
    await exited(child);
    running.delete(pgid);
    if (keepState) {
      keptStateDirs.add(dir);
      return;
    }
    // Retries ride out ENOTEMPTY/EBUSY on file systems slow to release the SQLite files.
    await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };

  let stopped: Promise<void> | undefined;
  const stop = (stopOptions: StopOptions = {}): Promise<void> => {
    stopped ??= (async () => {
      killGroup(pgid, "SIGTERM");
      await finish(stopOptions.keepState === true);
    })();
    return stopped;
  };

  const crash = async (): Promise<number[]> => {
    if (stopped) throw new Error("the server is already stopped");
    // Freeze the whole tree first: wrangler restarts a runtime that dies, and a restarted one
    // would run (alarms, queue batches) during what the test means as downtime.
    killGroup(pgid, "SIGSTOP");
    const workerd = (groupMembers(pgid) ?? []).filter((m) => m.comm === "workerd").map((m) => m.pid);
    if (workerd.length === 0) {
      killGroup(pgid, "SIGCONT");
      throw new Error(`no workerd process in wrangler's process group ${pgid}`);
    }
    for (const pid of workerd) process.kill(pid, "SIGKILL");
    // SIGKILL reaches stopped processes too: nothing of the tree runs again.
    killGroup(pgid, "SIGKILL");
    stopped = finish(true);
    await stopped;
    return workerd;
  };

  try {
    await waitForHttp(baseUrl, child, () => log, startupTimeoutMs);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const tail = logTail();
    await stop();
    throw new Error(`wrangler dev did not start: ${reason}\n--- wrangler output (tail) ---\n${tail}`);
  }
  const server: TestServer = { baseUrl, stateDir: dir, persistDir, logTail, stop, crash };
  processGroups.set(server, pgid);
  return server;
}

/**
 * The process group id of a server from startServer(): wrangler and the workerd it starts. The
 * benchmarks read each member's CPU time from /proc; nothing here lets a caller stop the server
 * other than through stop().
 */
export function serverProcessGroup(server: TestServer): number {
  const pgid = processGroups.get(server);
  if (pgid === undefined) throw new Error("not a server started by startServer()");
  return pgid;
}

/** Any HTTP answer means the worker is being served; the health route is simply the cheapest. */
async function waitForHttp(
  baseUrl: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`wrangler exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    // On a build error wrangler keeps running and waits for a file change that will never come in a
    // test run; without this check the failure would only surface at the timeout.
    if (output().includes("Build failed")) {
      throw new Error("the worker failed to build");
    }
    try {
      await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
      return;
    } catch {
      // Not listening yet (connection refused) or still booting: try again shortly.
    }
    await sleep(250);
  }
  throw new Error(`no HTTP answer from ${baseUrl} within ${timeoutMs} ms`);
}

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `npm run admin:grant -- <args>` against the server's own local D1 (its `--persist-to`): the way
 * a test gets an admin. Resolves with the exit code and output, whatever they are.
 */
export function runAdminGrant(server: TestServer, args: string[]): Promise<ScriptRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(projectRoot, "scripts", "admin-grant.mjs"), ...args, "--persist-to", server.persistDir],
      { cwd: projectRoot, env: wranglerEnv(join(server.stateDir, "logs")), timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * `npm run pay -- <args>`: plays the payment provider against the server, reading top-ups from its
 * own local D1 and signing with the secret it loaded (.dev.vars.example). Resolves whatever the outcome.
 */
export function runPay(server: TestServer, args: string[]): Promise<ScriptRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        join(projectRoot, "scripts", "pay.mjs"),
        ...args,
        "--url",
        server.baseUrl,
        "--persist-to",
        server.persistDir,
      ],
      { cwd: projectRoot, env: wranglerEnv(join(server.stateDir, "logs")), timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Makes an existing user an admin through `npm run admin:grant`; throws with its output if that fails. */
export async function grantAdmin(server: TestServer, username: string): Promise<void> {
  const run = await runAdminGrant(server, [username]);
  if (run.code !== 0)
    throw new Error(`admin:grant ${username} exited ${run.code}: ${run.stdout}${run.stderr}`);
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the server sent JSON, the raw text otherwise, null when empty. */
  body: unknown;
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

export interface ApiClient {
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  get(path: string, options?: RequestOptions): Promise<ApiResponse>;
  post(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse>;
  put(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse>;
  patch(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse>;
  delete(path: string, options?: RequestOptions): Promise<ApiResponse>;
}

/** A tiny JSON client: bodies are sent as JSON, and answers are parsed but never trusted. */
export function api(baseUrl: string): ApiClient {
  const request = async (method: string, path: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      redirect: "manual",
    });
    const text = await res.text();
    const type = res.headers.get("content-type") ?? "";
    let body: unknown = text === "" ? null : text;
    if (text !== "" && /[/+]json\b/.test(type)) {
      try {
        body = JSON.parse(text);
      } catch {
        // Keep the raw text: a test asserting on the body will show what actually came back.
      }
    }
    return { status: res.status, headers: res.headers, body };
  };
  return {
    request,
    get: (path, options) => request("GET", path, options),
    post: (path, body, options) => request("POST", path, { ...options, body }),
    put: (path, body, options) => request("PUT", path, { ...options, body }),
    patch: (path, body, options) => request("PATCH", path, { ...options, body }),
    delete: (path, options) => request("DELETE", path, options),
  };
}

/** A password that passes the NIST 800-63B checks (long, not common, not the username). */
export const TEST_PASSWORD = "correct horse battery staple";

/** A username unique to this run: 3–32 chars of [a-z0-9_]. */
export function uniqueUsername(prefix: string): string {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  // The prefix is cut rather than the suffix, which is what makes the name unique.
  const safePrefix = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .slice(0, 16);
  return `${safePrefix}_${suffix}`;
}

const userSchema = z.object({ id: z.string().min(1), username: z.string(), nickname: z.string() });
const sessionSchema = z.object({ token: z.string().min(1), expiresAt: z.string(), user: userSchema });

export type TestUser = z.infer<typeof userSchema>;

/** Signs a new user up and logs them in; throws with the server's answer if either step fails. */
export async function signUpAndLogin(
  baseUrl: string,
  username: string,
): Promise<{ token: string; user: TestUser }> {
  const client = api(baseUrl);
  const signUp = await client.post("/api/v1/users", {
    username,
    password: TEST_PASSWORD,
    nickname: `Nick ${username}`,
  });
  if (signUp.status !== 201) {
    throw new Error(`sign-up of ${username} answered ${signUp.status}: ${JSON.stringify(signUp.body)}`);
  }
  return logIn(baseUrl, username);
}

/** Logs an existing user (TEST_PASSWORD) in: a fresh session; throws with the server's answer if refused. */
export async function logIn(baseUrl: string, username: string): Promise<{ token: string; user: TestUser }> {
  const login = await api(baseUrl).post("/api/v1/sessions", { username, password: TEST_PASSWORD });
  const session = sessionSchema.safeParse(login.body);
  if (login.status !== 201 || !session.success) {
    throw new Error(`login of ${username} answered ${login.status}: ${JSON.stringify(login.body)}`);
  }
  return { token: session.data.token, user: session.data.user };
}

/** Enough for any bid or buy-now in these suites (SPEC §8: a bid holds its commitment); ≤ 10^12. */
export const GENEROUS_FUNDS = 100_000_000;

/** PAYMENTS_WEBHOOK_SECRET as the servers started here have it (devVarsFile). */
function devWebhookSecret(): string {
  const line = readFileSync(devVarsFile, "utf8")
    .split("\n")
    .find((l) => l.startsWith("PAYMENTS_WEBHOOK_SECRET="));
  if (line === undefined) throw new Error(`no PAYMENTS_WEBHOOK_SECRET in ${devVarsFile}`);
  return line.slice("PAYMENTS_WEBHOOK_SECRET=".length).trim();
}

const topUpSchema = z.object({ id: z.string().min(1) });
const entriesSchema = z.object({
  items: z.array(
    z.object({ transferId: z.string(), account: z.string(), amount: z.number(), currency: z.string() }),
  ),
});

/**
 * Gives a user money the way a real user gets it (SPEC §8): `POST /me/wallet/top-ups`, then the
 * payment provider's `payment.succeeded`, signed with the server's secret. Throws unless the
 * wallet's ledger shows the top-up credited to `available` for exactly `amount`. Resolves with the
 * top-up's id.
 */
export async function fund(
  baseUrl: string,
  token: string,
  amount = GENEROUS_FUNDS,
  currency = "KRW",
): Promise<string> {
  const client = api(baseUrl);
  const started = await client.post(
    "/api/v1/me/wallet/top-ups",
    { amount, currency },
    { token, headers: { "idempotency-key": `top-up-${randomUUID()}` } },
  );
  const topUp = topUpSchema.safeParse(started.body);
  if (started.status !== 201 || !topUp.success) {
    throw new Error(`top-up answered ${started.status}: ${JSON.stringify(started.body)}`);
  }
  const topUpId = topUp.data.id;
  await confirmTopUp(baseUrl, topUpId, amount, currency);
  const entries = await client.get("/api/v1/me/wallet/entries?limit=100", { token });
  const credit = entriesSchema
    .safeParse(entries.body)
    .data?.items.find((e) => e.transferId === `topup:${topUpId}` && e.account === "available");
  if (credit?.amount !== amount || credit.currency !== currency) {
    throw new Error(
      `top-up ${topUpId} was not credited ${amount} ${currency}: ${JSON.stringify(entries.body)}`,
    );
  }
  return topUpId;
}

/**
 * Plays the payment provider for a pending top-up, however it was started (the API, or a page's
 * top-up form): `payment.succeeded` for `amount`, signed with the secret the servers started here
 * load, sent to the server's webhook. Throws unless the server accepts it (200).
 */
export async function confirmTopUp(
  baseUrl: string,
  topUpId: string,
  amount: number,
  currency = "KRW",
): Promise<void> {
  const delivered = await deliverPaymentEvent(baseUrl, devWebhookSecret(), {
    id: `evt_${randomUUID().replaceAll("-", "")}`,
    type: "payment.succeeded",
    data: { topUpId, amount, currency },
  });
  if (delivered.status !== 200) {
    throw new Error(`payment webhook answered ${delivered.status}: ${delivered.text}`);
  }
}

/** signUpAndLogin, then fund: a user who can bid (or buy now) up to `amount` KRW. */
export async function signUpFunded(
  baseUrl: string,
  username: string,
  amount = GENEROUS_FUNDS,
): Promise<{ token: string; user: TestUser }> {
  const session = await signUpAndLogin(baseUrl, username);
  await fund(baseUrl, session.token, amount);
  return session;
}

const createdSchema = z.object({ id: z.string().min(1) });

/**
 * Lists an item as `token`'s user (`POST /api/v1/auctions` with `fields`, SPEC §4); throws with the
 * server's answer unless 201. Resolves with the auction's id.
 */
export async function createAuction(
  baseUrl: string,
  token: string,
  fields: Record<string, unknown>,
): Promise<string> {
  const created = await api(baseUrl).post("/api/v1/auctions", fields, {
    token,
    headers: { "idempotency-key": `auction-${randomUUID()}` },
  });
  const auction = createdSchema.safeParse(created.body);
  if (created.status !== 201 || !auction.success) {
    throw new Error(`creating an auction answered ${created.status}: ${JSON.stringify(created.body)}`);
  }
  return auction.data.id;
}

const uploadedSchema = z.object({ url: z.string().min(1) });

/**
 * Uploads a photo as the browser's client does (SPEC §10: `POST /api/v1/uploads`, the bytes as the
 * body with their type); throws with the server's answer unless 201. Resolves with the `url` an
 * auction's `imageUrls` takes.
 */
export async function uploadPhoto(
  baseUrl: string,
  token: string,
  bytes: Uint8Array,
  contentType: string,
): Promise<string> {
  const res = await fetch(new URL("/api/v1/uploads", baseUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": contentType },
    body: bytes,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Kept as text for the message below.
  }
  const uploaded = uploadedSchema.safeParse(body);
  if (res.status !== 201 || !uploaded.success) {
    throw new Error(`uploading a photo answered ${res.status}: ${text.slice(0, 500)}`);
  }
  return uploaded.data.url;
}

/**
 * Retries `probe` until it returns a value other than undefined, for state that converges
 * (e.g. the D1 listing projection fed by the queue). Returns the last attempt's error on timeout.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 200, what = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(intervalMs);
  }
  const cause = lastError instanceof Error ? `: ${lastError.message}` : "";
  throw new Error(`${what} not reached within ${timeoutMs} ms${cause}`);
}
