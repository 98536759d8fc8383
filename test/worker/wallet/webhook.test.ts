import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { paymentSignatureHeader } from "../../../src/worker/payments/signature";
import { call, expectProblem, signUp, type TestUser } from "../../helpers";

const SECRET = "whsec_test_secret_for_the_workers_pool";
const now = () => Math.floor(Date.now() / 1000);
let eventCounter = 0;
const eventId = () => {
  eventCounter += 1;
  return `evt_${eventCounter}_${Math.random().toString(36).slice(2, 10)}`;
};

async function topUp(user: TestUser, amount = 5000, currency = "KRW") {
  const response = await call("POST", "/api/v1/me/wallet/top-ups", {
    token: user.token,
    body: { amount, currency },
    headers: { "idempotency-key": `key-${Math.random()}` },
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; status: string; amount: number; currency: string };
}

async function deliver(
  event: { id: string; type: string; data: Record<string, unknown> },
  options: { secret?: string; t?: number; rawBody?: string } = {},
) {
  const rawBody = options.rawBody ?? JSON.stringify(event);
  const signature = await paymentSignatureHeader(options.secret ?? SECRET, rawBody, options.t ?? now());
  return call("POST", "/api/v1/webhooks/payments", { rawBody, headers: { "payment-signature": signature } });
}

async function available(user: TestUser): Promise<number> {
  const wallet = await call("GET", "/api/v1/me/wallet", { token: user.token });
  expect(wallet.status).toBe(200);
  return wallet.body.balances.find((b: { currency: string }) => b.currency === "KRW")?.available ?? 0;
}

const succeeded = (topUpId: string, amount = 5000, currency = "KRW") => ({
  id: eventId(),
  type: "payment.succeeded",
  data: { topUpId, amount, currency },
});

describe("POST /api/v1/webhooks/payments", () => {
  it("credits a genuine payment exactly once, delivered three times (and again under other event ids)", async () => {
    const user = await signUp("payer");
    const pending = await topUp(user);
    expect(pending).toMatchObject({ status: "pending", amount: 5000, currency: "KRW" });
    expect(pending.id).toMatch(/^top_[0-9a-z]{20}$/);
    const event = succeeded(pending.id);
    for (let i = 0; i < 3; i++) expect((await deliver(event)).status).toBe(200);
    expect((await deliver(succeeded(pending.id))).status).toBe(200);
    expect(await available(user)).toBe(5000);
    const entries = await call("GET", "/api/v1/me/wallet/entries", { token: user.token });
    expect(entries.body.items.map((e: { transferId: string }) => e.transferId)).toEqual([
      `topup:${pending.id}`,
    ]);
    const row = await env.DB.prepare("SELECT status FROM top_ups WHERE id = ?").bind(pending.id).first();
    expect(row).toEqual({ status: "succeeded" });
    expect(await env.WALLET.getByName(user.id).selfCheck(user.id)).toEqual([]);
  });

  it("refuses a forged signature, crediting nothing", async () => {
    const user = await signUp("payer");
    const pending = await topUp(user);
    expectProblem(await deliver(succeeded(pending.id), { secret: "whsec_forged" }), 400, "INVALID_SIGNATURE");
    expect(await available(user)).toBe(0);
  });

  it("refuses a missing signature and a stale timestamp", async () => {
    const user = await signUp("payer");
    const pending = await topUp(user);
    const rawBody = JSON.stringify(succeeded(pending.id));
    expectProblem(await call("POST", "/api/v1/webhooks/payments", { rawBody }), 400, "INVALID_SIGNATURE");
    expectProblem(await deliver(succeeded(pending.id), { t: now() - 301 }), 400, "INVALID_SIGNATURE");
    expect(await available(user)).toBe(0);
  });

  it("checks the signature over the exact bytes sent", async () => {
    const user = await signUp("payer");
    const pending = await topUp(user);
    // Same JSON value, other bytes: a body re-serialised before checking would wrongly pass.
    const rawBody = `{ "id": "${eventId()}", "type": "payment.succeeded", "data": {"topUpId": "${pending.id}", "amount": 5000, "currency": "KRW"} }`;
    expect((await deliver(succeeded(pending.id), { rawBody })).status).toBe(200);
    const signature = await paymentSignatureHeader(SECRET, rawBody, now());
    const tampered = rawBody.replace("5000", "5000 ");
    expectProblem(
      await call("POST", "/api/v1/webhooks/payments", {
        rawBody: tampered,
        headers: { "payment-signature": signature },
      }),
      400,
      "INVALID_SIGNATURE",
    );
  });

  it("refuses a wrong amount or currency with AMOUNT_MISMATCH, crediting nothing", async () => {
    const user = await signUp("payer");
    const pending = await topUp(user);
    expectProblem(await deliver(succeeded(pending.id, 50_000)), 422, "AMOUNT_MISMATCH");
    expectProblem(await deliver(succeeded(pending.id, 5000, "USD")), 422, "AMOUNT_MISMATCH");
    expect(await available(user)).toBe(0);
  });

  it("refuses an unknown top-up with TOP_UP_NOT_FOUND", async () => {
    expectProblem(await deliver(succeeded("top_aaaaaaaaaaaaaaaaaaaa")), 404, "TOP_UP_NOT_FOUND");
  });

  it("never flips a failed top-up to succeeded, or back", async () => {
    const user = await signUp("payer");
    const pending = await topUp(user);
    const failed = {
      id: eventId(),
      type: "payment.failed",
      data: { topUpId: pending.id, amount: 5000, currency: "KRW" },
    };
    expect((await deliver(failed)).status).toBe(200);
    expectProblem(await deliver(succeeded(pending.id)), 409, "TOP_UP_STATE");
    expect(await available(user)).toBe(0);
    const other = await topUp(user);
    expect((await deliver(succeeded(other.id))).status).toBe(200);
    expectProblem(
      await deliver({
        id: eventId(),
        type: "payment.failed",
        data: { topUpId: other.id, amount: 5000, currency: "KRW" },
      }),
      409,
      "TOP_UP_STATE",
    );
    expect(await available(user)).toBe(5000);
  });

  it("answers a replayed event id as before, even when its body differs", async () => {
    const user = await signUp("payer");
    const pending = await topUp(user);
    const event = succeeded(pending.id);
    expect((await deliver(event)).status).toBe(200);
    const again = await deliver({ ...event, data: { ...event.data, amount: 1 } });
    expect(again.status).toBe(200);
    expect(await available(user)).toBe(5000);
  });
});
