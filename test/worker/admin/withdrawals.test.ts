import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectProblem, signUp, signUpAdmin, type TestUser } from "../../helpers";

/** SPEC §8–§9: withdrawals are holds an admin completes (money leaves) or rejects (money returns). */

async function fundedUser(admin: TestUser, amount: number): Promise<TestUser> {
  const user = await signUp("withdrawer");
  const funded = await call("POST", `/api/v1/admin/users/${user.id}/wallet/adjustments`, {
    token: admin.token,
    body: { amount, currency: "KRW", reason: "Seed" },
  });
  expect(funded.status).toBe(201);
  return user;
}

async function requestWithdrawal(user: TestUser, amount: number): Promise<string> {
  const res = await call("POST", "/api/v1/me/wallet/withdrawals", {
    token: user.token,
    body: { amount, currency: "KRW" },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function krw(user: TestUser) {
  const wallet = await call("GET", "/api/v1/me/wallet", { token: user.token });
  const b = wallet.body.balances.find((x: { currency: string }) => x.currency === "KRW");
  return { available: b?.available ?? 0, held: b?.held ?? 0 };
}

const resolve = (admin: TestUser, id: string, verb: "complete" | "reject", body: unknown = {}) =>
  call("POST", `/api/v1/admin/withdrawals/${id}/${verb}`, { token: admin.token, body });

async function d1Status(id: string) {
  const row = await env.DB.prepare("SELECT status FROM withdrawals WHERE id = ?")
    .bind(id)
    .first<{ status: string }>();
  return row?.status;
}

async function auditActions(id: string) {
  const rows = await env.DB.prepare(
    "SELECT action, target_type, reason, detail FROM audit_log WHERE target_id = ? ORDER BY id",
  )
    .bind(id)
    .all<{ action: string; target_type: string; reason: string; detail: string }>();
  return rows.results.map((r) => ({ ...r, detail: JSON.parse(r.detail) }));
}

describe("POST /api/v1/admin/withdrawals/{id}/complete and /reject", () => {
  it("completes a requested withdrawal: the held money leaves, D1 follows, audited once however often repeated", async () => {
    const admin = await signUpAdmin();
    const user = await fundedUser(admin, 10_000);
    const id = await requestWithdrawal(user, 4_000);
    expect(await krw(user)).toEqual({ available: 6_000, held: 4_000 });
    const done = await resolve(admin, id, "complete");
    expect(done.status).toBe(200);
    expect(done.body).toEqual({
      id,
      userId: user.id,
      status: "completed",
      amount: 4_000,
      currency: "KRW",
      createdAt: expect.any(String),
      resolvedAt: expect.any(String),
    });
    const again = await resolve(admin, id, "complete");
    expect(again.status).toBe(200);
    expect(again.body).toEqual(done.body);
    expect(await krw(user)).toEqual({ available: 6_000, held: 0 });
    expect(await d1Status(id)).toBe("completed");
    expect(await auditActions(id)).toEqual([
      {
        action: "withdrawal.complete",
        target_type: "withdrawal",
        reason: "",
        detail: { userId: user.id, amount: 4_000, currency: "KRW" },
      },
    ]);
    expectProblem(await resolve(admin, id, "reject"), 409, "WITHDRAWAL_STATE");
    expect(await env.WALLET.getByName(user.id).selfCheck(user.id)).toEqual([]);
  });

  it("rejects a requested withdrawal with a reason: the money returns to available", async () => {
    const admin = await signUpAdmin();
    const user = await fundedUser(admin, 10_000);
    const id = await requestWithdrawal(user, 4_000);
    const rejected = await resolve(admin, id, "reject", { reason: "Bank account mismatch" });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe("rejected");
    expect((await resolve(admin, id, "reject", { reason: "Again" })).status).toBe(200);
    expect(await krw(user)).toEqual({ available: 10_000, held: 0 });
    expect(await d1Status(id)).toBe("rejected");
    expect((await auditActions(id)).map((r) => [r.action, r.reason])).toEqual([
      ["withdrawal.reject", "Bank account mismatch"],
    ]);
    expectProblem(await resolve(admin, id, "complete"), 409, "WITHDRAWAL_STATE");
    expect(await krw(user)).toEqual({ available: 10_000, held: 0 });
  });

  it("needs no body at all: the reason is optional", async () => {
    const admin = await signUpAdmin();
    const user = await fundedUser(admin, 2_000);
    const id = await requestWithdrawal(user, 2_000);
    const res = await call("POST", `/api/v1/admin/withdrawals/${id}/complete`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("completed");
    expect(await krw(user)).toEqual({ available: 0, held: 0 });
  });

  it("answers 404 WITHDRAWAL_NOT_FOUND for an unknown id", async () => {
    const admin = await signUpAdmin();
    expectProblem(await resolve(admin, "wd_nothing", "complete"), 404, "WITHDRAWAL_NOT_FOUND");
    expectProblem(await resolve(admin, "wd_nothing", "reject"), 404, "WITHDRAWAL_NOT_FOUND");
  });

  it("refuses a reason that breaks the text rules", async () => {
    const admin = await signUpAdmin();
    const user = await fundedUser(admin, 1_000);
    const id = await requestWithdrawal(user, 1_000);
    expectProblem(await resolve(admin, id, "reject", { reason: "x".repeat(501) }), 422, "VALIDATION_FAILED");
    expect(await d1Status(id)).toBe("requested");
  });
});

describe("GET /api/v1/admin/withdrawals", () => {
  it("lists withdrawals by status, newest first, a page at a time", async () => {
    const admin = await signUpAdmin();
    const user = await fundedUser(admin, 10_000);
    const a = await requestWithdrawal(user, 1_000);
    const b = await requestWithdrawal(user, 2_000);
    const c = await requestWithdrawal(user, 3_000);
    expect((await resolve(admin, b, "complete")).status).toBe(200);

    const mine = (items: { id: string; userId: string }[]) => items.filter((i) => i.userId === user.id);
    const requested = await call("GET", "/api/v1/admin/withdrawals?status=requested&limit=100", {
      token: admin.token,
    });
    expect(requested.status).toBe(200);
    expect(mine(requested.body.items).map((i: { id: string }) => i.id)).toEqual([c, a]);
    const completed = await call("GET", "/api/v1/admin/withdrawals?status=completed&limit=100", {
      token: admin.token,
    });
    expect(mine(completed.body.items)).toEqual([
      expect.objectContaining({ id: b, status: "completed", amount: 2_000, currency: "KRW" }),
    ]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await call("GET", `/api/v1/admin/withdrawals?limit=1${query}`, { token: admin.token });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen.filter((id) => [a, b, c].includes(id))).toEqual([c, b, a]);
  });

  it("refuses an unknown status and a forged cursor", async () => {
    const admin = await signUpAdmin();
    expectProblem(
      await call("GET", "/api/v1/admin/withdrawals?status=pending", { token: admin.token }),
      400,
      "INVALID_PARAMETER",
    );
    expectProblem(
      await call("GET", "/api/v1/admin/withdrawals?cursor=bogus", { token: admin.token }),
      400,
      "INVALID_CURSOR",
    );
  });
});
