import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../../src/worker/app";
import { call, expectProblem, PASSWORD, signUp, uniqueUsername } from "../helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Calls the worker with a UserHub namespace that cannot be reached (an outage, a deploy). */
async function callWithHubDown(method: string, path: string, token: string, body?: unknown) {
  const unreachable = () => Promise.reject(new Error("hub unreachable"));
  const hubsDown = {
    getByName: () => ({ closeSession: unreachable, closeOtherSessions: unreachable }),
  } as unknown as Env["USER_HUB"];
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`https://auction.test${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { ...env, USER_HUB: hubsDown },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

describe("sessions", () => {
  it("logs in with a token, an expiry and an HttpOnly Secure SameSite=Lax cookie", async () => {
    const username = uniqueUsername("login");
    await call("POST", "/api/v1/users", { body: { username, password: PASSWORD, nickname: "L" } });
    const res = await call("POST", "/api/v1/sessions", { body: { username, password: PASSWORD } });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(res.body.user.username).toBe(username);
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toContain(`sa_session=${res.body.token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it("authenticates GET /me by bearer token and by cookie", async () => {
    const user = await signUp("me");
    const byBearer = await call("GET", "/api/v1/me", { token: user.token });
    expect(byBearer.status).toBe(200);
    expect(byBearer.body).toMatchObject({ id: user.id, username: user.username });
    const byCookie = await call("GET", "/api/v1/me", { headers: { cookie: `sa_session=${user.token}` } });
    expect(byCookie.body.id).toBe(user.id);
  });

  it("answers 401 UNAUTHENTICATED without a session or with a bad token", async () => {
    expectProblem(await call("GET", "/api/v1/me"), 401, "UNAUTHENTICATED");
    expectProblem(await call("GET", "/api/v1/me", { token: "not-a-token" }), 401, "UNAUTHENTICATED");
  });

  it("gives the same 401 INVALID_CREDENTIALS for an unknown user and a wrong password", async () => {
    const user = await signUp("cred");
    const wrong = await call("POST", "/api/v1/sessions", {
      body: { username: user.username, password: "wrong password!" },
    });
    const unknown = await call("POST", "/api/v1/sessions", {
      body: { username: uniqueUsername("ghost"), password: PASSWORD },
    });
    expectProblem(wrong, 401, "INVALID_CREDENTIALS");
    expectProblem(unknown, 401, "INVALID_CREDENTIALS");
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it("logout revokes the token at once", async () => {
    const user = await signUp("logout");
    expect((await call("GET", "/api/v1/me", { token: user.token })).status).toBe(200); // now cached
    const out = await call("DELETE", "/api/v1/sessions/current", { token: user.token });
    expect(out.status).toBe(204);
    expectProblem(await call("GET", "/api/v1/me", { token: user.token }), 401, "UNAUTHENTICATED");
  });

  it("logout still answers 204 and revokes the token when the live hub cannot be reached, and logs it", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const user = await signUp("logout_hubdown");
    const out = await callWithHubDown("DELETE", "/api/v1/sessions/current", user.token);
    expect(out.status).toBe(204);
    expectProblem(await call("GET", "/api/v1/me", { token: user.token }), 401, "UNAUTHENTICATED");
    expect(error).toHaveBeenCalledWith(expect.stringContaining("could not close live sockets"));
  });

  it("throttles a username after 5 failures: 429 TOO_MANY_ATTEMPTS with Retry-After, even for the right password", async () => {
    const user = await signUp("throttle");
    for (let i = 0; i < 5; i++) {
      const res = await call("POST", "/api/v1/sessions", {
        body: { username: user.username, password: `wrong-${i}-password` },
      });
      expectProblem(res, 401, "INVALID_CREDENTIALS");
    }
    const locked = await call("POST", "/api/v1/sessions", {
      body: { username: user.username, password: PASSWORD },
    });
    expectProblem(locked, 429, "TOO_MANY_ATTEMPTS");
    expect(Number(locked.headers.get("retry-after"))).toBe(60);
    // Other usernames are not affected.
    const other = await signUp("unaffected");
    expect(
      (await call("POST", "/api/v1/sessions", { body: { username: other.username, password: PASSWORD } }))
        .status,
    ).toBe(201);
  });
});

describe("login throttle under concurrency", () => {
  it("counts 30 parallel wrong guesses as 30: five are checked, the rest get 429, and so does the right password", async () => {
    const user = await signUp("parallel");
    const guesses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call("POST", "/api/v1/sessions", {
          body: { username: user.username, password: `wrong-${i}-password` },
        }),
      ),
    );
    const statuses = guesses.map((g) => g.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    const right = await call("POST", "/api/v1/sessions", {
      body: { username: user.username, password: PASSWORD },
    });
    expectProblem(right, 429, "TOO_MANY_ATTEMPTS");
  });
});

describe("PUT /me/password", () => {
  it("changes the password and revokes the other sessions, keeping the current one", async () => {
    const user = await signUp("chpw");
    const other = await call("POST", "/api/v1/sessions", {
      body: { username: user.username, password: PASSWORD },
    });
    const newPassword = "a much better passphrase";
    const res = await call("PUT", "/api/v1/me/password", {
      token: user.token,
      body: { currentPassword: PASSWORD, newPassword },
    });
    expect(res.status).toBe(204);
    expect((await call("GET", "/api/v1/me", { token: user.token })).status).toBe(200);
    expectProblem(await call("GET", "/api/v1/me", { token: other.body.token }), 401, "UNAUTHENTICATED");
    expectProblem(
      await call("POST", "/api/v1/sessions", { body: { username: user.username, password: PASSWORD } }),
      401,
      "INVALID_CREDENTIALS",
    );
    expect(
      (await call("POST", "/api/v1/sessions", { body: { username: user.username, password: newPassword } }))
        .status,
    ).toBe(201);
  });

  it("still answers 204 when the live hub cannot be reached, and logs it", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const user = await signUp("chpw_hubdown");
    const other = await call("POST", "/api/v1/sessions", {
      body: { username: user.username, password: PASSWORD },
    });
    const res = await callWithHubDown("PUT", "/api/v1/me/password", user.token, {
      currentPassword: PASSWORD,
      newPassword: "a much better passphrase",
    });
    expect(res.status).toBe(204);
    expectProblem(await call("GET", "/api/v1/me", { token: other.body.token }), 401, "UNAUTHENTICATED");
    expect(error).toHaveBeenCalledWith(expect.stringContaining("could not close live sockets"));
  });

  it("refuses a wrong current password with 422 INVALID_CURRENT_PASSWORD and changes nothing", async () => {
    const user = await signUp("chpw_bad");
    const res = await call("PUT", "/api/v1/me/password", {
      token: user.token,
      body: { currentPassword: "not my password", newPassword: "another fine passphrase" },
    });
    expectProblem(res, 422, "INVALID_CURRENT_PASSWORD");
    expect(
      (await call("POST", "/api/v1/sessions", { body: { username: user.username, password: PASSWORD } }))
        .status,
    ).toBe(201);
  });

  it("refuses a weak new password with 422 PASSWORD_TOO_WEAK", async () => {
    const user = await signUp("chpw_weak");
    const res = await call("PUT", "/api/v1/me/password", {
      token: user.token,
      body: { currentPassword: PASSWORD, newPassword: "password123" },
    });
    expectProblem(res, 422, "PASSWORD_TOO_WEAK");
  });
});
