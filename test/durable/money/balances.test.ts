import { describe, expect, it } from "vitest";
import {
  type Balance,
  credit,
  creditPending,
  debit,
  MAX_MONEY,
  releasePending,
  reversePending,
} from "../../../src/durable/money";

const balance = (figures: Partial<Balance> = {}): Balance => ({
  userId: "u1",
  currency: "KRW",
  available: 0,
  held: 0,
  pendingPayout: 0,
  ...figures,
});

describe("credit", () => {
  it("a top-up moves money from external into available, with one entry", () => {
    expect(
      credit(balance({ available: 1_000 }), { transferId: "topup:t1", kind: "top_up", amount: 5_000 }),
    ).toEqual({
      ok: true,
      effect: "applied",
      balance: balance({ available: 6_000 }),
      holds: [],
      transfers: [
        {
          id: "topup:t1",
          kind: "top_up",
          debit: "external:KRW",
          credit: "user:u1:KRW:available",
          amount: 5_000,
          currency: "KRW",
          auctionId: null,
          holdId: null,
        },
      ],
      entries: [
        { transferId: "topup:t1", currency: "KRW", account: "available", amount: 5_000, balanceAfter: 6_000 },
      ],
    });
  });

  it("a refund moves money from the auction's escrow into available", () => {
    const result = credit(balance(), {
      transferId: "refund:a9",
      kind: "refund",
      amount: 30_000,
      auctionId: "a9",
    });
    expect(result.ok && result.transfers).toEqual([
      {
        id: "refund:a9",
        kind: "refund",
        debit: "escrow:a9",
        credit: "user:u1:KRW:available",
        amount: 30_000,
        currency: "KRW",
        auctionId: "a9",
        holdId: null,
      },
    ]);
    expect(result.ok && result.balance.available).toBe(30_000);
  });

  it.each([0, -1, 1.5, Number.NaN, MAX_MONEY + 1])("refuses the amount %d", (amount) => {
    expect(credit(balance(), { transferId: "topup:t1", kind: "top_up", amount })).toEqual({
      ok: false,
      code: "INVALID_AMOUNT",
      amount,
    });
  });

  it("accepts the largest amount", () => {
    const result = credit(balance(), { transferId: "topup:t1", kind: "adjustment", amount: MAX_MONEY });
    expect(result.ok && result.balance.available).toBe(MAX_MONEY);
  });

  it("refuses a credit that would take the owner's total past exact integers", () => {
    const nearLimit = balance({ available: Number.MAX_SAFE_INTEGER - 10, held: 5, pendingPayout: 5 });
    expect(credit(nearLimit, { transferId: "topup:t1", kind: "top_up", amount: 1 })).toEqual({
      ok: false,
      code: "BALANCE_LIMIT",
      limit: Number.MAX_SAFE_INTEGER,
    });
  });
});

describe("debit", () => {
  it("a negative adjustment moves money from available to external", () => {
    const result = debit(balance({ available: 5_000, held: 700 }), {
      transferId: "adjust:x1",
      kind: "adjustment",
      amount: 2_000,
    });
    expect(result).toEqual({
      ok: true,
      effect: "applied",
      balance: balance({ available: 3_000, held: 700 }),
      holds: [],
      transfers: [
        {
          id: "adjust:x1",
          kind: "adjustment",
          debit: "user:u1:KRW:available",
          credit: "external:KRW",
          amount: 2_000,
          currency: "KRW",
          auctionId: null,
          holdId: null,
        },
      ],
      entries: [
        {
          transferId: "adjust:x1",
          currency: "KRW",
          account: "available",
          amount: -2_000,
          balanceAfter: 3_000,
        },
      ],
    });
  });

  it("may take available to exactly zero", () => {
    const result = debit(balance({ available: 5_000 }), {
      transferId: "a",
      kind: "adjustment",
      amount: 5_000,
    });
    expect(result.ok && result.balance.available).toBe(0);
  });

  it("refuses to go below zero, saying what is available and what was needed; held money does not count", () => {
    expect(
      debit(balance({ available: 3_000, held: 10_000 }), {
        transferId: "a",
        kind: "adjustment",
        amount: 4_000,
      }),
    ).toEqual({ ok: false, code: "INSUFFICIENT_FUNDS", available: 3_000, needed: 4_000 });
  });
});

describe("pending payouts", () => {
  it("creditPending moves a sale's proceeds from escrow into pendingPayout", () => {
    expect(creditPending(balance(), { transferId: "payout:a9", amount: 27_000, auctionId: "a9" })).toEqual({
      ok: true,
      effect: "applied",
      balance: balance({ pendingPayout: 27_000 }),
      holds: [],
      transfers: [
        {
          id: "payout:a9",
          kind: "payout_pending",
          debit: "escrow:a9",
          credit: "user:u1:KRW:pending",
          amount: 27_000,
          currency: "KRW",
          auctionId: "a9",
          holdId: null,
        },
      ],
      entries: [
        {
          transferId: "payout:a9",
          currency: "KRW",
          account: "pendingPayout",
          amount: 27_000,
          balanceAfter: 27_000,
        },
      ],
    });
  });

  it("releasePending moves pendingPayout into available, with an entry on each account", () => {
    const result = releasePending(balance({ available: 100, pendingPayout: 27_000 }), {
      transferId: "release:a9",
      amount: 27_000,
      auctionId: "a9",
    });
    expect(result.ok && result.balance).toEqual(balance({ available: 27_100, pendingPayout: 0 }));
    expect(result.ok && result.transfers[0]).toMatchObject({
      kind: "payout_release",
      debit: "user:u1:KRW:pending",
      credit: "user:u1:KRW:available",
    });
    expect(result.ok && result.entries).toEqual([
      {
        transferId: "release:a9",
        currency: "KRW",
        account: "pendingPayout",
        amount: -27_000,
        balanceAfter: 0,
      },
      {
        transferId: "release:a9",
        currency: "KRW",
        account: "available",
        amount: 27_000,
        balanceAfter: 27_100,
      },
    ]);
  });

  it("reversePending returns pendingPayout to the escrow (an order refunded after the sale was credited)", () => {
    const result = reversePending(balance({ pendingPayout: 27_000 }), {
      transferId: "unpay:a9",
      amount: 27_000,
      auctionId: "a9",
    });
    expect(result.ok && result.balance.pendingPayout).toBe(0);
    expect(result.ok && result.transfers[0]).toMatchObject({
      kind: "payout_reversal",
      debit: "user:u1:KRW:pending",
      credit: "escrow:a9",
    });
  });

  it("refuses to release or reverse more than is pending", () => {
    const small = balance({ available: 50_000, pendingPayout: 1_000 });
    const expected = { ok: false, code: "INSUFFICIENT_PENDING", pendingPayout: 1_000, needed: 2_000 };
    expect(releasePending(small, { transferId: "r", amount: 2_000, auctionId: "a9" })).toEqual(expected);
    expect(reversePending(small, { transferId: "r", amount: 2_000, auctionId: "a9" })).toEqual(expected);
  });
});
