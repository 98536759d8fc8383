import { describe, expect, it } from "vitest";
import {
  type Balance,
  type Hold,
  postHold,
  type ReserveRequest,
  reserveHold,
  settleHold,
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

const bidHold = (fields: Partial<Hold> = {}): Hold => ({
  id: "r1",
  purpose: "bid",
  auctionId: "a1",
  currency: "KRW",
  amount: 30_000,
  status: "active",
  version: 1,
  createdAt: T0,
  updatedAt: T0,
  expiresAt: null,
  ...fields,
});

const reserve = (fields: Partial<ReserveRequest> = {}): ReserveRequest => ({
  reservationId: "r1",
  purpose: "bid",
  auctionId: "a1",
  atLeast: 30_000,
  now: T0,
  expiresAt: null,
  ...fields,
});

describe("reserveHold", () => {
  it("with no active hold for the auction, moves atLeast from available to held under a new hold", () => {
    expect(reserveHold(balance({ available: 100_000 }), null, reserve())).toEqual({
      ok: true,
      effect: "applied",
      balance: balance({ available: 70_000, held: 30_000 }),
      hold: bidHold(),
      holds: [bidHold()],
      transfers: [
        {
          id: "reserve:r1",
          kind: "hold",
          debit: "user:u1:KRW:available",
          credit: "user:u1:KRW:held",
          amount: 30_000,
          currency: "KRW",
          auctionId: "a1",
          holdId: "r1",
        },
      ],
      entries: [
        {
          transferId: "reserve:r1",
          currency: "KRW",
          account: "available",
          amount: -30_000,
          balanceAfter: 70_000,
        },
        { transferId: "reserve:r1", currency: "KRW", account: "held", amount: 30_000, balanceAfter: 30_000 },
      ],
    });
  });

  it("refuses a new hold larger than available, saying both figures", () => {
    expect(reserveHold(balance({ available: 29_999, held: 50_000 }), null, reserve())).toEqual({
      ok: false,
      code: "INSUFFICIENT_FUNDS",
      available: 29_999,
      needed: 30_000,
    });
  });

  it("leaves an active hold that already covers atLeast as it is", () => {
    const before = balance({ available: 70_000, held: 30_000 });
    expect(reserveHold(before, bidHold(), reserve({ reservationId: "r2", atLeast: 25_000 }))).toEqual({
      ok: true,
      effect: "unchanged",
      balance: before,
      hold: bidHold(),
      holds: [],
      transfers: [],
      entries: [],
    });
  });

  it("raises a smaller active hold by the difference, keeping its id and bumping its version", () => {
    const result = reserveHold(
      balance({ available: 70_000, held: 30_000 }),
      bidHold(),
      reserve({ reservationId: "r2", atLeast: 45_000, now: T0 + 5_000 }),
    );
    const raised = bidHold({ amount: 45_000, version: 2, updatedAt: T0 + 5_000 });
    expect(result).toEqual({
      ok: true,
      effect: "applied",
      balance: balance({ available: 55_000, held: 45_000 }),
      hold: raised,
      holds: [raised],
      transfers: [
        {
          id: "reserve:r2",
          kind: "hold_raise",
          debit: "user:u1:KRW:available",
          credit: "user:u1:KRW:held",
          amount: 15_000,
          currency: "KRW",
          auctionId: "a1",
          holdId: "r1",
        },
      ],
      entries: [
        {
          transferId: "reserve:r2",
          currency: "KRW",
          account: "available",
          amount: -15_000,
          balanceAfter: 55_000,
        },
        { transferId: "reserve:r2", currency: "KRW", account: "held", amount: 15_000, balanceAfter: 45_000 },
      ],
    });
  });

  it("refuses a raise when available cannot fund the difference; needed is the difference", () => {
    expect(
      reserveHold(
        balance({ available: 10_000, held: 30_000 }),
        bidHold(),
        reserve({ reservationId: "r2", atLeast: 45_000 }),
      ),
    ).toEqual({ ok: false, code: "INSUFFICIENT_FUNDS", available: 10_000, needed: 15_000 });
  });

  it("creates a new hold when the one it was given is no longer active", () => {
    const result = reserveHold(
      balance({ available: 100_000 }),
      bidHold({ status: "voided", version: 2 }),
      reserve({ reservationId: "r2" }),
    );
    expect(result.ok && result.hold).toEqual(bidHold({ id: "r2" }));
  });

  it("expires an overdue hold and places a new one in the same change (read-time expiry is the truth)", () => {
    const overdue = bidHold({ expiresAt: T0 + 60_000 });
    const result = reserveHold(
      balance({ available: 10_000, held: 30_000 }),
      overdue,
      reserve({ reservationId: "r2", atLeast: 35_000, now: T0 + 60_000 }),
    );
    const expired = bidHold({
      expiresAt: T0 + 60_000,
      status: "expired",
      version: 2,
      updatedAt: T0 + 60_000,
    });
    const fresh = bidHold({ id: "r2", amount: 35_000, createdAt: T0 + 60_000, updatedAt: T0 + 60_000 });
    expect(result).toMatchObject({
      ok: true,
      effect: "applied",
      balance: balance({ available: 5_000, held: 35_000 }),
      hold: fresh,
      holds: [expired, fresh],
    });
    expect(result.ok && result.transfers.map((t) => [t.id, t.kind, t.amount])).toEqual([
      ["expire:r1", "hold_expire", 30_000],
      ["reserve:r2", "hold", 35_000],
    ]);
  });

  it.each([0, -5, 2.5, 1_000_000_000_001])("refuses atLeast %d", (atLeast) => {
    expect(reserveHold(balance({ available: 100_000 }), null, reserve({ atLeast }))).toEqual({
      ok: false,
      code: "INVALID_AMOUNT",
      amount: atLeast,
    });
  });

  it("rejects wiring mistakes loudly: a hold of another auction, an id with a colon", () => {
    expect(() => reserveHold(balance({ held: 30_000 }), bidHold({ auctionId: "a2" }), reserve())).toThrow(
      /auction/,
    );
    expect(() =>
      reserveHold(balance({ available: 100_000 }), null, reserve({ reservationId: "r:1" })),
    ).toThrow(/id/);
  });
});

describe("settleHold", () => {
  const held = balance({ available: 55_000, held: 45_000 });
  const hold = bidHold({ amount: 45_000, version: 2 });

  it("lowers a hold to keep, returning the difference to available", () => {
    const result = settleHold(held, hold, { keep: 30_000, version: 2, now: T0 + 9_000 });
    const lowered = bidHold({ amount: 30_000, version: 3, updatedAt: T0 + 9_000 });
    expect(result).toEqual({
      ok: true,
      effect: "applied",
      balance: balance({ available: 70_000, held: 30_000 }),
      hold: lowered,
      holds: [lowered],
      transfers: [
        {
          id: "settle:r1:v2",
          kind: "hold_release",
          debit: "user:u1:KRW:held",
          credit: "user:u1:KRW:available",
          amount: 15_000,
          currency: "KRW",
          auctionId: "a1",
          holdId: "r1",
        },
      ],
      entries: [
        {
          transferId: "settle:r1:v2",
          currency: "KRW",
          account: "held",
          amount: -15_000,
          balanceAfter: 30_000,
        },
        {
          transferId: "settle:r1:v2",
          currency: "KRW",
          account: "available",
          amount: 15_000,
          balanceAfter: 70_000,
        },
      ],
    });
  });

  it("keep = 0 voids the hold", () => {
    const result = settleHold(held, hold, { keep: 0, version: 2, now: T0 + 9_000 });
    const voided = bidHold({ amount: 45_000, status: "voided", version: 3, updatedAt: T0 + 9_000 });
    expect(result).toMatchObject({
      ok: true,
      effect: "applied",
      balance: balance({ available: 100_000, held: 0 }),
      hold: voided,
      holds: [voided],
    });
    expect(result.ok && result.transfers.map((t) => [t.id, t.kind, t.amount])).toEqual([
      ["void:r1", "hold_void", 45_000],
    ]);
  });

  it("a stale version does nothing, so an old instruction never undoes a newer raise", () => {
    expect(settleHold(held, hold, { keep: 0, version: 1, now: T0 })).toEqual({
      ok: true,
      effect: "stale_version",
      balance: held,
      hold,
      holds: [],
      transfers: [],
      entries: [],
    });
  });

  it("version null settles whatever the current version", () => {
    const result = settleHold(held, hold, { keep: 0, version: null, now: T0 });
    expect(result.ok && result.effect).toBe("applied");
  });

  it("keeping the whole amount changes nothing", () => {
    const result = settleHold(held, hold, { keep: 45_000, version: 2, now: T0 });
    expect(result).toMatchObject({ ok: true, effect: "unchanged", holds: [], transfers: [] });
  });

  it("refuses to keep more than is held, or a keep that is not a whole amount", () => {
    expect(settleHold(held, hold, { keep: 45_001, version: 2, now: T0 })).toEqual({
      ok: false,
      code: "EXCEEDS_HOLD",
      held: 45_000,
      requested: 45_001,
    });
    expect(settleHold(held, hold, { keep: -1, version: 2, now: T0 })).toEqual({
      ok: false,
      code: "INVALID_AMOUNT",
      amount: -1,
    });
  });

  it("an overdue hold expires instead of being settled", () => {
    const overdue = bidHold({ amount: 45_000, version: 2, expiresAt: T0 + 1_000 });
    const result = settleHold(held, overdue, { keep: 30_000, version: 2, now: T0 + 1_000 });
    expect(result).toMatchObject({
      ok: true,
      effect: "expired",
      balance: balance({ available: 100_000, held: 0 }),
      hold: { status: "expired", version: 3 },
    });
    expect(result.ok && result.transfers.map((t) => t.id)).toEqual(["expire:r1"]);
  });
});

describe("postHold", () => {
  const held = balance({ available: 55_000, held: 45_000 });
  const hold = bidHold({ amount: 45_000, version: 2 });

  it("posts part to the auction's escrow and returns the rest to available, resolving the hold", () => {
    const result = postHold(held, hold, { amount: 40_000, now: T0 + 7_000 });
    const posted = bidHold({ amount: 45_000, status: "posted", version: 3, updatedAt: T0 + 7_000 });
    expect(result).toEqual({
      ok: true,
      effect: "applied",
      balance: balance({ available: 60_000, held: 0 }),
      hold: posted,
      holds: [posted],
      transfers: [
        {
          id: "post:r1",
          kind: "payment",
          debit: "user:u1:KRW:held",
          credit: "escrow:a1",
          amount: 40_000,
          currency: "KRW",
          auctionId: "a1",
          holdId: "r1",
        },
        {
          id: "post:r1:rest",
          kind: "hold_release",
          debit: "user:u1:KRW:held",
          credit: "user:u1:KRW:available",
          amount: 5_000,
          currency: "KRW",
          auctionId: "a1",
          holdId: "r1",
        },
      ],
      entries: [
        { transferId: "post:r1", currency: "KRW", account: "held", amount: -40_000, balanceAfter: 5_000 },
        { transferId: "post:r1:rest", currency: "KRW", account: "held", amount: -5_000, balanceAfter: 0 },
        {
          transferId: "post:r1:rest",
          currency: "KRW",
          account: "available",
          amount: 5_000,
          balanceAfter: 60_000,
        },
      ],
    });
  });

  it("posting the whole amount is a single transfer", () => {
    const result = postHold(held, hold, { amount: 45_000, now: T0 });
    expect(result.ok && result.transfers.map((t) => t.id)).toEqual(["post:r1"]);
    expect(result.ok && result.balance).toEqual(balance({ available: 55_000, held: 0 }));
  });

  it("refuses to post more than is held, and posts nothing", () => {
    expect(postHold(held, hold, { amount: 45_001, now: T0 })).toEqual({
      ok: false,
      code: "EXCEEDS_HOLD",
      held: 45_000,
      requested: 45_001,
    });
    expect(postHold(held, hold, { amount: 0, now: T0 })).toEqual({
      ok: false,
      code: "INVALID_AMOUNT",
      amount: 0,
    });
  });

  it("an overdue hold expires instead of being posted", () => {
    const result = postHold(held, bidHold({ amount: 45_000, expiresAt: T0 }), { amount: 45_000, now: T0 });
    expect(result.ok && result.effect).toBe("expired");
    expect(result.ok && result.balance).toEqual(balance({ available: 100_000, held: 0 }));
  });
});

describe("a hold resolves exactly once", () => {
  const after = balance({ available: 100_000 });
  it.each(["posted", "voided", "expired"] as const)(
    "a %s hold can be neither settled nor posted again",
    (status) => {
      const resolved = bidHold({ status, version: 3 });
      const nothing = {
        ok: true,
        effect: "already_resolved",
        balance: after,
        hold: resolved,
        holds: [],
        transfers: [],
        entries: [],
      };
      expect(settleHold(after, resolved, { keep: 0, version: null, now: T0 })).toEqual(nothing);
      expect(settleHold(after, resolved, { keep: 0, version: 3, now: T0 })).toEqual(nothing);
      expect(postHold(after, resolved, { amount: 30_000, now: T0 })).toEqual(nothing);
    },
  );
});
