import { env, exports } from "cloudflare:workers";
import { paymentSignatureHeader } from "../src/worker/payments/signature";

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

/**
 * Enough for any bid a test places (SPEC §8 "Funds to bid": a bid holds its commitment): the
 * largest price in these tests is far below it, and it stays under the 10^12 money cap.
 */
export const GENEROUS_FUNDS = 100_000_000;

export interface TopUp {
  id: string;
  status: string;
  amount: number;
  currency: string;
}

/** `POST /me/wallet/top-ups` with a fresh Idempotency-Key: a pending top-up, nothing credited yet. */
export async function startTopUp(user: TestUser, amount: number, currency = "KRW"): Promise<TopUp> {
  const response = await call("POST", "/api/v1/me/wallet/top-ups", {
    token: user.token,
    body: { amount, currency },
    headers: { "idempotency-key": `top-up-${crypto.randomUUID()}` },
  });
  if (response.status !== 201) throw new Error(`top-up failed: ${response.status} ${response.text}`);
  return response.body;
}

export interface PaymentEvent {
  id: string;
  type: "payment.succeeded" | "payment.failed";
  data: { topUpId: string; amount: number; currency: string };
}

/** A provider event for a top-up, under a fresh event id (the provider's idempotency key). */
export function paymentEvent(
  type: PaymentEvent["type"],
  topUpId: string,
  amount: number,
  currency = "KRW",
): PaymentEvent {
  return { id: `evt_${crypto.randomUUID().replaceAll("-", "")}`, type, data: { topUpId, amount, currency } };
}

export interface DeliverOptions {
  /** Signs with this instead of the pool's PAYMENTS_WEBHOOK_SECRET (a forgery). */
  secret?: string;
  /** The signature's unix time; now unless given (a stale one is refused). */
  t?: number;
  /** Sends and signs these bytes instead of `JSON.stringify(event)`. */
  rawBody?: string;
}

/**
 * `POST /webhooks/payments` as the payment provider sends it: signed with the secret the pool's
 * worker has (vitest.config.ts) over the exact bytes sent.
 */
export async function deliverPaymentEvent(event: PaymentEvent, options: DeliverOptions = {}) {
  const rawBody = options.rawBody ?? JSON.stringify(event);
  const t = options.t ?? Math.floor(Date.now() / 1000);
  const signature = await paymentSignatureHeader(options.secret ?? env.PAYMENTS_WEBHOOK_SECRET, rawBody, t);
  return call("POST", "/api/v1/webhooks/payments", { rawBody, headers: { "payment-signature": signature } });
}

/** The user's `available` balance in that currency (0 before any money arrived). */
export async function availableFunds(user: TestUser, currency = "KRW"): Promise<number> {
  const wallet = await call("GET", "/api/v1/me/wallet", { token: user.token });
  if (wallet.status !== 200) throw new Error(`wallet read failed: ${wallet.text}`);
  const balances: { currency: string; available: number }[] = wallet.body.balances;
  return balances.find((b) => b.currency === currency)?.available ?? 0;
}

/**
 * Gives the user money the way a real user gets it: a top-up, then the provider's signed
 * `payment.succeeded`. Throws unless the wallet's ledger shows that top-up credited to `available`
 * for exactly `amount`. Resolves with the top-up's id.
 */
export async function fund(user: TestUser, amount = GENEROUS_FUNDS, currency = "KRW"): Promise<string> {
  const topUp = await startTopUp(user, amount, currency);
  const delivered = await deliverPaymentEvent(paymentEvent("payment.succeeded", topUp.id, amount, currency));
  if (delivered.status !== 200) throw new Error(`payment webhook failed: ${delivered.text}`);
  const entries = await call("GET", "/api/v1/me/wallet/entries?limit=100", { token: user.token });
  const credit = (entries.body?.items ?? []).find(
    (e: { transferId: string; account: string }) =>
      e.transferId === `topup:${topUp.id}` && e.account === "available",
  );
  if (credit?.amount !== amount || credit?.currency !== currency) {
    throw new Error(`top-up ${topUp.id} was not credited ${amount} ${currency}: ${entries.text}`);
  }
  return topUp.id;
}

/** signUp, then fund: a user who can bid (or buy now) up to `amount`. */
export async function signUpFunded(prefix = "user", amount = GENEROUS_FUNDS): Promise<TestUser> {
  const user = await signUp(prefix);
  await fund(user, amount);
  return user;
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
