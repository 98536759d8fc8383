import { env, exports } from "cloudflare:workers";

export interface ApiResponse {
  status: number;
  headers: Headers;
  /**
   * Parsed JSON body, or null for an empty body. Tests assert on exact values with expect(),
   * which is the check; typing every response shape here would only repeat the schemas.
   */
  // biome-ignore lint/suspicious/noExplicitAny: see above
  body: any;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** Calls the worker's public fetch handler, as a client over HTTP would. */
export async function call(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  } else if (body !== undefined) {
    headers["content-type"] ??= "application/json";
  }
  const response = await exports.default.fetch(
    new Request(`https://auction.test${path}`, { method, headers, body }),
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null, text };
}

let counter = 0;
/** A username unique within the test run (D1 persists across tests in a file). */
export function uniqueUsername(prefix = "user"): string {
  counter += 1;
  return `${prefix}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

export const PASSWORD = "correct horse battery staple";

export interface TestUser {
  id: string;
  username: string;
  nickname: string;
  token: string;
}

export async function signUp(prefix = "user"): Promise<TestUser> {
  const username = uniqueUsername(prefix);
  const created = await call("POST", "/api/v1/users", {
    body: { username, password: PASSWORD, nickname: `${prefix} nick` },
  });
  if (created.status !== 201) throw new Error(`sign-up failed: ${created.text}`);
  const session = await call("POST", "/api/v1/sessions", { body: { username, password: PASSWORD } });
  if (session.status !== 201) throw new Error(`login failed: ${session.text}`);
  return { id: created.body.id, username, nickname: created.body.nickname, token: session.body.token };
}

/**
 * Makes the user an admin the way `npm run admin:grant` does: straight in D1. Call it before the
 * user's token is first used, or the worker would serve the session it cached without the role.
 */
export async function grantAdmin(user: TestUser): Promise<void> {
  const granted = await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(user.id).run();
  if (granted.meta.changes !== 1) throw new Error(`no user ${user.id} to make an admin`);
}

export async function signUpAdmin(prefix = "admin"): Promise<TestUser> {
  const admin = await signUp(prefix);
  await grantAdmin(admin);
  return admin;
}

export function expectProblem(response: ApiResponse, status: number, code: string): void {
  if (response.status !== status || response.body?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${response.status}: ${response.text}`);
  }
  if (!response.headers.get("content-type")?.startsWith("application/problem+json")) {
    throw new Error(`expected problem+json, got ${response.headers.get("content-type")}`);
  }
}

export async function createAuction(seller: TestUser, overrides: Record<string, unknown> = {}, key?: string) {
  const response = await call("POST", "/api/v1/auctions", {
    token: seller.token,
    headers: key ? { "idempotency-key": key } : {},
    body: {
      title: "Vintage film camera",
      description: "Works, light wear.",
      startingPrice: 10_000,
      durationSeconds: 3600,
      ...overrides,
    },
  });
  if (response.status !== 201) throw new Error(`create failed: ${response.text}`);
  return response.body;
}

/** The headers a real WebSocket client sends to open a socket (RFC 6455 §4.1). */
export const WEBSOCKET_HANDSHAKE: Record<string, string> = {
  upgrade: "websocket",
  connection: "Upgrade",
  "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
  "sec-websocket-version": "13",
};
