import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Change,
  checkWallet,
  completeWithdrawal,
  credit,
  creditPending,
  debit,
  effectiveBalance,
  expireDueHolds,
  expireHold,
  type Hold,
  postHold,
  type Refusal,
  rejectWithdrawal,
  releasePending,
  requestWithdrawal,
  reserveHold,
  settleHold,
} from "../../../src/durable/money";
import { ModelWallet, type Persisted } from "./model-wallet";

const MINUTE = 60_000;
const CURRENCIES = ["KRW", "USD"] as const;
const AUCTIONS = [
  { id: "a0", currency: "KRW" },
  { id: "a1", currency: "KRW" },
  { id: "a2", currency: "USD" },
] as const;

/** A generated step, resolved against the wallet into an instruction when it is first delivered. */
type Plan =
  | { op: "credit"; currency: number; amount: number; kind: "top_up" | "adjustment" }
  | { op: "debit"; currency: number; amount: number }
  | { op: "reserve"; auction: number; atLeast: number; purpose: "bid" | "buy_now"; expiresIn: number | null }
  | { op: "settle"; pick: Pick; quarters: number; version: "current" | "stale" | "none" }
  | { op: "post"; pick: Pick; quarters: number; over: boolean }
  | { op: "expire"; pick: Pick }
  | { op: "sweep"; currency: number }
  | { op: "tick"; ms: number }
  | { op: "withdraw"; currency: number; amount: number }
  | { op: "complete" | "reject"; pick: Pick }
  | { op: "creditPending"; auction: number; amount: number }
  | { op: "releasePending"; currency: number; quarters: number }
  | { op: "redeliver"; pick: Pick };

/** An instruction as the Wallet object receives it: everything but the clock is fixed. */
type Instruction =
  | { op: "credit"; currency: string; transferId: string; kind: "top_up" | "adjustment"; amount: number }
  | { op: "debit"; currency: string; transferId: string; amount: number }
  | {
      op: "reserve";
      currency: string;
      reservationId: string;
      auctionId: string;
      atLeast: number;
      purpose: "bid" | "buy_now";
      expiresAt: number | null;
    }
  | { op: "settle"; holdId: string; keep: number; version: number | null }
  | { op: "post"; holdId: string; amount: number }
  | { op: "expire"; holdId: string }
  | { op: "sweep"; currency: string }
  | { op: "withdraw"; currency: string; withdrawalId: string; amount: number }
  | { op: "complete" | "reject"; holdId: string }
  | { op: "creditPending"; currency: string; transferId: string; auctionId: string; amount: number }
  | { op: "releasePending"; currency: string; transferId: string; auctionId: string; amount: number };

interface Delivery {
  instruction: Instruction;
  first: Persisted;
}

const money = fc.oneof(fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: 50_001, max: 2_000_000 }));
// Most instructions name a live hold; some name any hold, resolved ones included.
const pick = fc.record({
  index: fc.nat({ max: 1_000 }),
  anyHold: fc.constantFrom(false, false, false, true),
});
type Pick = { index: number; anyHold: boolean };
const quarters = fc.integer({ min: 0, max: 4 });

const planArb: fc.Arbitrary<Plan> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("credit"),
      currency: fc.nat(1),
      amount: money,
      kind: fc.constantFrom("top_up", "adjustment"),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("debit"), currency: fc.nat(1), amount: money }) },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant("reserve"),
      auction: fc.nat(2),
      atLeast: money,
      purpose: fc.constantFrom("bid", "buy_now"),
      expiresIn: fc.constantFrom(null, MINUTE, 2 * MINUTE, 5 * MINUTE),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("settle"),
      pick,
      quarters,
      version: fc.constantFrom("current", "stale", "none"),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("post"), pick, quarters, over: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("expire"), pick }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("sweep"), currency: fc.nat(1) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("tick"),
      ms: fc.constantFrom(1_000, 30_000, 2 * MINUTE, 10 * MINUTE),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("withdraw"), currency: fc.nat(1), amount: money }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom("complete", "reject"), pick }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("creditPending"), auction: fc.nat(2), amount: money }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("releasePending"), currency: fc.nat(1), quarters }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("redeliver"), pick }) },
);

