import { describe, expect, it } from "vitest";
import {
  type Balance,
  completeWithdrawal,
  type Hold,
  rejectWithdrawal,
  requestWithdrawal,
} from "../../../src/durable/money";

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

const balance = (figures: Partial<Balance> = {}): Balance => ({
  userId: "u1",
  currency: "KRW",
  available: 0,
  held: 0,
  pendingPayout: 0,
  ...figures,
});

const requested: Hold = {
  id: "w1",
  purpose: "withdrawal",
  auctionId: null,
  currency: "KRW",
  amount: 20_000,
  status: "active",
  version: 1,
  createdAt: T0,
  updatedAt: T0,
  expiresAt: null,
};

describe("withdrawals", () => {
  it("a request holds the amount under a withdrawal hold with no auction and no expiry", () => {
    const result = requestWithdrawal(balance({ available: 50_000 }), {
      withdrawalId: "w1",
      amount: 20_000,
      now: T0,
    });
    expect(result).toMatchObject({
      ok: true,
      effect: "applied",
      balance: balance({ available: 30_000, held: 20_000 }),
      hold: requested,
      holds: [requested],
    });
    expect(result.ok && result.transfers.map((t) => [t.id, t.kind, t.debit, t.credit, t.auctionId])).toEqual([
      ["reserve:w1", "hold", "user:u1:KRW:available", "user:u1:KRW:held", null],
    ]);
  });

  it("a request above available is refused", () => {
    expect(
      requestWithdrawal(balance({ available: 19_999 }), { withdrawalId: "w1", amount: 20_000, now: T0 }),
    ).toEqual({
      ok: false,
      code: "INSUFFICIENT_FUNDS",
      available: 19_999,
      needed: 20_000,
    });
  });

  it("completing posts the whole hold to external", () => {
    const result = completeWithdrawal(balance({ available: 30_000, held: 20_000 }), requested, {
      now: T0 + 1,
    });
    expect(result.ok && result.balance).toEqual(balance({ available: 30_000, held: 0 }));
    expect(result.ok && result.hold.status).toBe("posted");
    expect(result.ok && result.transfers).toEqual([
      {
        id: "post:w1",
        kind: "withdrawal",
        debit: "user:u1:KRW:held",
        credit: "external:KRW",
        amount: 20_000,
        currency: "KRW",
        auctionId: null,
        holdId: "w1",
      },
    ]);
  });

  it("rejecting voids the hold, returning the money to available", () => {
    const result = rejectWithdrawal(balance({ available: 30_000, held: 20_000 }), requested, { now: T0 + 1 });
    expect(result.ok && result.balance).toEqual(balance({ available: 50_000, held: 0 }));
    expect(result.ok && result.hold.status).toBe("voided");
    expect(result.ok && result.transfers.map((t) => t.id)).toEqual(["void:w1"]);
  });

  it("a completed withdrawal cannot be rejected, nor completed twice", () => {
    const done: Hold = { ...requested, status: "posted", version: 2 };
    const after = balance({ available: 30_000 });
    expect(rejectWithdrawal(after, done, { now: T0 + 2 })).toMatchObject({
      effect: "already_resolved",
      transfers: [],
    });
    expect(completeWithdrawal(after, done, { now: T0 + 2 })).toMatchObject({
      effect: "already_resolved",
      transfers: [],
    });
  });

  it("refuses to treat a bid hold as a withdrawal", () => {
    const bid: Hold = { ...requested, purpose: "bid", auctionId: "a1" };
    expect(() => completeWithdrawal(balance({ held: 20_000 }), bid, { now: T0 })).toThrow(/withdrawal/);
  });
});
