import { describe, expect, it } from "vitest";
import { checkLedger, type RecordedLeg, recordedFigures } from "../../../src/durable/money/ledger-check";

const legs = (
  transferId: string,
  recordedBy: string,
  debit: string,
  credit: string,
  amount: number,
): RecordedLeg[] => [
  { transferId, account: debit, recordedBy, amount: -amount, currency: "KRW" },
  { transferId, account: credit, recordedBy, amount, currency: "KRW" },
];

/** A top-up of 50,000, then a sale of 30,000 paid from a hold into escrow, recorded by both sides. */
const healthy = [
  ...legs("topup:1", "wallet:b", "external:KRW", "user:b:KRW:available", 50_000),
  ...legs("reserve:a.1", "wallet:b", "user:b:KRW:available", "user:b:KRW:held", 30_000),
  ...legs("order:a:pay", "wallet:b", "user:b:KRW:held", "escrow:a", 30_000),
  ...legs("order:a:pay", "room:a", "user:b:KRW:held", "escrow:a", 30_000),
];
const liveFigures: Record<string, number> = {
  "user:b:KRW:available": 20_000,
  "user:b:KRW:held": 0,
  "escrow:a": 30_000,
};
const live = (account: string) => liveFigures[account];

describe("checkLedger", () => {
  it("is ok when every transfer balances, both sides agree, balances match their owners and external mirrors the rest", () => {
    expect(checkLedger(healthy, live, new Set())).toEqual({
      ok: true,
      transfers: 3,
      accounts: 4,
      problems: [],
    });
  });

  it("finds a side that has not recorded a transfer touching its account", () => {
    const missing = healthy.filter((l) => !(l.transferId === "order:a:pay" && l.recordedBy === "room:a"));
    expect(checkLedger(missing, live, new Set()).problems).toEqual([
      { code: "SIDE_MISSING", transferId: "order:a:pay", owner: "room:a" },
    ]);
  });

  it("finds sides that disagree on a transfer's figures, and a live figure the ledger does not explain", () => {
    const other = [
      ...healthy.slice(0, 6),
      ...legs("order:a:pay", "room:a", "user:b:KRW:held", "escrow:a", 29_000),
    ];
    const result = checkLedger(other, live, new Set());
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual({
      code: "SIDES_DISAGREE",
      transferId: "order:a:pay",
      recorders: ["wallet:b", "room:a"],
    });
    const drifted = checkLedger(healthy, (a) => (a === "user:b:KRW:available" ? 19_999 : live(a)), new Set());
    expect(drifted.problems).toEqual([
      { code: "BALANCE_MISMATCH", account: "user:b:KRW:available", ledger: 20_000, live: 19_999 },
    ]);
  });

  it("finds escrow left on a finished order, and a leg without its other half", () => {
    expect(checkLedger(healthy, live, new Set(["escrow:a"])).problems).toEqual([
      { code: "ESCROW_LEFT", account: "escrow:a", balance: 30_000 },
    ]);
    const half = healthy.slice(1);
    expect(checkLedger(half, live, new Set()).problems).toContainEqual({
      code: "UNBALANCED",
      transferId: "topup:1",
      recordedBy: "wallet:b",
      sum: 50_000,
    });
  });
});

describe("recordedFigures: a wallet's figures as the ledger has heard of them", () => {
  it("takes back the transfers still waiting for their flush, and only on this wallet's accounts", () => {
    const balances = [{ userId: "b", currency: "KRW", available: 20_000, held: 30_000, pendingPayout: 0 }];
    // Written but not handed over yet: a hold raised by 10,000, and a payment out of the hold.
    const unsent = [
      { debit: "user:b:KRW:available", credit: "user:b:KRW:held", amount: 10_000 },
      { debit: "user:b:KRW:held", credit: "escrow:a", amount: 5_000 },
    ];
    expect(recordedFigures(balances, unsent)).toEqual({
      "user:b:KRW:available": 30_000,
      "user:b:KRW:held": 25_000,
      "user:b:KRW:pending": 0,
    });
    expect(recordedFigures(balances, [])).toEqual({
      "user:b:KRW:available": 20_000,
      "user:b:KRW:held": 30_000,
      "user:b:KRW:pending": 0,
    });
  });
});
