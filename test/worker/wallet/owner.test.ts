import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { paymentSignatureHeader } from "../../../src/worker/payments/signature";
import { call, expectProblem, signUp, type TestUser } from "../../helpers";

/** SPEC §8: /me/wallet is the caller's own wallet, never anyone else's. */

const SECRET = "whsec_test_secret_for_the_workers_pool";

/** Funds the user as the provider would: a top-up, then its signed `payment.succeeded`. */
async function fund(user: TestUser, amount: number): Promise<void> {
  const topUp = await call("POST", "/api/v1/me/wallet/top-ups", {
    token: user.token,
    body: { amount, currency: "KRW" },
  });
  expect(topUp.status).toBe(201);
  const rawBody = JSON.stringify({
    id: `evt_${topUp.body.id}`,
    type: "payment.succeeded",
    data: { topUpId: topUp.body.id, amount, currency: "KRW" },
  });
  const signature = await paymentSignatureHeader(SECRET, rawBody, Math.floor(Date.now() / 1000));
  const delivered = await call("POST", "/api/v1/webhooks/payments", {
    rawBody,
    headers: { "payment-signature": signature },
  });
  expect(delivered.status).toBe(200);
}

const wallet = async (user: TestUser) => {
  const res = await call("GET", "/api/v1/me/wallet", { token: user.token });
  expect(res.status).toBe(200);
  return res.body;
};

describe("/api/v1/me/wallet routes refuse strangers before reading their request", () => {
  it.each([
    ["GET", "/api/v1/me/wallet/entries?limit=0", undefined],
    ["POST", "/api/v1/me/wallet/top-ups", { amount: -1 }],
    ["POST", "/api/v1/me/wallet/withdrawals", { amount: "x" }],
  ])("%s %s: 401 UNAUTHENTICATED however bad the request", async (method, path, body) => {
    expectProblem(await call(method, path, { body }), 401, "UNAUTHENTICATED");
  });
});

describe("GET /api/v1/me/wallet", () => {
  it("shows only the caller's wallet: the funded user sees their money, the other sees none of it", async () => {
    const rich = await signUp("rich");
    const poor = await signUp("poor");
    await fund(rich, 7_000);
    expect(await wallet(rich)).toEqual({
      balances: [{ currency: "KRW", available: 7_000, held: 0, pendingPayout: 0 }],
      holds: [],
    });
    const other = await wallet(poor);
    expect(other.holds).toEqual([]);
    for (const b of other.balances) expect(b).toMatchObject({ available: 0, held: 0, pendingPayout: 0 });
    const entries = await call("GET", "/api/v1/me/wallet/entries", { token: poor.token });
    expect(entries.body.items).toEqual([]);
  });
});

describe("POST /api/v1/me/wallet/withdrawals", () => {
  it("holds the amount at once: held up, available down, in the caller's wallet only", async () => {
    const user = await signUp("withdrawer");
    const bystander = await signUp("bystander");
    await fund(user, 10_000);
    await fund(bystander, 1_000);
    const res = await call("POST", "/api/v1/me/wallet/withdrawals", {
      token: user.token,
      body: { amount: 4_000, currency: "KRW" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userId: user.id, status: "requested", amount: 4_000, currency: "KRW" });
    const after = await wallet(user);
    expect(after.balances).toEqual([{ currency: "KRW", available: 6_000, held: 4_000, pendingPayout: 0 }]);
    expect(after.holds).toEqual([
      { id: res.body.id, auctionId: null, amount: 4_000, createdAt: expect.any(String) },
    ]);
    expect((await wallet(bystander)).balances).toEqual([
      { currency: "KRW", available: 1_000, held: 0, pendingPayout: 0 },
    ]);
    const row = await env.DB.prepare("SELECT user_id, status FROM withdrawals WHERE id = ?")
      .bind(res.body.id)
      .first();
    expect(row).toEqual({ user_id: user.id, status: "requested" });
  });

  it("refuses more than available with 422 INSUFFICIENT_FUNDS, and nothing changes", async () => {
    const user = await signUp("short");
    await fund(user, 3_000);
    const res = await call("POST", "/api/v1/me/wallet/withdrawals", {
      token: user.token,
      body: { amount: 3_001, currency: "KRW" },
    });
    expectProblem(res, 422, "INSUFFICIENT_FUNDS");
    expect(await wallet(user)).toEqual({
      balances: [{ currency: "KRW", available: 3_000, held: 0, pendingPayout: 0 }],
      holds: [],
    });
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM withdrawals WHERE user_id = ?")
      .bind(user.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
    expect(await env.WALLET.getByName(user.id).selfCheck(user.id)).toEqual([]);
  });
});
