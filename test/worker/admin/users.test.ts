import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectProblem, signUp, signUpAdmin, type TestUser } from "../../helpers";

/** SPEC §9: an admin lists users, suspends and unsuspends them; each change is audited with it. */

interface AuditRow {
  actor_id: string;
  action: string;
  target_type: string;
  target_id: string;
  reason: string;
  detail: string;
  created_at: number;
}

async function auditRowsAbout(targetId: string): Promise<AuditRow[]> {
  const { results } = await env.DB.prepare(
    "SELECT actor_id, action, target_type, target_id, reason, detail, created_at FROM audit_log WHERE target_id = ? ORDER BY id",
  )
    .bind(targetId)
    .all<AuditRow>();
  return results;
}

async function userRow(userId: string) {
  return env.DB.prepare("SELECT role, suspended_at, suspended_reason FROM users WHERE id = ?")
    .bind(userId)
    .first<{ role: string; suspended_at: number | null; suspended_reason: string | null }>();
}

/** Ids in the list's order: newest first, ties (the same millisecond) by id, descending. */
async function newestFirst(users: TestUser[]): Promise<string[]> {
  const rows = await Promise.all(
    users.map(async (u) => {
      const row = await env.DB.prepare("SELECT created_at FROM users WHERE id = ?")
        .bind(u.id)
        .first<{ created_at: number }>();
      return { id: u.id, createdAt: row?.created_at ?? 0 };
    }),
  );
  rows.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  return rows.map((r) => r.id);
}

const suspend = (admin: TestUser, userId: string, body: unknown = { reason: "Spam listings" }) =>
  call("POST", `/api/v1/admin/users/${userId}/suspend`, { token: admin.token, body });
const unsuspend = (admin: TestUser, userId: string, body: unknown = { reason: "Appeal accepted" }) =>
  call("POST", `/api/v1/admin/users/${userId}/unsuspend`, { token: admin.token, body });

