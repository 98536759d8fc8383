import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { z } from "zod";
import {
  api,
  grantAdmin,
  runAdminGrant,
  signUpAndLogin,
  startServer,
  TEST_PASSWORD,
  type TestServer,
  uniqueUsername,
} from "./harness";

// SPEC §9 on a real `wrangler dev`: the first admin is granted by `npm run admin:grant` straight
// into the server's local D1, and a suspension reaches a live socket held by another process.

const problemSchema = z.object({ code: z.string() });
const tokenSchema = z.object({ token: z.string() });

describe("admin on a real server", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  const login = (username: string) =>
    api(server.baseUrl).post("/api/v1/sessions", { username, password: TEST_PASSWORD });

  it("npm run admin:grant makes an existing user an admin in the running server's D1", async () => {
    const username = uniqueUsername("first_admin");
    const { token, user } = await signUpAndLogin(server.baseUrl, username);
    const before = await api(server.baseUrl).get("/api/v1/admin/users", { token });
    expect(problemSchema.parse(before.body).code).toBe("FORBIDDEN");

    const run = await runAdminGrant(server, [username]);
    expect(run).toMatchObject({ code: 0, stdout: `${username} (${user.id}) is now an admin.\n` });

    // A new session: the old one may be cached for 30 s with the role it had.
    const fresh = tokenSchema.parse((await login(username)).body).token;
    const after = await api(server.baseUrl).get(`/api/v1/admin/users?q=${username}`, { token: fresh });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ items: [{ id: user.id, role: "admin" }], nextCursor: null });
  });

  it("says so when nobody has the username (exit 1) and refuses what is not a username (exit 2)", async () => {
    const nobody = await runAdminGrant(server, ["nobody_has_this"]);
    expect(nobody).toMatchObject({
      code: 1,
      stdout: "",
      stderr: "No user named nobody_has_this; nothing changed.\n",
    });

    const injection = await runAdminGrant(server, ["x' OR '1'='1"]);
    expect(injection.code).toBe(2);
    expect(injection.stderr).toContain("not a username: 3–32 characters of a–z, 0–9 and _");

    const both = await runAdminGrant(server, ["someone", "--remote"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--remote and --persist-to do not go together");
  });

  it("a suspension closes the user's live socket, refuses their login, and unsuspending lets them back", async () => {
    const adminName = uniqueUsername("mod");
    const admin = await signUpAndLogin(server.baseUrl, adminName);
    await grantAdmin(server, adminName);
    const adminToken = tokenSchema.parse((await login(adminName)).body).token;
    const victimName = uniqueUsername("shill");
    const victim = await signUpAndLogin(server.baseUrl, victimName);

    const options = {
      headers: { authorization: `Bearer ${victim.token}` },
      // The close frame is what counts; the local dev proxy then holds the TCP connection ~10 s,
      // and `ws` reports the close only once that ends (or after this, having answered the frame).
      // ws 8 has the option; @types/ws does not list it yet, hence the variable.
      closeTimeout: 1_000,
    };
    const ws = new WebSocket(`${server.baseUrl.replace(/^http/, "ws")}/api/v1/me/live`, options);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );

    const suspended = await api(server.baseUrl).post(
      `/api/v1/admin/users/${victim.user.id}/suspend`,
      { reason: "Shill bidding" },
      { token: adminToken },
    );
    expect(suspended.status).toBe(200);
    expect(await closed).toEqual({ code: 1008, reason: "session revoked" });
    const refused = await login(victimName);
    expect({ status: refused.status, code: problemSchema.parse(refused.body).code }).toEqual({
      status: 403,
      code: "ACCOUNT_SUSPENDED",
    });

    const log = await api(server.baseUrl).get("/api/v1/admin/audit-log?limit=1", { token: adminToken });
    expect(log.body).toMatchObject({
      items: [
        {
          actor: { id: admin.user.id, username: adminName },
          action: "user.suspend",
          target: { type: "user", id: victim.user.id },
          reason: "Shill bidding",
          detail: { username: victimName, sessionsRevoked: 1 },
        },
      ],
    });

    const lifted = await api(server.baseUrl).post(
      `/api/v1/admin/users/${victim.user.id}/unsuspend`,
      { reason: "Appeal accepted" },
      { token: adminToken },
    );
    expect(lifted.status).toBe(200);
    expect((await login(victimName)).status).toBe(201);
  });
});
