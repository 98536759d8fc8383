import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PBKDF2_ITERATIONS } from "../../src/worker/auth/passwords";
import { call, expectProblem, PASSWORD, signUp, uniqueUsername } from "../helpers";

describe("POST /api/v1/users", () => {
  it("creates a user and never returns the password", async () => {
    const username = uniqueUsername("alice");
    const res = await call("POST", "/api/v1/users", {
      body: { username, password: PASSWORD, nickname: "Alice" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^usr_/),
      username,
      nickname: "Alice",
      createdAt: expect.any(String),
    });
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
  });

  it("refuses a taken username with 409 USERNAME_TAKEN", async () => {
    const username = uniqueUsername("dup");
    await call("POST", "/api/v1/users", { body: { username, password: PASSWORD, nickname: "One" } });
    const res = await call("POST", "/api/v1/users", {
      body: { username, password: PASSWORD, nickname: "Two" },
    });
    expectProblem(res, 409, "USERNAME_TAKEN");
  });

  it.each([
    ["too short username", { username: "ab" }, "username"],
    ["uppercase username", { username: "Alice_1" }, "username"],
    ["username too long", { username: "a".repeat(33) }, "username"],
    ["password too short", { password: "short7!" }, "password"],
    ["password too long", { password: "x".repeat(129) }, "password"],
    ["nickname missing", { nickname: undefined }, "nickname"],
    ["wrong type", { username: 42 }, "username"],
  ])("refuses %s with 422 VALIDATION_FAILED naming the field", async (_name, patch, path) => {
    const body = { username: uniqueUsername("v"), password: PASSWORD, nickname: "V", ...patch };
    const res = await call("POST", "/api/v1/users", { body });
    expectProblem(res, 422, "VALIDATION_FAILED");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it("refuses unknown fields (no mass assignment) and writes nothing", async () => {
    const username = uniqueUsername("mass");
    const res = await call("POST", "/api/v1/users", {
      body: { username, password: PASSWORD, nickname: "M", isAdmin: true },
    });
    expectProblem(res, 422, "VALIDATION_FAILED");
    const row = await env.DB.prepare("SELECT id FROM users WHERE username = ?").bind(username).first();
    expect(row).toBeNull();
  });

  it("refuses a password equal to the username, and a common password", async () => {
    const username = uniqueUsername("pw");
    const same = await call("POST", "/api/v1/users", {
      body: { username, password: username, nickname: "P" },
    });
    expectProblem(same, 422, "PASSWORD_TOO_WEAK");
    const common = await call("POST", "/api/v1/users", {
      body: { username, password: "Password123", nickname: "P" },
    });
    expectProblem(common, 422, "PASSWORD_TOO_WEAK");
  });

  it("answers malformed JSON with 400 MALFORMED_JSON", async () => {
    const res = await call("POST", "/api/v1/users", { rawBody: '{"username": ' });
    expectProblem(res, 400, "MALFORMED_JSON");
    expect(res.body.requestId).toEqual(expect.any(String));
  });

  it("answers an oversized body with 413 PAYLOAD_TOO_LARGE", async () => {
    const res = await call("POST", "/api/v1/users", {
      body: { username: uniqueUsername("big"), password: PASSWORD, nickname: "x".repeat(70_000) },
    });
    expectProblem(res, 413, "PAYLOAD_TOO_LARGE");
  });
});

describe("password hashing", () => {
  // Production Workers reject PBKDF2 above 100,000 iterations; local workerd does not.
  it("never uses more than 100,000 PBKDF2 iterations", async () => {
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    const user = await signUp("iter");
    const row = await env.DB.prepare("SELECT password_iterations, password_hash FROM users WHERE id = ?")
      .bind(user.id)
      .first<{ password_iterations: number; password_hash: string }>();
    expect(row?.password_iterations).toBeLessThanOrEqual(100_000);
    expect(row?.password_hash).not.toContain(PASSWORD);
  });
});

describe("unknown routes", () => {
  it("answers 404 NOT_FOUND as problem+json", async () => {
    const res = await call("GET", "/api/v1/nope");
    expectProblem(res, 404, "NOT_FOUND");
  });
});
