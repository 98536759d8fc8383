import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectProblem, signUp, signUpAdmin, type TestUser } from "../../helpers";

/** SPEC §9: every admin action, newest first, at GET /api/v1/admin/audit-log. */

const act = (admin: TestUser, verb: "suspend" | "unsuspend", target: TestUser, reason: string) =>
  call("POST", `/api/v1/admin/users/${target.id}/${verb}`, { token: admin.token, body: { reason } });

async function createdAtOf(targetId: string, action: string): Promise<string> {
  const row = await env.DB.prepare("SELECT created_at FROM audit_log WHERE target_id = ? AND action = ?")
    .bind(targetId, action)
    .first<{ created_at: number }>();
  return new Date(row?.created_at ?? 0).toISOString();
}

describe("GET /api/v1/admin/audit-log", () => {
  it("lists every action newest first: actor, action, target, reason, detail and time", async () => {
    const admin = await signUpAdmin("auditor");
    const a = await signUp("audited_a");
    const b = await signUp("audited_b");
    expect((await act(admin, "suspend", a, "Spam")).status).toBe(200);
    expect((await act(admin, "suspend", b, "Fraud")).status).toBe(200);
    expect((await act(admin, "unsuspend", a, "Mistake")).status).toBe(200);

    const res = await call("GET", "/api/v1/admin/audit-log?limit=3", { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        id: expect.any(String),
        actor: { id: admin.id, username: admin.username },
        action: "user.unsuspend",
        target: { type: "user", id: a.id },
        reason: "Mistake",
        detail: { username: a.username },
        createdAt: await createdAtOf(a.id, "user.unsuspend"),
      },
      {
        id: expect.any(String),
        actor: { id: admin.id, username: admin.username },
        action: "user.suspend",
        target: { type: "user", id: b.id },
        reason: "Fraud",
        detail: { username: b.username, sessionsRevoked: 1 },
        createdAt: await createdAtOf(b.id, "user.suspend"),
      },
      {
        id: expect.any(String),
        actor: { id: admin.id, username: admin.username },
        action: "user.suspend",
        target: { type: "user", id: a.id },
        reason: "Spam",
        detail: { username: a.username, sessionsRevoked: 1 },
        createdAt: await createdAtOf(a.id, "user.suspend"),
      },
    ]);
    expect(new Set(res.body.items.map((i: { id: string }) => i.id)).size).toBe(3);
  });

  it("pages newest first with limit and cursor; entries appended meanwhile do not shift later pages", async () => {
    const admin = await signUpAdmin("pageaudit");
    const targets = [await signUp("pa1"), await signUp("pa2"), await signUp("pa3")];
    for (const t of targets) expect((await act(admin, "suspend", t, `r-${t.username}`)).status).toBe(200);

    const first = await call("GET", "/api/v1/admin/audit-log?limit=2", { token: admin.token });
    expect(first.body.items.map((i: { target: { id: string } }) => i.target.id)).toEqual([
      targets[2]?.id,
      targets[1]?.id,
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    // A new entry lands on top, not in the middle of the walk.
    expect((await act(admin, "unsuspend", targets[2] as TestUser, "later")).status).toBe(200);
    const second = await call("GET", `/api/v1/admin/audit-log?limit=2&cursor=${first.body.nextCursor}`, {
      token: admin.token,
    });
    expect(second.body.items[0].target.id).toBe(targets[0]?.id);
  });

  it("refuses a bad limit (400 INVALID_PARAMETER) and a forged cursor (400 INVALID_CURSOR)", async () => {
    const admin = await signUpAdmin("badaudit");
    expectProblem(
      await call("GET", "/api/v1/admin/audit-log?limit=500", { token: admin.token }),
      400,
      "INVALID_PARAMETER",
    );
    expectProblem(
      await call("GET", "/api/v1/admin/audit-log?cursor=bm9wZQ", { token: admin.token }),
      400,
      "INVALID_CURSOR",
    );
    expectProblem(
      await call("GET", `/api/v1/admin/audit-log?cursor=${btoa(JSON.stringify(["7", ""]))}`, {
        token: admin.token,
      }),
      400,
      "INVALID_CURSOR",
    );
  });
});