describe("GET /api/v1/admin/users", () => {
  it("lists users newest first with id, username, nickname, role, suspension and createdAt", async () => {
    const admin = await signUpAdmin("lister");
    // A tag in every name so the search finds only this test's users.
    const older = await signUp("lstagq_old");
    const newer = await signUp("lstagq_new");
    expect((await suspend(admin, newer.id)).status).toBe(200);
    const res = await call("GET", "/api/v1/admin/users?q=lstagq", { token: admin.token });
    expect(res.status).toBe(200);
    const olderRow = await env.DB.prepare("SELECT created_at FROM users WHERE id = ?")
      .bind(older.id)
      .first<{ created_at: number }>();
    expect(res.body.items.find((u: { id: string }) => u.id === older.id)).toEqual({
      id: older.id,
      username: older.username,
      nickname: "lstagq_old nick",
      role: "user",
      suspended: false,
      suspendedAt: null,
      createdAt: new Date(olderRow?.created_at ?? 0).toISOString(),
    });
    expect(res.body.items.map((u: { id: string }) => u.id)).toEqual(await newestFirst([older, newer]));
    expect(res.body.items.find((u: { id: string }) => u.id === newer.id)).toMatchObject({
      suspended: true,
      suspendedAt: expect.any(String),
    });
    expect(res.body.nextCursor).toBeNull();
  });

  it("searches username and nickname, case-insensitively, wildcards meaning themselves", async () => {
    const admin = await signUpAdmin("searcher");
    const kim = await signUp("srchkim");
    const created = await call("POST", "/api/v1/users", {
      body: {
        username: `srch_${kim.id.slice(4, 12)}`,
        password: "another long passphrase",
        nickname: "Kim 100%",
      },
    });
    expect(created.status).toBe(201);
    const byNickname = await call("GET", "/api/v1/admin/users?q=KIM%20100%25", { token: admin.token });
    expect(byNickname.body.items.map((u: { id: string }) => u.id)).toEqual([created.body.id]);
    const byUsername = await call("GET", `/api/v1/admin/users?q=${kim.username.toUpperCase()}`, {
      token: admin.token,
    });
    expect(byUsername.body.items.map((u: { id: string }) => u.id)).toEqual([kim.id]);
    const wildcard = await call("GET", "/api/v1/admin/users?q=srch%25kim", { token: admin.token });
    expect(wildcard.body.items).toEqual([]);
  });

  it("pages with limit and cursor, each user once", async () => {
    const admin = await signUpAdmin("pager");
    const users = [await signUp("pgtagz"), await signUp("pgtagz"), await signUp("pgtagz")];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `q=pgtagz&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await call("GET", `/api/v1/admin/users?${query}`, { token: admin.token });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((u: { id: string }) => u.id));
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(await newestFirst(users));
  });

  it("refuses a bad limit (400 INVALID_PARAMETER) and a forged cursor (400 INVALID_CURSOR)", async () => {
    const admin = await signUpAdmin("badquery");
    expectProblem(
      await call("GET", "/api/v1/admin/users?limit=0", { token: admin.token }),
      400,
      "INVALID_PARAMETER",
    );
    expectProblem(
      await call("GET", "/api/v1/admin/users?limit=101", { token: admin.token }),
      400,
      "INVALID_PARAMETER",
    );
    expectProblem(
      await call("GET", "/api/v1/admin/users?cursor=bm9wZQ", { token: admin.token }),
      400,
      "INVALID_CURSOR",
    );
    expectProblem(
      await call("GET", `/api/v1/admin/users?cursor=${btoa(JSON.stringify(["x", "usr_1"]))}`, {
        token: admin.token,
      }),
      400,
      "INVALID_CURSOR",
    );
  });
});

describe("POST /api/v1/admin/users/{id}/suspend", () => {
  it("suspends the user and appends exactly one audit row in the same write", async () => {
    const admin = await signUpAdmin("suspender");
    const target = await signUp("spammer");
    const before = Date.now();
    const res = await suspend(admin, target.id, { reason: "  Spam listings, third warning  " });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: target.id,
      username: target.username,
      role: "user",
      suspended: true,
    });
    const row = await userRow(target.id);
    expect(row).toEqual({
      role: "user",
      suspended_at: Date.parse(res.body.suspendedAt),
      suspended_reason: "Spam listings, third warning",
    });
    const audit = await auditRowsAbout(target.id);
    expect(audit).toEqual([
      {
        actor_id: admin.id,
        action: "user.suspend",
        target_type: "user",
        target_id: target.id,
        reason: "Spam listings, third warning",
        detail: JSON.stringify({ username: target.username, sessionsRevoked: 1 }),
        created_at: row?.suspended_at,
      },
    ]);
    expect(audit[0]?.created_at).toBeGreaterThanOrEqual(before);
  });

  it("answers 404 USER_NOT_FOUND for an unknown user, and audits nothing", async () => {
    const admin = await signUpAdmin("suspender404");
    expectProblem(await suspend(admin, "usr_nobody"), 404, "USER_NOT_FOUND");
    expect(await auditRowsAbout("usr_nobody")).toEqual([]);
  });

  it("answers 409 ACCOUNT_ALREADY_SUSPENDED the second time; the first suspension and its one audit row stay", async () => {
    const admin = await signUpAdmin("twice");
    const target = await signUp("twicetarget");
    const first = await suspend(admin, target.id, { reason: "First" });
    expect(first.status).toBe(200);
    expectProblem(await suspend(admin, target.id, { reason: "Second" }), 409, "ACCOUNT_ALREADY_SUSPENDED");
    expect(await userRow(target.id)).toMatchObject({
      suspended_at: Date.parse(first.body.suspendedAt),
      suspended_reason: "First",
    });
    expect((await auditRowsAbout(target.id)).map((r) => r.reason)).toEqual(["First"]);
  });

  it("refuses to suspend an admin, or yourself: 409 CANNOT_SUSPEND_ADMIN, nothing changed", async () => {
    const admin = await signUpAdmin("boss");
    const otherAdmin = await signUpAdmin("peer");
    const other = await suspend(admin, otherAdmin.id);
    expectProblem(other, 409, "CANNOT_SUSPEND_ADMIN");
    expect(other.body.detail).toBe("Administrators cannot be suspended; revoke the role first.");
    const self = await suspend(admin, admin.id);
    expectProblem(self, 409, "CANNOT_SUSPEND_ADMIN");
    expect(self.body.detail).toBe("You cannot suspend yourself.");
    expect(await userRow(otherAdmin.id)).toEqual({
      role: "admin",
      suspended_at: null,
      suspended_reason: null,
    });
    expect(await auditRowsAbout(otherAdmin.id)).toEqual([]);
    expect(await auditRowsAbout(admin.id)).toEqual([]);
    // The refused admin is still signed in.
    expect((await call("GET", "/api/v1/me", { token: otherAdmin.token })).status).toBe(200);
  });

  it("requires a reason: missing, blank, too long, control characters or unknown fields are 422 VALIDATION_FAILED", async () => {
    const admin = await signUpAdmin("strict");
    const target = await signUp("strictarget");
    for (const body of [
      {},
      { reason: "" },
      { reason: "   " },
      { reason: "x".repeat(501) },
      { reason: "bad\u0000reason" },
      { reason: "ok", extra: true },
    ]) {
      const res = await suspend(admin, target.id, body);
      expectProblem(res, 422, "VALIDATION_FAILED");
    }
    expect(await userRow(target.id)).toMatchObject({ suspended_at: null });
    expect(await auditRowsAbout(target.id)).toEqual([]);
  });

  it("writes nothing when any statement of the batch fails: no suspension, no audit row, sessions alive", async () => {
    const admin = await signUpAdmin("atomic");
    const target = await signUp("atomictarget");
    // Revoking this user's sessions (the batch's last statement) fails.
    await env.DB.exec(
      `CREATE TRIGGER fail_revoke_${target.id} BEFORE UPDATE OF revoked_at ON sessions WHEN OLD.user_id = '${target.id}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    );
    try {
      expectProblem(await suspend(admin, target.id), 500, "INTERNAL");
    } finally {
      await env.DB.exec(`DROP TRIGGER fail_revoke_${target.id}`);
    }
    expect(await userRow(target.id)).toMatchObject({ suspended_at: null, suspended_reason: null });
    expect(await auditRowsAbout(target.id)).toEqual([]);
    expect((await call("GET", "/api/v1/me", { token: target.token })).status).toBe(200);
  });
});

