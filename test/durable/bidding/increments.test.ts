import { describe, expect, it } from "vitest";
import { CURRENCIES_WITH_TABLE, hasIncrementTable, incrementFor } from "../../../src/durable/bidding";

describe("KRW increment table", () => {
  it.each([
    [1, 500],
    [9_999, 500],
    [10_000, 1_000],
    [49_999, 1_000],
    [50_000, 2_000],
    [99_999, 2_000],
    [100_000, 5_000],
    [499_999, 5_000],
    [500_000, 10_000],
    [999_999, 10_000],
    [1_000_000, 50_000],
    [4_999_999, 50_000],
    [5_000_000, 100_000],
    [250_000_000, 100_000],
  ])("at %i won the increment is %i", (price, increment) => {
    expect(incrementFor(price, "KRW", null)).toBe(increment);
  });
});

describe("USD increment table (cents, eBay)", () => {
  it.each([
    [1, 5],
    [99, 5],
    [100, 25],
    [499, 25],
    [500, 50],
    [2_499, 50],
    [2_500, 100],
    [9_999, 100],
    [10_000, 250],
    [24_999, 250],
    [25_000, 500],
    [49_999, 500],
    [50_000, 1_000],
    [99_999, 1_000],
    [100_000, 2_500],
    [249_999, 2_500],
    [250_000, 5_000],
    [499_999, 5_000],
    [500_000, 10_000],
    [10_000_000, 10_000],
  ])("at %i cents the increment is %i", (price, increment) => {
    expect(incrementFor(price, "USD", null)).toBe(increment);
  });
});

describe("fixed minIncrement", () => {
  it("overrides the currency table at every price", () => {
    expect(incrementFor(1, "KRW", 700)).toBe(700);
    expect(incrementFor(5_000_000, "KRW", 700)).toBe(700);
    expect(incrementFor(99, "USD", 1)).toBe(1);
  });

  it("makes a currency without a table usable", () => {
    expect(incrementFor(12_345, "EUR", 100)).toBe(100);
  });

  it("is required for a currency without a table", () => {
    expect(() => incrementFor(12_345, "EUR", null)).toThrow(/EUR/);
  });
});

describe("hasIncrementTable", () => {
  it("knows exactly KRW and USD", () => {
    expect(CURRENCIES_WITH_TABLE).toEqual(["KRW", "USD"]);
    expect(hasIncrementTable("KRW")).toBe(true);
    expect(hasIncrementTable("USD")).toBe(true);
    expect(hasIncrementTable("EUR")).toBe(false);
    expect(hasIncrementTable("JPY")).toBe(false);
  });
});
