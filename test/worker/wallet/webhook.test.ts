import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { paymentSignatureHeader } from "../../../src/worker/payments/signature";
import {
  availableFunds as available,
  call,
  deliverPaymentEvent as deliver,
  expectProblem,
  paymentEvent,
  signUp,
  startTopUp,
  type TestUser,
} from "../../helpers";

const now = () => Math.floor(Date.now() / 1000);
const topUp = (user: TestUser) => startTopUp(user, 5000);
const succeeded = (topUpId: string, amount = 5000, currency = "KRW") =>
  paymentEvent("payment.succeeded", topUpId, amount, currency);
const failed = (topUpId: string) => paymentEvent("payment.failed", topUpId, 5000);

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
    const rawBody = `{ "id": "${succeeded(pending.id).id}", "type": "payment.succeeded", "data": {"topUpId": "${pending.id}", "amount": 5000, "currency": "KRW"} }`;
    expect((await deliver(succeeded(pending.id), { rawBody })).status).toBe(200);
    const signature = await paymentSignatureHeader(env.PAYMENTS_WEBHOOK_SECRET, rawBody, now());
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
    expect((await deliver(failed(pending.id))).status).toBe(200);
    expectProblem(await deliver(succeeded(pending.id)), 409, "TOP_UP_STATE");
    expect(await available(user)).toBe(0);
    const other = await topUp(user);
    expect((await deliver(succeeded(other.id))).status).toBe(200);
    expectProblem(await deliver(failed(other.id)), 409, "TOP_UP_STATE");
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