const currencyAt = (index: number) => CURRENCIES[index % CURRENCIES.length] ?? "KRW";
const auctionAt = (index: number) => AUCTIONS[index % AUCTIONS.length] ?? AUCTIONS[0];
const share = (amount: number, q: number) => Math.floor((amount * q) / 4);

function holdAt(wallet: ModelWallet, { index, anyHold }: Pick, withdrawals = false): Hold | null {
  const all = [...wallet.holds.values()].filter((h) => !withdrawals || h.purpose === "withdrawal");
  const live = all.filter((h) => h.status === "active");
  const holds = anyHold || live.length === 0 ? all : live;
  return holds.length === 0 ? null : (holds[index % holds.length] ?? null);
}

/** Turns a plan into an instruction against the wallet as it is now; null when it has nothing to act on. */
function resolve(
  plan: Exclude<Plan, { op: "tick" | "redeliver" }>,
  wallet: ModelWallet,
  serial: number,
): Instruction | null {
  const id = `i${serial}`;
  switch (plan.op) {
    case "credit":
      return {
        op: "credit",
        currency: currencyAt(plan.currency),
        transferId: `topup:${id}`,
        kind: plan.kind,
        amount: plan.amount,
      };
    case "debit":
      return {
        op: "debit",
        currency: currencyAt(plan.currency),
        transferId: `adjust:${id}`,
        amount: plan.amount,
      };
    case "reserve": {
      const auction = auctionAt(plan.auction);
      return {
        op: "reserve",
        currency: auction.currency,
        reservationId: id,
        auctionId: auction.id,
        atLeast: plan.atLeast,
        purpose: plan.purpose,
        expiresAt: plan.expiresIn === null ? null : wallet.now + plan.expiresIn,
      };
    }
    case "settle": {
      const hold = holdAt(wallet, plan.pick);
      if (!hold) return null;
      const version =
        plan.version === "current" ? hold.version : plan.version === "stale" ? hold.version - 1 : null;
      return { op: "settle", holdId: hold.id, keep: share(hold.amount, plan.quarters), version };
    }
    case "post": {
      const hold = holdAt(wallet, plan.pick);
      if (!hold) return null;
      const amount = plan.over ? hold.amount + 1 : Math.max(1, share(hold.amount, plan.quarters));
      return { op: "post", holdId: hold.id, amount };
    }
    case "expire": {
      const hold = holdAt(wallet, plan.pick);
      return hold ? { op: plan.op, holdId: hold.id } : null;
    }
    case "complete":
    case "reject": {
      const hold = holdAt(wallet, plan.pick, true);
      return hold ? { op: plan.op, holdId: hold.id } : null;
    }
    case "sweep":
      return { op: "sweep", currency: currencyAt(plan.currency) };
    case "withdraw":
      return { op: "withdraw", currency: currencyAt(plan.currency), withdrawalId: id, amount: plan.amount };
    case "creditPending": {
      const auction = auctionAt(plan.auction);
      return {
        op: "creditPending",
        currency: auction.currency,
        transferId: `payout:${id}`,
        auctionId: auction.id,
        amount: plan.amount,
      };
    }
    case "releasePending": {
      const currency = currencyAt(plan.currency);
      const amount = share(wallet.balance(currency).pendingPayout, plan.quarters);
      return { op: "releasePending", currency, transferId: `release:${id}`, auctionId: "a9", amount };
    }
  }
}