describe("POST /api/v1/admin/users/{id}/unsuspend", () => {
  it("lifts the suspension and appends exactly one audit row", async () => {
    const admin = await signUpAdmin("lifter");
    const target = await signUp("forgiven");
    expect((await suspend(admin, target.id)).status).toBe(200);
    const res = await unsuspend(admin, target.id, { reason: "Appeal accepted" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: target.id, suspended: false, suspendedAt: null });
    expect(await userRow(target.id)).toEqual({ role: "user", suspended_at: null, suspended_reason: null });
    const audit = await auditRowsAbout(target.id);
    expect(audit.map((r) => [r.action, r.actor_id, r.reason, r.detail])).toEqual([
      [
        "user.suspend",
        admin.id,
        "Spam listings",
        JSON.stringify({ username: target.username, sessionsRevoked: 1 }),
      ],
      ["user.unsuspend", admin.id, "Appeal accepted", JSON.stringify({ username: target.username })],
    ]);
  });

  it("answers 409 ACCOUNT_NOT_SUSPENDED for a user who is not suspended, and 404 USER_NOT_FOUND for nobody", async () => {
    const admin = await signUpAdmin("lifter2");
    const target = await signUp("innocent");
    expectProblem(await unsuspend(admin, target.id), 409, "ACCOUNT_NOT_SUSPENDED");
    expectProblem(await unsuspend(admin, "usr_nobody"), 404, "USER_NOT_FOUND");
    expect(await auditRowsAbout(target.id)).toEqual([]);
  });

  it("requires a reason (422 VALIDATION_FAILED) and leaves the suspension in place", async () => {
    const admin = await signUpAdmin("lifter3");
    const target = await signUp("stillout");
    expect((await suspend(admin, target.id)).status).toBe(200);
    expectProblem(await unsuspend(admin, target.id, {}), 422, "VALIDATION_FAILED");
    expect(await userRow(target.id)).toMatchObject({ suspended_reason: "Spam listings" });
  });
});
