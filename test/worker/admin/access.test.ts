import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectProblem, signUp, signUpAdmin } from "../../helpers";

/** SPEC §9: everything under /api/v1/admin/* is for admins only, each route checked on its own. */

interface AdminCall {
  method: string;
  path: (targetId: string) => string;
  body?: unknown;
}

const ADMIN_ROUTES: Record<string, AdminCall> = {
  "GET /admin/users": { method: "GET", path: () => "/api/v1/admin/users" },
  "POST /admin/users/{id}/suspend": {
    method: "POST",
    path: (id) => `/api/v1/admin/users/${id}/suspend`,
    body: { reason: "Spam listings" },
  },
  "POST /admin/users/{id}/unsuspend": {
    method: "POST",
    path: (id) => `/api/v1/admin/users/${id}/unsuspend`,
    body: { reason: "Appeal accepted" },
  },
  "GET /admin/audit-log": { method: "GET", path: () => "/api/v1/admin/audit-log" },
  "POST /admin/users/{id}/wallet/adjustments": {
    method: "POST",
    path: (id) => `/api/v1/admin/users/${id}/wallet/adjustments`,
    body: { amount: 1_000, currency: "KRW", reason: "Goodwill" },
  },
  "GET /admin/withdrawals": { method: "GET", path: () => "/api/v1/admin/withdrawals" },
  "POST /admin/withdrawals/{id}/complete": {
    method: "POST",
    path: (id) => `/api/v1/admin/withdrawals/${id}/complete`,
    body: {},
  },
  "POST /admin/withdrawals/{id}/reject": {
    method: "POST",
    path: (id) => `/api/v1/admin/withdrawals/${id}/reject`,
    body: { reason: "No" },
  },
};

async function auditRowsAbout(targetId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE target_id = ?")
    .bind(targetId)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

async function suspendedAt(userId: string): Promise<number | null> {
  const row = await env.DB.prepare("SELECT suspended_at FROM users WHERE id = ?")
    .bind(userId)
    .first<{ suspended_at: number | null }>();
  return row?.suspended_at ?? null;
}

describe("admin routes refuse everyone but admins", () => {
  for (const [name, route] of Object.entries(ADMIN_ROUTES)) {
    it(`${name}: 401 UNAUTHENTICATED anonymously, and changes nothing`, async () => {
      const target = await signUp("anontarget");
      const res = await call(route.method, route.path(target.id), { body: route.body });
      expectProblem(res, 401, "UNAUTHENTICATED");
      expect(await suspendedAt(target.id)).toBeNull();
      expect(await auditRowsAbout(target.id)).toBe(0);
    });

    it(`${name}: 403 FORBIDDEN for a signed-in user who is not an admin, and changes nothing`, async () => {
      const caller = await signUp("notadmin");
      const target = await signUp("usertarget");
      const res = await call(route.method, route.path(target.id), { token: caller.token, body: route.body });
      expectProblem(res, 403, "FORBIDDEN");
      expect(res.body.detail).toBe("Only administrators may do this.");
      expect(await suspendedAt(target.id)).toBeNull();
      expect(await auditRowsAbout(target.id)).toBe(0);
    });
  }

  it("answers 401 or 403 under /admin for a path that does not exist, never telling which do", async () => {
    expectProblem(await call("GET", "/api/v1/admin/nothing-here"), 401, "UNAUTHENTICATED");
    const user = await signUp("prober");
    expectProblem(await call("GET", "/api/v1/admin/nothing-here", { token: user.token }), 403, "FORBIDDEN");
  });

  it("lets an admin through, and an admin has no other powers: another user's auction is still not theirs", async () => {
    const admin = await signUpAdmin();
    expect((await call("GET", "/api/v1/admin/users", { token: admin.token })).status).toBe(200);
    const seller = await signUp("sellerx");
    const created = await call("POST", "/api/v1/auctions", {
      token: seller.token,
      body: { title: "Lamp", startingPrice: 1_000, durationSeconds: 600 },
    });
    expect(created.status).toBe(201);
    const edit = await call("PATCH", `/api/v1/auctions/${created.body.id}`, {
      token: admin.token,
      body: { title: "Taken over" },
    });
    expectProblem(edit, 403, "FORBIDDEN");
  });

  it("keeps an admin whose account was suspended outside the API (straight in D1) out with 403 ACCOUNT_SUSPENDED", async () => {
    const admin = await signUp("sqlsuspended");
    await env.DB.prepare("UPDATE users SET role = 'admin', suspended_at = 1 WHERE id = ?")
      .bind(admin.id)
      .run();
    expectProblem(await call("GET", "/api/v1/admin/users", { token: admin.token }), 403, "ACCOUNT_SUSPENDED");
  });
});
