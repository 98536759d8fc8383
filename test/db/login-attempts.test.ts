import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { clearAttempts, MAX_FAILURES, reserveAttempt } from "../../src/db/queries/login-attempts";
import { uniqueUsername } from "../helpers";

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 8, 1, 12, 0, 0);

/** Reserves `n` attempts at `now`, returning each answer. */
async function reserve(username: string, n: number, now: number) {
  const answers = [];
  for (let i = 0; i < n; i++) answers.push(await reserveAttempt(env.DB, username, now));
  return answers;
}

describe("login throttle (clock injected)", () => {
  it("lets MAX_FAILURES attempts through, then refuses for one minute", async () => {
    const name = uniqueUsername("thr");
    const answers = await reserve(name, MAX_FAILURES + 1, T0);
    expect(answers.slice(0, MAX_FAILURES)).toEqual(Array(MAX_FAILURES).fill({ allowed: true }));
    expect(answers[MAX_FAILURES]).toEqual({ allowed: false, retryAfterMs: MINUTE });
    expect(await reserveAttempt(env.DB, name, T0 + MINUTE - 1)).toEqual({ allowed: false, retryAfterMs: 1 });
  });

  it("after a lock ends, allows one attempt and doubles the next lock, up to 15 minutes, until the window ends", async () => {
    const name = uniqueUsername("thr");
    await reserve(name, MAX_FAILURES, T0);
    let now = T0 + MINUTE;
    const locks: number[] = [];
    for (let i = 0; i < 4; i++) {
      expect(await reserveAttempt(env.DB, name, now)).toEqual({ allowed: true });
      const refused = await reserveAttempt(env.DB, name, now);
      if (refused.allowed) throw new Error("expected a lock");
      locks.push(refused.retryAfterMs / MINUTE);
      now += refused.retryAfterMs;
    }
    expect(locks).toEqual([2, 4, 8, 15]);
    // 30 minutes after the first attempt its 15-minute window is long over: a fresh count.
    expect(now).toBe(T0 + 30 * MINUTE);
    expect(await reserve(name, MAX_FAILURES, now)).toEqual(Array(MAX_FAILURES).fill({ allowed: true }));
  });

  it("forgets attempts older than the 15-minute window", async () => {
    const name = uniqueUsername("thr");
    await reserve(name, MAX_FAILURES - 1, T0);
    const later = T0 + 15 * MINUTE + 1;
    expect(await reserve(name, MAX_FAILURES, later)).toEqual(Array(MAX_FAILURES).fill({ allowed: true }));
  });

  it("a success clears the count", async () => {
    const name = uniqueUsername("thr");
    await reserve(name, MAX_FAILURES - 1, T0);
    await clearAttempts(env.DB, name);
    expect(await reserve(name, MAX_FAILURES, T0)).toEqual(Array(MAX_FAILURES).fill({ allowed: true }));
  });

  it("counts concurrent reservations exactly", async () => {
    const name = uniqueUsername("thr");
    const answers = await Promise.all(Array.from({ length: 12 }, () => reserveAttempt(env.DB, name, T0)));
    expect(answers.filter((a) => a.allowed)).toHaveLength(MAX_FAILURES);
  });
});
