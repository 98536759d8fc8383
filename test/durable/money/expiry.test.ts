import { describe, expect, it } from "vitest";
import {
  type Balance,
  effectiveBalance,
  effectiveHolds,
  expireDueHolds,
  expireHold,
  type Hold,
  nextExpiry,
} from "../../../src/durable/money";

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const MINUTE = 60_000;

const balance = (figures: Partial<Balance> = {}): Balance => ({
  userId: "u1",
  currency: "KRW",
  available: 0,
  held: 0,
  pendingPayout: 0,
  ...figures,
});

const hold = (fields: Partial<Hold> = {}): Hold => ({
  id: "h1",
  purpose: "bid",
  auctionId: "a1",
  currency: "KRW",
  amount: 30_000,
  status: "active",
  version: 1,
  createdAt: T0,
  updatedAt: T0,
  expiresAt: T0 + 2 * MINUTE,
  ...fields,
});

describe("expireHold", () => {
  const held = balance({ available: 5_000, held: 30_000 });

  it("does nothing before expiresAt", () => {
    expect(expireHold(held, hold(), T0 + 2 * MINUTE - 1)).toEqual({
      ok: true,
      effect: "not_due",
      balance: held,
      hold: hold(),
      holds: [],
      transfers: [],
      entries: [],
    });
  });

  it("at expiresAt releases the hold to available and marks it expired", () => {
    const now = T0 + 2 * MINUTE;
    const expired = hold({ status: "expired", version: 2, updatedAt: now });
    expect(expireHold(held, hold(), now)).toEqual({
      ok: true,
      effect: "expired",
      balance: balance({ available: 35_000, held: 0 }),
      hold: expired,
      holds: [expired],
      transfers: [
        {
          id: "expire:h1",
          kind: "hold_expire",
          debit: "user:u1:KRW:held",
          credit: "user:u1:KRW:available",
          amount: 30_000,
          currency: "KRW",
          auctionId: "a1",
          holdId: "h1",
        },
      ],
      entries: [
        { transferId: "expire:h1", currency: "KRW", account: "held", amount: -30_000, balanceAfter: 0 },
        {
          transferId: "expire:h1",
          currency: "KRW",
          account: "available",
          amount: 30_000,
          balanceAfter: 35_000,
        },
      ],
    });
  });

  it("a hold without expiresAt never expires", () => {
    expect(expireHold(held, hold({ expiresAt: null }), T0 + 10_000 * MINUTE)).toMatchObject({
      effect: "not_due",
    });
  });

  it("an already resolved hold is left alone", () => {
    const voided = hold({ status: "voided", version: 2 });
    expect(expireHold(balance({ available: 35_000 }), voided, T0 + 3 * MINUTE)).toMatchObject({
      effect: "already_resolved",
      transfers: [],
    });
  });
});

describe("read-time expiry", () => {
  const holds = [
    hold({ id: "h1", amount: 30_000, expiresAt: T0 + 1 * MINUTE }),
    hold({ id: "h2", auctionId: "a2", amount: 20_000, expiresAt: T0 + 5 * MINUTE }),
    hold({ id: "h3", auctionId: "a3", amount: 10_000, expiresAt: null }),
    hold({ id: "h4", auctionId: "a4", amount: 7_000, status: "voided", expiresAt: T0 }),
    hold({ id: "h5", currency: "USD", auctionId: "a5", amount: 900, expiresAt: T0 }),
  ];
  const stored = balance({ available: 1_000, held: 60_000 });

  it("effectiveHolds shows overdue active holds as expired and leaves the rest", () => {
    expect(effectiveHolds(holds, T0 + 2 * MINUTE).map((h) => [h.id, h.status])).toEqual([
      ["h1", "expired"],
      ["h2", "active"],
      ["h3", "active"],
      ["h4", "voided"],
      ["h5", "expired"],
    ]);
  });

  it("effectiveBalance counts overdue holds of its currency as available", () => {
    expect(effectiveBalance(stored, holds, T0 + 2 * MINUTE)).toEqual(
      balance({ available: 31_000, held: 30_000 }),
    );
    expect(effectiveBalance(stored, holds, T0)).toEqual(stored);
  });

  it("expireDueHolds (the alarm's sweep) writes exactly what the reader already saw", () => {
    const now = T0 + 6 * MINUTE;
    const sweep = expireDueHolds(stored, holds, now);
    expect(sweep.ok && sweep.balance).toEqual(effectiveBalance(stored, holds, now));
    expect(sweep.ok && sweep.holds.map((h) => [h.id, h.status])).toEqual([
      ["h1", "expired"],
      ["h2", "expired"],
    ]);
    expect(sweep.ok && sweep.transfers.map((t) => t.id)).toEqual(["expire:h1", "expire:h2"]);
    expect(sweep.ok && sweep.effect).toBe("applied");
  });

  it("a sweep with nothing due changes nothing", () => {
    expect(expireDueHolds(stored, holds, T0 - 1)).toEqual({
      ok: true,
      effect: "unchanged",
      balance: stored,
      holds: [],
      transfers: [],
      entries: [],
    });
  });

  it("nextExpiry is the earliest expiresAt among active holds, for the alarm", () => {
    expect(nextExpiry(holds)).toBe(T0);
    expect(nextExpiry(holds.filter((h) => h.currency === "KRW"))).toBe(T0 + MINUTE);
    expect(nextExpiry([hold({ expiresAt: null })])).toBeNull();
  });
});
