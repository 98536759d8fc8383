import { describe, expect, it } from "vitest";
import { clockOffset, nextTickIn, timeLeft } from "../../src/client/live/countdown";

const NOW = Date.parse("2026-11-20T10:00:00.000Z");

describe("clockOffset", () => {
  it("is how far the server's clock is ahead of the browser's", () => {
    expect(clockOffset("2026-11-20T10:00:03.250Z", NOW)).toBe(3_250);
    expect(clockOffset("2026-11-20T09:59:58.000Z", NOW)).toBe(-2_000);
  });

  it("is 0 for a time it cannot read, so the countdown falls back to the browser's clock", () => {
    expect(clockOffset("not a time", NOW)).toBe(0);
  });
});

describe("timeLeft", () => {
  const endsAt = Date.parse("2026-11-20T10:05:00.000Z");

  it("counts on the server's clock: a browser 3 s behind still sees the server's time left", () => {
    expect(timeLeft(endsAt, NOW, 0)).toBe(300_000);
    expect(timeLeft(endsAt, NOW - 3_000, 3_000)).toBe(300_000);
  });

  it("never goes below zero", () => {
    expect(timeLeft(endsAt, endsAt + 10_000, 0)).toBe(0);
  });
});

describe("nextTickIn", () => {
  it("waits until the whole second shown changes", () => {
    expect(nextTickIn(65_250)).toBe(250);
    expect(nextTickIn(65_000)).toBe(1_000);
    expect(nextTickIn(999)).toBe(999);
  });

  it("stops at the end", () => {
    expect(nextTickIn(0)).toBeNull();
  });
});
