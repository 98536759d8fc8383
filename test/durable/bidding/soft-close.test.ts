import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applySoftClose, type SoftClose } from "../../../src/durable/bidding";

const ENDS_AT = Date.UTC(2030, 0, 1, 12, 0, 0);
const SECOND = 1_000;
const defaults: SoftClose = { windowSeconds: 300, extendSeconds: 300, hardEndsAt: null };

describe("applySoftClose", () => {
  it("moves the end to now + extendSeconds for a change inside the window", () => {
    const now = ENDS_AT - 120 * SECOND;
    expect(applySoftClose(ENDS_AT, defaults, now, true)).toEqual({
      endsAt: now + 300 * SECOND,
      extended: true,
    });
  });

  it("treats the window boundary as inside", () => {
    const longer: SoftClose = { windowSeconds: 300, extendSeconds: 600, hardEndsAt: null };
    expect(applySoftClose(ENDS_AT, longer, ENDS_AT - 300 * SECOND, true)).toEqual({
      endsAt: ENDS_AT + 300 * SECOND,
      extended: true,
    });
    expect(applySoftClose(ENDS_AT, longer, ENDS_AT - 300 * SECOND - 1, true)).toEqual({
      endsAt: ENDS_AT,
      extended: false,
    });
  });

  it("leaves the end alone outside the window", () => {
    expect(applySoftClose(ENDS_AT, defaults, ENDS_AT - 600 * SECOND, true)).toEqual({
      endsAt: ENDS_AT,
      extended: false,
    });
  });

  it("leaves the end alone when neither the price nor the leader changed", () => {
    expect(applySoftClose(ENDS_AT, defaults, ENDS_AT - 10 * SECOND, false)).toEqual({
      endsAt: ENDS_AT,
      extended: false,
    });
  });

  it("leaves the end alone when soft close is off", () => {
    expect(applySoftClose(ENDS_AT, null, ENDS_AT - 10 * SECOND, true)).toEqual({
      endsAt: ENDS_AT,
      extended: false,
    });
  });

  it("never extends past hardEndsAt", () => {
    const capped: SoftClose = { ...defaults, hardEndsAt: ENDS_AT + 60 * SECOND };
    expect(applySoftClose(ENDS_AT, capped, ENDS_AT - 10 * SECOND, true)).toEqual({
      endsAt: ENDS_AT + 60 * SECOND,
      extended: true,
    });
  });

  it("stops extending once the hard end is reached", () => {
    const capped: SoftClose = { ...defaults, hardEndsAt: ENDS_AT };
    expect(applySoftClose(ENDS_AT, capped, ENDS_AT - 10 * SECOND, true)).toEqual({
      endsAt: ENDS_AT,
      extended: false,
    });
  });

  it("never moves the end earlier when extendSeconds is shorter than the time left", () => {
    const short: SoftClose = { windowSeconds: 600, extendSeconds: 60, hardEndsAt: null };
    expect(applySoftClose(ENDS_AT, short, ENDS_AT - 300 * SECOND, true)).toEqual({
      endsAt: ENDS_AT,
      extended: false,
    });
  });

  it("never moves the end earlier; an extension lands at now + extendSeconds, capped by the hard end", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3_600 * SECOND, max: 3_600 * SECOND }),
        fc.integer({ min: 0, max: 3_600 }),
        fc.integer({ min: 0, max: 3_600 }),
        fc.option(fc.integer({ min: -3_600 * SECOND, max: 7_200 * SECOND }), { nil: null }),
        fc.boolean(),
        (nowOffset, windowSeconds, extendSeconds, hardOffset, changed) => {
          const hardEndsAt = hardOffset === null ? null : ENDS_AT + hardOffset;
          const now = ENDS_AT - nowOffset;
          const r = applySoftClose(ENDS_AT, { windowSeconds, extendSeconds, hardEndsAt }, now, changed);
          expect(r.endsAt).toBeGreaterThanOrEqual(ENDS_AT);
          expect(r.extended).toBe(r.endsAt > ENDS_AT);
          if (r.extended) {
            expect(changed).toBe(true);
            expect(r.endsAt).toBe(
              Math.min(now + extendSeconds * SECOND, hardEndsAt ?? Number.POSITIVE_INFINITY),
            );
            if (hardEndsAt !== null) expect(r.endsAt).toBeLessThanOrEqual(hardEndsAt);
          }
        },
      ),
    );
  });
});
