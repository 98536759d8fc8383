import { describe, expect, it } from "vitest";
import { formatDateTime, formatPrice, formatTimeLeft } from "../../src/shared/format";

describe("formatPrice: prices as people write them (SPEC §10)", () => {
  it("writes won with the sign in English and with 원 in Korean", () => {
    expect(formatPrice(12_000, "KRW", "en")).toBe("₩12,000");
    expect(formatPrice(12_000, "KRW", "ko")).toBe("12,000원");
    expect(formatPrice(1_000_000_000_000, "KRW", "ko")).toBe("1,000,000,000,000원");
  });

  it("reads other currencies in their minor unit", () => {
    expect(formatPrice(1_250, "USD", "en")).toBe("$12.50");
    expect(formatPrice(1_250, "USD", "ko")).toBe("US$12.50");
    expect(formatPrice(5, "JPY", "en")).toBe("¥5");
  });
});

describe("formatTimeLeft: a countdown", () => {
  it("shows the two largest units", () => {
    expect(formatTimeLeft((2 * 86_400 + 3 * 3_600 + 59) * 1000, "en")).toBe("2d 3h");
    expect(formatTimeLeft((3 * 3_600 + 7 * 60 + 5) * 1000, "en")).toBe("3h 07m");
    expect(formatTimeLeft((4 * 60 + 5) * 1000, "en")).toBe("4m 05s");
    expect(formatTimeLeft(9_400, "en")).toBe("9s");
    expect(formatTimeLeft((2 * 86_400 + 3 * 3_600) * 1000, "ko")).toBe("2일 3시간");
    expect(formatTimeLeft((4 * 60 + 5) * 1000, "ko")).toBe("4분 05초");
  });

  it("rounds down, so it never shows more time than is left, and says when it is over", () => {
    expect(formatTimeLeft(59_999, "en")).toBe("59s");
    expect(formatTimeLeft(999, "en")).toBe("0s");
    expect(formatTimeLeft(0, "en")).toBe("Ended");
    expect(formatTimeLeft(-5_000, "ko")).toBe("종료");
  });
});

describe("formatDateTime", () => {
  it("writes a date and time in the reader's language, in Korea's time zone by default", () => {
    expect(formatDateTime("2026-11-25T03:04:00.000Z", "en")).toBe("Nov 25, 2026, 12:04 PM");
    expect(formatDateTime("2026-11-25T03:04:00.000Z", "ko")).toBe("2026. 11. 25. 오후 12:04");
  });
});
