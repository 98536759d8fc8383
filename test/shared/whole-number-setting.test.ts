import { describe, expect, it } from "vitest";
import { orderTermsOf } from "../../src/durable/orders/terms";
import { wholeNumberSetting } from "../../src/shared/whole-number-setting";

describe("a whole-number deployment setting", () => {
  it("reads whole numbers in range; unset or blank is the caller's default, quietly", () => {
    const warnings: string[] = [];
    const read = (raw: string | undefined) =>
      wholeNumberSetting("X", raw, { min: 1, max: 10 }, (m) => warnings.push(m));
    expect([read("1"), read("10"), read(undefined), read(" ")]).toEqual([1, 10, null, null]);
    expect(warnings).toEqual([]);
  });

  it("falls back (null) with a warning naming the setting when out of range or not whole", () => {
    const warnings: string[] = [];
    const read = (raw: string) => wholeNumberSetting("X", raw, { min: 1, max: 10 }, (m) => warnings.push(m));
    expect(["0", "11", "2.5", "soon"].map(read)).toEqual([null, null, null, null]);
    expect(warnings).toEqual([
      "X=0 is not valid; using the default",
      "X=11 is not valid; using the default",
      "X=2.5 is not valid; using the default",
      "X=soon is not valid; using the default",
    ]);
  });

  it("gives the order terms their figures, and SPEC §8's defaults for what is missing or wrong", () => {
    const warnings: string[] = [];
    const terms = orderTermsOf(
      { ORDER_AUTO_CONFIRM_SECONDS: "60", ORDER_SHIP_DEADLINE_SECONDS: "-1", PLATFORM_FEE_BPS: "250" },
      (m) => warnings.push(m),
    );
    expect(terms).toEqual({
      autoConfirmMs: 60_000,
      shipDeadlineMs: 5 * 24 * 3600_000,
      feeBps: 250,
      funded: true,
    });
    expect(warnings).toEqual(["ORDER_SHIP_DEADLINE_SECONDS=-1 is not valid; using the default"]);
  });
});