/** What the object does with an instruction: load, call the rule, persist. */
function run(instruction: Instruction, wallet: ModelWallet): Change | Refusal {
  const now = wallet.now;
  switch (instruction.op) {
    case "credit":
      return credit(wallet.balance(instruction.currency), instruction);
    case "debit":
      return debit(wallet.balance(instruction.currency), { ...instruction, kind: "adjustment" });
    case "reserve":
      return reserveHold(wallet.balance(instruction.currency), wallet.activeHoldFor(instruction.auctionId), {
        ...instruction,
        now,
      });
    case "sweep":
      return expireDueHolds(wallet.balance(instruction.currency), [...wallet.holds.values()], now);
    case "withdraw":
      return requestWithdrawal(wallet.balance(instruction.currency), { ...instruction, now });
    case "creditPending":
      return creditPending(wallet.balance(instruction.currency), instruction);
    case "releasePending":
      return releasePending(wallet.balance(instruction.currency), instruction);
  }
  const hold = wallet.holds.get(instruction.holdId);
  if (!hold) throw new Error(`the model lost hold ${instruction.holdId}`);
  const balance = wallet.balance(hold.currency);
  switch (instruction.op) {
    case "settle":
      return settleHold(balance, hold, { keep: instruction.keep, version: instruction.version, now });
    case "post":
      return postHold(balance, hold, { amount: instruction.amount, now });
    case "expire":
      return expireHold(balance, hold, now);
    case "complete":
    case "reject":
      // Only withdrawal holds reach an admin's withdrawal queue.
      if (hold.purpose !== "withdrawal")
        return settleHold(balance, hold, { keep: hold.amount, version: null, now });
      return instruction.op === "complete"
        ? completeWithdrawal(balance, hold, { now })
        : rejectWithdrawal(balance, hold, { now });
  }
}

/** The object expires whatever is overdue before a late copy arrives, so a copy is judged on its own. */
function sweepAll(wallet: ModelWallet): void {
  for (const currency of CURRENCIES) {
    wallet.persist(expireDueHolds(wallet.balance(currency), [...wallet.holds.values()], wallet.now));
  }
}

function expectHealthy(wallet: ModelWallet): void {
  expect(checkWallet(wallet.state())).toEqual([]);
  const ledger = wallet.ledger();
  for (const currency of CURRENCIES) {
    const own = wallet.balance(currency);
    const counterparties = [...ledger]
      .filter(([account, row]) => row.currency === currency && !account.startsWith("user:"))
      .reduce((sum, [, row]) => sum + row.balance, 0);
    // Conservation: what the user owns is exactly what left external and the escrows.
    expect(own.available + own.held + own.pendingPayout + counterparties).toBe(0);
    // Readers and the sweep agree on what expiry does.
    const holds = [...wallet.holds.values()];
    const sweep = expireDueHolds(own, holds, wallet.now);
    expect(effectiveBalance(own, holds, wallet.now)).toEqual(sweep.balance);
  }
}

const resolvedHolds = (wallet: ModelWallet) =>
  new Map(
    [...wallet.holds]
      .filter(([, hold]) => hold.status !== "active")
      .map(([id, hold]) => [id, JSON.stringify(hold)]),
  );

function replay(
  plans: readonly Plan[],
  onStep: (wallet: ModelWallet, step: StepRecord) => void,
): ModelWallet {
  const wallet = new ModelWallet("u1");
  const deliveries: Delivery[] = [];
  plans.forEach((plan, serial) => {
    if (plan.op === "tick") {
      wallet.now += plan.ms;
      return;
    }
    let redelivered: Delivery | null = null;
    let instruction: Instruction | null;
    if (plan.op === "redeliver") {
      // Mostly one of the last few instructions (a retry, a queue redelivery), sometimes any.
      const span = plan.pick.anyHold ? deliveries.length : Math.min(6, deliveries.length);
      redelivered = deliveries[deliveries.length - 1 - (plan.pick.index % Math.max(1, span))] ?? null;
      if (!redelivered) return;
      sweepAll(wallet);
      instruction = redelivered.instruction;
    } else {
      instruction = resolve(plan, wallet, serial);
    }
    if (!instruction) return;
    const before = wallet.snapshot();
    const resolvedBefore = resolvedHolds(wallet);
    const result = run(instruction, wallet);
    const persisted = wallet.persist(result);
    if (!redelivered) deliveries.push({ instruction, first: persisted });
    onStep(wallet, { instruction, result, persisted, before, resolvedBefore, redelivered });
  });
  return wallet;
}

