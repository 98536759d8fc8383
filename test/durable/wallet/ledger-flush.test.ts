import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Wallet } from "../../../src/durable/wallet";
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

describe("when a wallet's transfers leave for the D1 ledger", () => {
  it("at once when another side records them too, after LEDGER_FLUSH_SECONDS when only this wallet moves money", async () => {
    const userId = `usr_flush_${crypto.randomUUID()}`;
    const stub = env.WALLET.getByName(userId);
    // A month ahead, so the real alarm set for these times never fires during the test.
    const T = Date.now() + 30 * 24 * 3_600_000;
    const flushDue = () =>
      runInDurableObject(stub, (_wallet, ctx) =>
        ctx.storage.sql
          .exec<{ due_at: number }>("SELECT due_at FROM schedules WHERE key = 'ledger.flush'")
          .toArray()
          .map((row) => row.due_at - T),
      );
    const at = (ms: number) =>
      runInDurableObject(stub, (wallet: Wallet) => {
        wallet.clock = () => T + ms;
      });
    await at(0);
    await stub.adjust(userId, { adjustmentId: "adj_1", amount: 50_000, currency: "KRW" });
    const afterTopUp = await flushDue();
    await runInDurableObject(stub, (wallet: Wallet) => wallet.alarm());
    const afterFlush = await flushDue();
    await at(1_000);
    const reserved = await stub.reserveForBid(userId, {
      auctionId: "auc_flush",
      currency: "KRW",
      atLeast: 10_000,
      purpose: "bid",
    });
    const afterHold = await flushDue();
    await at(2_000);
    await stub.adjust(userId, { adjustmentId: "adj_2", amount: 1_000, currency: "KRW" });
    const afterSecond = await flushDue();
    expect({ afterTopUp, afterFlush, reserved: reserved.ok, afterHold, afterSecond }).toEqual({
      afterTopUp: [0],
      afterFlush: [],
      reserved: true,
      afterHold: [1_000 + DEFAULT_LEDGER_FLUSH_SECONDS * 1000],
      afterSecond: [2_000],
    });
  });
});
