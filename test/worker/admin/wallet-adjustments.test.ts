import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectProblem, signUp, signUpAdmin, type TestUser } from "../../helpers";

/** SPEC §9: the reference system's balance edit, as a ledger transfer against `external`. */

const adjust = (admin: TestUser, targetId: string, body: unknown, key?: string) =>
  call("POST", `/api/v1/admin/users/${targetId}/wallet/adjustments`, {
    token: admin.token,
    body,
    headers: key === undefined ? {} : { "idempotency-key": key },
  });

async function balance(user: TestUser, currency = "KRW") {
  const wallet = await call("GET", "/api/v1/me/wallet", { token: user.token });
  expect(wallet.status).toBe(200);
  return (
    wallet.body.balances.find((b: { currency: string }) => b.currency === currency) ?? {
      currency,
      available: 0,
      held: 0,
      pendingPayout: 0,
    }
  );
}

async function auditRows(targetId: string) {
  const rows = await env.DB.prepare(
    "SELECT actor_id, action, target_type, reason, detail FROM audit_log WHERE target_id = ? ORDER BY id",
  )
    .bind(targetId)
    .all<{ actor_id: string; action: string; target_type: string; reason: string; detail: string }>();
  return rows.results.map((r) => ({ ...r, detail: JSON.parse(r.detail) }));
}

describe("POST /api/v1/admin/users/{id}/wallet/adjustments", () => {
  it("credits and debits the user's available balance, answering 201 with the new balance, audited", async () => {
    const admin = await signUpAdmin();
    const user = await signUp("adjusted");
    const credited = await adjust(admin, user.id, { amount: 10_000, currency: "KRW", reason: "Goodwill" });
    expect(credited.status).toBe(201);
    expect(credited.body).toEqual({
      adjustmentId: expect.any(String),
      transferId: `adjust:${credited.body.adjustmentId}`,
      userId: user.id,
      amount: 10_000,
      currency: "KRW",
      balance: { currency: "KRW", available: 10_000, held: 0, pendingPayout: 0 },
    });
    const debited = await adjust(admin, user.id, { amount: -2_500, currency: "KRW", reason: "Correction" });
    expect(debited.status).toBe(201);
    expect(debited.body.balance).toEqual({ currency: "KRW", available: 7_500, held: 0, pendingPayout: 0 });
    expect(await balance(user)).toMatchObject({ available: 7_500 });
    const entries = await call("GET", "/api/v1/me/wallet/entries", { token: user.token });
    expect(entries.body.items.map((e: { kind: string; amount: number }) => [e.kind, e.amount])).toEqual([
      ["adjustment", -2_500],
      ["adjustment", 10_000],
    ]);
    expect(await auditRows(user.id)).toEqual([
      {
        actor_id: admin.id,
        action: "wallet.adjust",
        target_type: "user",
        reason: "Goodwill",
        detail: { amount: 10_000, currency: "KRW" },
      },
      {
        actor_id: admin.id,
        action: "wallet.adjust",
        target_type: "user",
        reason: "Correction",
        detail: { amount: -2_500, currency: "KRW" },
      },
    ]);
    expect(await env.WALLET.getByName(user.id).selfCheck(user.id)).toEqual([]);
  });

  it("never takes available below zero: 422 INSUFFICIENT_FUNDS, nothing changes, nothing audited", async () => {
    const admin = await signUpAdmin();
    const user = await signUp("shortuser");
    expect((await adjust(admin, user.id, { amount: 1_000, currency: "KRW", reason: "Seed" })).status).toBe(
      201,
    );
    const res = await adjust(admin, user.id, { amount: -1_001, currency: "KRW", reason: "Too much" });
    expectProblem(res, 422, "INSUFFICIENT_FUNDS");
    expect(await balance(user)).toMatchObject({ available: 1_000 });
    expect((await auditRows(user.id)).map((r) => r.reason)).toEqual(["Seed"]);
  });

  it("applies a retry with the same Idempotency-Key once, with one audit row", async () => {
    const admin = await signUpAdmin();
    const user = await signUp("retried");
    const body = { amount: 3_000, currency: "KRW", reason: "Refund of a lost parcel" };
    const first = await adjust(admin, user.id, body, "adj-1");
    const second = await adjust(admin, user.id, body, "adj-1");
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.adjustmentId).toBe(first.body.adjustmentId);
    expect(await balance(user)).toMatchObject({ available: 3_000 });
    expect(await auditRows(user.id)).toHaveLength(1);
    // Another admin's same key is their own adjustment.
    const other = await signUpAdmin("admin2");
    expect((await adjust(other, user.id, body, "adj-1")).status).toBe(201);
    expect(await balance(user)).toMatchObject({ available: 6_000 });
    expect(await auditRows(user.id)).toHaveLength(2);
  });

  it("refuses the same Idempotency-Key with another amount: 422 IDEMPOTENCY_KEY_REUSED, nothing changes", async () => {
    const admin = await signUpAdmin();
    const user = await signUp("reused");
    expect((await adjust(admin, user.id, { amount: 100, currency: "KRW", reason: "A" }, "k")).status).toBe(
      201,
    );
    const res = await adjust(admin, user.id, { amount: 200, currency: "KRW", reason: "A" }, "k");
    expectProblem(res, 422, "IDEMPOTENCY_KEY_REUSED");
    expect(await balance(user)).toMatchObject({ available: 100 });
    expect(await auditRows(user.id)).toHaveLength(1);
  });

  it("answers 404 USER_NOT_FOUND for an unknown user", async () => {
    const admin = await signUpAdmin();
    const res = await adjust(admin, "usr_nobody", { amount: 100, currency: "KRW", reason: "Nope" });
    expectProblem(res, 404, "USER_NOT_FOUND");
  });

  it.each([
    [{ amount: 0, currency: "KRW", reason: "Zero" }],
    [{ amount: 1.5, currency: "KRW", reason: "Fraction" }],
    [{ amount: 1_000_000_000_001, currency: "KRW", reason: "Too big" }],
    [{ amount: -1_000_000_000_001, currency: "KRW", reason: "Too small" }],
    [{ amount: 100, currency: "XXQ", reason: "Bad currency" }],
    [{ amount: 100, currency: "KRW", reason: "" }],
    [{ amount: 100, currency: "KRW", reason: "x".repeat(501) }],
    [{ amount: 100, currency: "KRW", reason: "bell\u0007" }],
    [{ amount: 100, currency: "KRW" }],
    [{ amount: 100, currency: "KRW", reason: "ok", extra: true }],
  ])("refuses %j with 422 VALIDATION_FAILED", async (body) => {
    const admin = await signUpAdmin();
    const user = await signUp("invalid");
    expectProblem(await adjust(admin, user.id, body), 422, "VALIDATION_FAILED");
    expect(await auditRows(user.id)).toEqual([]);
  });
});
