import { describe, expect, it } from "vitest";
import { DEFAULT_LEDGER_FLUSH_SECONDS, ledgerFlushMs } from "../../../src/durable/wallet/ledger-queue";

describe("how long a wallet's transfers wait for the D1 ledger (LEDGER_FLUSH_SECONDS)", () => {
  it("takes whole seconds from 1 to 3600", () => {
    expect([
      ledgerFlushMs({ LEDGER_FLUSH_SECONDS: "1" }),
      ledgerFlushMs({ LEDGER_FLUSH_SECONDS: "3600" }),
    ]).toEqual([1_000, 3_600_000]);
  });

  it("falls back to 30 s when unset or not a whole number in range, warning about the latter", () => {
    const warnings: string[] = [];
    const fallbacks = [undefined, "", "0", "-5", "2.5", "3601", "soon"].map((value) =>
      ledgerFlushMs(value === undefined ? {} : { LEDGER_FLUSH_SECONDS: value }, (m) => warnings.push(m)),
    );
    expect(DEFAULT_LEDGER_FLUSH_SECONDS).toBe(30);
    expect(fallbacks).toEqual(fallbacks.map(() => 30_000));
    expect(warnings).toHaveLength(5);
  });
});