interface StepRecord {
  instruction: Instruction;
  result: Change | Refusal;
  persisted: Persisted;
  before: string;
  resolvedBefore: Map<string, string>;
  redelivered: Delivery | null;
}

// "max": lengths spread up to maxLength (the default size keeps arrays to about a dozen steps).
const plansArb = fc.array(planArb, { minLength: 1, maxLength: 80, size: "max" });

describe("the wallet over random instruction sequences", () => {
  it("stays healthy after every step: checkWallet finds nothing, money is conserved, readers agree with the sweep", () => {
    fc.assert(fc.property(plansArb, (plans) => void replay(plans, (wallet) => expectHealthy(wallet))));
  });

  it("a refused instruction changes nothing", () => {
    fc.assert(
      fc.property(
        plansArb,
        (plans) =>
          void replay(plans, (wallet, step) => {
            if (step.persisted === "refused") expect(wallet.snapshot()).toBe(step.before);
          }),
      ),
    );
  });

  it("a hold, once resolved, never changes again and never gets a second transfer", () => {
    fc.assert(
      fc.property(
        plansArb,
        (plans) =>
          void replay(plans, (wallet, step) => {
            for (const [id, hold] of step.resolvedBefore)
              expect(JSON.stringify(wallet.holds.get(id))).toBe(hold);
            const resolutions = [...wallet.transfers.values()].filter((t) =>
              ["hold_void", "hold_expire", "payment", "withdrawal"].includes(t.kind),
            );
            expect(new Set(resolutions.map((t) => t.holdId)).size).toBe(resolutions.length);
          }),
      ),
    );
  });

  it("a second delivery of an instruction that was applied changes nothing", () => {
    fc.assert(
      fc.property(
        plansArb,
        (plans) =>
          void replay(plans, (wallet, step) => {
            if (step.redelivered?.first !== "applied") return;
            // A settle without a version means "lower whatever is current": by design not
            // idempotent, so it is only for a caller that is not redelivered. Versioned ones are.
            const { instruction } = step.redelivered;
            if (instruction.op === "settle" && instruction.version === null) return;
            expect(step.persisted).not.toBe("applied");
            expect(wallet.snapshot()).toBe(step.before);
          }),
      ),
    );
  });

  it("a late copy of a versioned settle never changes anything, so it cannot undo a newer raise", () => {
    fc.assert(
      fc.property(
        plansArb,
        (plans) =>
          void replay(plans, (wallet, step) => {
            const { instruction, redelivered } = step;
            if (!redelivered || instruction.op !== "settle" || instruction.version === null) return;
            expect(wallet.snapshot()).toBe(step.before);
          }),
      ),
    );
  });

  it("exercises every path: the sequences reach each effect and refusal", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        plansArb,
        (plans) =>
          void replay(plans, (_wallet, step) => {
            seen.add(
              step.result.ok
                ? `${step.instruction.op}:${step.result.effect}`
                : `${step.instruction.op}:${step.result.code}`,
            );
            if (step.redelivered) seen.add(`redeliver:${step.persisted}`);
          }),
      ),
      { numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        "debit:INSUFFICIENT_FUNDS",
        "expire:expired",
        "expire:not_due",
        "post:EXCEEDS_HOLD",
        "post:already_resolved",
        "post:applied",
        "post:expired",
        "redeliver:conflict",
        "redeliver:duplicate",
        "reject:applied",
        "reject:already_resolved",
        "complete:applied",
        "complete:already_resolved",
        "reserve:INSUFFICIENT_FUNDS",
        "reserve:applied",
        "reserve:unchanged",
        "settle:already_resolved",
        "settle:applied",
        "settle:expired",
        "settle:stale_version",
        "settle:unchanged",
        "sweep:applied",
        "sweep:unchanged",
        "withdraw:applied",
        "releasePending:INSUFFICIENT_PENDING",
      ]),
    );
  });
});
