import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

let n = 0;
const wallet = () => {
  n += 1;
  const userId = `usr_wallet_${Date.now()}_${n}`;
  return { userId, stub: env.WALLET.getByName(userId) };
};

describe("Wallet", () => {
  it("starts empty", async () => {
    const { userId, stub } = wallet();
    expect(await stub.summary(userId)).toEqual({ balances: [], holds: [] });
    expect(await stub.entries(userId, 20, null)).toEqual({ items: [], nextCursor: null });
  });

  it("credits a top-up exactly once, however often it is delivered", async () => {
    const { userId, stub } = wallet();
    const topUp = { topUpId: "top_aaaaaaaaaaaaaaaaaaaa", amount: 5000, currency: "KRW" };
    const first = await stub.creditTopUp(userId, topUp);
    expect(first).toMatchObject({ ok: true, applied: true });
    expect(await stub.creditTopUp(userId, topUp)).toMatchObject({ ok: true, applied: false });
    expect(await stub.creditTopUp(userId, topUp)).toMatchObject({ ok: true, applied: false });
    expect((await stub.summary(userId)).balances).toEqual([
      { currency: "KRW", available: 5000, held: 0, pendingPayout: 0 },
    ]);
    const { items } = await stub.entries(userId, 20, null);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      transferId: "topup:top_aaaaaaaaaaaaaaaaaaaa",
      kind: "top_up",
      amount: 5000,
      currency: "KRW",
      balanceAfter: 5000,
      account: "available",
    });
    expect(await stub.selfCheck(userId)).toEqual([]);
  });

  it("never flips a failed top-up to credited, nor a credited one to failed", async () => {
    const { userId, stub } = wallet();
    const failed = { topUpId: "top_bbbbbbbbbbbbbbbbbbbb", amount: 100, currency: "KRW" };
    expect(await stub.failTopUp(userId, failed)).toMatchObject({ ok: true, applied: true });
    expect(await stub.failTopUp(userId, failed)).toMatchObject({ ok: true, applied: false });
    expect(await stub.creditTopUp(userId, failed)).toEqual({
      ok: false,
      code: "TOP_UP_STATE",
      status: "failed",
    });
    const paid = { topUpId: "top_cccccccccccccccccccc", amount: 100, currency: "KRW" };
    await stub.creditTopUp(userId, paid);
    expect(await stub.failTopUp(userId, paid)).toEqual({
      ok: false,
      code: "TOP_UP_STATE",
      status: "succeeded",
    });
    expect((await stub.summary(userId)).balances[0]?.available).toBe(100);
  });

  it("adjusts up and down, never below zero available", async () => {
    const { userId, stub } = wallet();
    expect(await stub.adjust(userId, { adjustmentId: "adj_1", amount: 300, currency: "USD" })).toMatchObject({
      ok: true,
    });
    expect(await stub.adjust(userId, { adjustmentId: "adj_2", amount: -400, currency: "USD" })).toEqual({
      ok: false,
      code: "INSUFFICIENT_FUNDS",
      available: 300,
      needed: 400,
    });
    await stub.adjust(userId, { adjustmentId: "adj_3", amount: -100, currency: "USD" });
    expect((await stub.summary(userId)).balances).toEqual([
      { currency: "USD", available: 200, held: 0, pendingPayout: 0 },
    ]);
    const { items } = await stub.entries(userId, 20, null);
    expect(items.map((e) => [e.transferId, e.amount, e.balanceAfter])).toEqual([
      ["adjust:adj_3", -100, 200],
      ["adjust:adj_1", 300, 300],
    ]);
    expect(await stub.selfCheck(userId)).toEqual([]);
  });

  it("holds a withdrawal, then completes or rejects it once", async () => {
    const { userId, stub } = wallet();
    await stub.creditTopUp(userId, { topUpId: "top_dddddddddddddddddddd", amount: 1000, currency: "KRW" });
    expect(
      await stub.requestWithdrawal(userId, { withdrawalId: "wd_1", amount: 2000, currency: "KRW" }),
    ).toEqual({
      ok: false,
      code: "INSUFFICIENT_FUNDS",
      available: 1000,
      needed: 2000,
    });
    expect(
      await stub.requestWithdrawal(userId, { withdrawalId: "wd_1", amount: 600, currency: "KRW" }),
    ).toMatchObject({
      ok: true,
      status: "requested",
    });
    expect((await stub.summary(userId)).balances[0]).toEqual({
      currency: "KRW",
      available: 400,
      held: 600,
      pendingPayout: 0,
    });
    expect(await stub.completeWithdrawal(userId, "wd_1")).toMatchObject({ ok: true, status: "completed" });
    expect(await stub.completeWithdrawal(userId, "wd_1")).toMatchObject({ ok: true, status: "completed" });
    expect(await stub.rejectWithdrawal(userId, "wd_1")).toEqual({
      ok: false,
      code: "WITHDRAWAL_STATE",
      status: "completed",
    });
    await stub.requestWithdrawal(userId, { withdrawalId: "wd_2", amount: 400, currency: "KRW" });
    expect(await stub.rejectWithdrawal(userId, "wd_2")).toMatchObject({ ok: true, status: "rejected" });
    expect(await stub.completeWithdrawal(userId, "wd_2")).toEqual({
      ok: false,
      code: "WITHDRAWAL_STATE",
      status: "rejected",
    });
    expect(await stub.completeWithdrawal(userId, "wd_none")).toEqual({
      ok: false,
      code: "WITHDRAWAL_NOT_FOUND",
    });
    expect((await stub.summary(userId)).balances[0]).toEqual({
      currency: "KRW",
      available: 400,
      held: 0,
      pendingPayout: 0,
    });
    expect(await stub.selfCheck(userId)).toEqual([]);
  });

  it("lists entries newest first, a page at a time", async () => {
    const { userId, stub } = wallet();
    for (let i = 1; i <= 3; i++)
      await stub.adjust(userId, { adjustmentId: `adj_${i}`, amount: i, currency: "KRW" });
    const first = await stub.entries(userId, 2, null);
    expect(first.items.map((e) => e.transferId)).toEqual(["adjust:adj_3", "adjust:adj_2"]);
    expect(first.nextCursor).not.toBeNull();
    const second = await stub.entries(userId, 2, first.nextCursor);
    expect(second.items.map((e) => e.transferId)).toEqual(["adjust:adj_1"]);
    expect(second.nextCursor).toBeNull();
  });
});
