import { describe, expect, it } from "vitest";
import {
  checkWallet,
  credit,
  creditPending,
  type Hold,
  type Problem,
  postHold,
  releasePending,
  requestWithdrawal,
  reserveHold,
  settleHold,
  type Transfer,
  type WalletState,
} from "../../../src/durable/money";
import { ModelWallet } from "./model-wallet";

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

function hold(wallet: ModelWallet, id: string): Hold {
  const found = wallet.holds.get(id);
  if (!found) throw new Error(`no hold ${id}`);
  return found;
}

/** A wallet that has seen one of nearly everything, in two currencies. */
function healthyWallet(): ModelWallet {
  const w = new ModelWallet("u1");
  const bid = (reservationId: string, auctionId: string, atLeast: number) =>
    w.persist(
      reserveHold(w.balance("KRW"), w.activeHoldFor(auctionId), {
        reservationId,
        purpose: "bid",
        auctionId,
        atLeast,
        now: T0,
        expiresAt: null,
      }),
    );
  w.persist(credit(w.balance("KRW"), { transferId: "topup:t1", kind: "top_up", amount: 100_000 }));
  bid("r1", "a1", 30_000);
  bid("r2", "a1", 45_000);
  bid("r3", "a2", 10_000);
  w.persist(settleHold(w.balance("KRW"), hold(w, "r3"), { keep: 0, version: 1, now: T0 }));
  w.persist(postHold(w.balance("KRW"), hold(w, "r1"), { amount: 40_000, now: T0 }));
  w.persist(requestWithdrawal(w.balance("KRW"), { withdrawalId: "w1", amount: 5_000, now: T0 }));
  w.persist(creditPending(w.balance("USD"), { transferId: "payout:a9", amount: 1_000, auctionId: "a9" }));
  w.persist(releasePending(w.balance("USD"), { transferId: "release:a9", amount: 400, auctionId: "a9" }));
  return w;
}

const rulesOf = (problems: Problem[]) => problems.map((p) => p.rule).sort();

function corrupt(edit: (state: WalletState) => WalletState): Problem[] {
  return checkWallet(edit(healthyWallet().state()));
}

const replaceHold = (state: WalletState, id: string, fields: Partial<Hold>): WalletState => ({
  ...state,
  holds: state.holds.map((h) => (h.id === id ? { ...h, ...fields } : h)),
});

describe("checkWallet", () => {
  it("finds nothing wrong with a wallet built by the rules", () => {
    const w = healthyWallet();
    expect(w.balance("KRW")).toMatchObject({ available: 55_000, held: 5_000 });
    expect(checkWallet(w.state())).toEqual([]);
  });

  it("held that is not the sum of active holds", () => {
    expect(
      rulesOf(
        corrupt((s) => ({
          ...s,
          balances: s.balances.map((b) => (b.currency === "KRW" ? { ...b, held: b.held + 1 } : b)),
        })),
      ),
    ).toEqual(["ENTRIES_NOT_BALANCE", "HELD_NOT_SUM_OF_HOLDS"]);
  });

  it("a negative figure", () => {
    const problems = corrupt((s) => ({
      ...s,
      balances: s.balances.map((b) => (b.currency === "USD" ? { ...b, available: -1 } : b)),
    }));
    expect(rulesOf(problems)).toEqual(["ENTRIES_NOT_BALANCE", "NEGATIVE_BALANCE"]);
    expect(problems.find((p) => p.rule === "NEGATIVE_BALANCE")?.detail).toBe("USD available is -1");
  });

  it("two active holds on one auction", () => {
    const w = healthyWallet();
    w.persist(
      reserveHold(w.balance("KRW"), null, {
        reservationId: "r9",
        purpose: "buy_now",
        auctionId: "a2",
        atLeast: 1_000,
        now: T0,
        expiresAt: null,
      }),
    );
    w.persist(
      reserveHold(w.balance("KRW"), null, {
        reservationId: "r10",
        purpose: "bid",
        auctionId: "a2",
        atLeast: 1_000,
        now: T0,
        expiresAt: null,
      }),
    );
    expect(rulesOf(checkWallet(w.state()))).toEqual(["DUPLICATE_ACTIVE_HOLD"]);
  });

  it("a transfer from an account to itself, or of nothing", () => {
    const state: WalletState = {
      userId: "u1",
      balances: [],
      holds: [],
      entries: [],
      transfers: [
        {
          id: "x",
          kind: "adjustment",
          debit: "user:u1:KRW:available",
          credit: "user:u1:KRW:available",
          amount: 0,
          currency: "KRW",
          auctionId: null,
          holdId: null,
        },
      ],
    };
    expect(rulesOf(checkWallet(state))).toEqual(["INVALID_TRANSFER", "INVALID_TRANSFER"]);
  });

  it("a transfer id stored twice", () => {
    expect(
      rulesOf(corrupt((s) => ({ ...s, transfers: [...s.transfers, s.transfers[0] as Transfer] }))),
    ).toEqual(["DUPLICATE_TRANSFER"]);
  });

  it("an entry that does not mirror its transfer", () => {
    expect(
      rulesOf(
        corrupt((s) => ({
          ...s,
          entries: s.entries.map((e, i) => (i === 1 ? { ...e, amount: e.amount + 1 } : e)),
        })),
      ),
    ).toEqual(["BALANCE_AFTER_MISMATCH", "ENTRIES_NOT_BALANCE", "ENTRIES_NOT_TRANSFER"]);
  });

  it("an entry for a transfer that does not exist", () => {
    expect(
      rulesOf(
        corrupt((s) => ({
          ...s,
          entries: [
            ...s.entries,
            { transferId: "ghost", currency: "USD", account: "pendingPayout", amount: 0, balanceAfter: 600 },
          ],
        })),
      ),
    ).toEqual(["ENTRIES_NOT_TRANSFER"]);
  });

  it("a posted hold shown as active again", () => {
    expect(rulesOf(corrupt((s) => replaceHold(s, "r1", { status: "active" })))).toEqual([
      "HELD_NOT_SUM_OF_HOLDS",
      "HOLD_NOT_RESOLVED_ONCE",
      "HOLD_NOT_TRANSFERS",
    ]);
  });

  it("an active hold shown as voided without a transfer that voided it", () => {
    expect(rulesOf(corrupt((s) => replaceHold(s, "w1", { status: "voided" })))).toEqual([
      "HELD_NOT_SUM_OF_HOLDS",
      "HOLD_NOT_RESOLVED_ONCE",
      "HOLD_NOT_TRANSFERS",
    ]);
  });

  it("an active hold whose amount is not what its transfers moved", () => {
    expect(rulesOf(corrupt((s) => replaceHold(s, "w1", { amount: 6_000 })))).toEqual([
      "HELD_NOT_SUM_OF_HOLDS",
      "HOLD_NOT_TRANSFERS",
    ]);
  });
});
