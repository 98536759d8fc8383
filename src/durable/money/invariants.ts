import { type AccountName, userAccount, WALLET_ACCOUNTS, type WalletAccount } from "./accounts";
import type { Hold, HoldStatus } from "./hold";
import { type Balance, type Entry, isMoney, ownerAccount, type Transfer, type TransferKind } from "./ledger";

/** Everything one Wallet object stores; `entries` in the order they were written. */
export interface WalletState {
  userId: string;
  balances: readonly Balance[];
  holds: readonly Hold[];
  transfers: readonly Transfer[];
  entries: readonly Entry[];
}

export type ProblemRule =
  | "INVALID_BALANCE"
  | "NEGATIVE_BALANCE"
  | "HELD_NOT_SUM_OF_HOLDS"
  | "DUPLICATE_ACTIVE_HOLD"
  | "ENTRIES_NOT_BALANCE"
  | "BALANCE_AFTER_MISMATCH"
  | "INVALID_TRANSFER"
  | "DUPLICATE_TRANSFER"
  | "ENTRIES_NOT_TRANSFER"
  | "HOLD_NOT_RESOLVED_ONCE"
  | "HOLD_NOT_TRANSFERS";

export interface Problem {
  rule: ProblemRule;
  detail: string;
}

// The transfer that resolves a hold, by the status it leaves.
const RESOLUTION: Record<Exclude<HoldStatus, "active">, readonly TransferKind[]> = {
  posted: ["payment", "withdrawal"],
  voided: ["hold_void"],
  expired: ["hold_expire"],
};
const RESOLVING_KINDS: readonly TransferKind[] = Object.values(RESOLUTION).flat();

const keyOf = (currency: string, account: WalletAccount) => `${currency} ${account}`;

function checkBalances(state: WalletState, problems: Problem[]): void {
  for (const balance of state.balances) {
    for (const account of WALLET_ACCOUNTS) {
      const figure = balance[account];
      const detail = `${keyOf(balance.currency, account)} is ${figure}`;
      if (!Number.isSafeInteger(figure)) problems.push({ rule: "INVALID_BALANCE", detail });
      else if (figure < 0) problems.push({ rule: "NEGATIVE_BALANCE", detail });
    }
  }
  const currencies = new Set([
    ...state.balances.map((b) => b.currency),
    ...state.holds.map((h) => h.currency),
  ]);
  for (const currency of currencies) {
    const held = state.balances.find((b) => b.currency === currency)?.held ?? 0;
    const active = state.holds
      .filter((h) => h.currency === currency && h.status === "active")
      .reduce((sum, h) => sum + h.amount, 0);
    if (held !== active) {
      problems.push({
        rule: "HELD_NOT_SUM_OF_HOLDS",
        detail: `${currency} held is ${held}, active holds sum to ${active}`,
      });
    }
  }
  const activeByAuction = new Map<string, string[]>();
  for (const hold of state.holds) {
    if (hold.status !== "active" || hold.auctionId === null) continue;
    activeByAuction.set(hold.auctionId, [...(activeByAuction.get(hold.auctionId) ?? []), hold.id]);
  }
  for (const [auctionId, ids] of activeByAuction) {
    if (ids.length > 1) {
      problems.push({
        rule: "DUPLICATE_ACTIVE_HOLD",
        detail: `auction ${auctionId} has active holds ${ids.join(", ")}`,
      });
    }
  }
}

function checkEntries(state: WalletState, problems: Problem[]): void {
  const running = new Map<string, number>();
  const mismatched = new Set<string>();
  for (const entry of state.entries) {
    const key = keyOf(entry.currency, entry.account);
    const after = (running.get(key) ?? 0) + entry.amount;
    running.set(key, after);
    if (after !== entry.balanceAfter && !mismatched.has(key)) {
      mismatched.add(key);
      problems.push({
        rule: "BALANCE_AFTER_MISMATCH",
        detail: `${key}: entry of ${entry.transferId} says ${entry.balanceAfter}, the entries before it sum to ${after}`,
      });
    }
  }
  const figures = new Map<string, number>();
  for (const balance of state.balances) {
    for (const account of WALLET_ACCOUNTS) figures.set(keyOf(balance.currency, account), balance[account]);
  }
  for (const key of new Set([...figures.keys(), ...running.keys()])) {
    const [figure, sum] = [figures.get(key) ?? 0, running.get(key) ?? 0];
    if (figure !== sum)
      problems.push({
        rule: "ENTRIES_NOT_BALANCE",
        detail: `${key} is ${figure}, its entries sum to ${sum}`,
      });
  }
}

/** The entries a transfer must have produced on its owner's side, as comparable strings. */
function expectedLegs(userId: string, transfer: Transfer): string[] {
  const legs: [AccountName, number][] = [
    [transfer.debit, -transfer.amount],
    [transfer.credit, transfer.amount],
  ];
  return legs.flatMap(([name, amount]) => {
    const account = ownerAccount(userId, transfer.currency, name);
    return account === null ? [] : [`${transfer.currency} ${account} ${amount}`];
  });
}

function uniqueTransfers(state: WalletState, problems: Problem[]): Map<string, Transfer> {
  const byId = new Map<string, Transfer>();
  for (const transfer of state.transfers) {
    if (byId.has(transfer.id)) {
      problems.push({ rule: "DUPLICATE_TRANSFER", detail: `transfer ${transfer.id} is stored twice` });
      continue;
    }
    byId.set(transfer.id, transfer);
    if (transfer.debit === transfer.credit) {
      problems.push({
        rule: "INVALID_TRANSFER",
        detail: `transfer ${transfer.id} moves ${transfer.debit} to itself`,
      });
    }
    if (!isMoney(transfer.amount)) {
      problems.push({ rule: "INVALID_TRANSFER", detail: `transfer ${transfer.id} moves ${transfer.amount}` });
    }
  }
  return byId;
}

function checkTransfers(state: WalletState, transfers: Map<string, Transfer>, problems: Problem[]): void {
  const legsById = new Map<string, string[]>();
  for (const entry of state.entries) {
    if (!transfers.has(entry.transferId)) {
      problems.push({
        rule: "ENTRIES_NOT_TRANSFER",
        detail: `entry for unknown transfer ${entry.transferId}`,
      });
      continue;
    }
    const legs = legsById.get(entry.transferId) ?? [];
    legs.push(`${entry.currency} ${entry.account} ${entry.amount}`);
    legsById.set(entry.transferId, legs);
  }
  for (const transfer of transfers.values()) {
    if (transfer.debit === transfer.credit) continue;
    const expected = expectedLegs(state.userId, transfer).join(", ");
    const actual = (legsById.get(transfer.id) ?? []).join(", ");
    if (expected !== actual) {
      problems.push({
        rule: "ENTRIES_NOT_TRANSFER",
        detail: `transfer ${transfer.id} needs entries [${expected}], has [${actual}]`,
      });
    }
  }
}

function checkHolds(state: WalletState, transfers: Map<string, Transfer>, problems: Problem[]): void {
  for (const hold of state.holds) {
    const held = userAccount(state.userId, hold.currency, "held");
    const linked = [...transfers.values()].filter((t) => t.holdId === hold.id);
    const net = linked.reduce(
      (sum, t) => sum + (t.credit === held ? t.amount : 0) - (t.debit === held ? t.amount : 0),
      0,
    );
    const resolutions = linked.filter((t) => RESOLVING_KINDS.includes(t.kind));
    const { status } = hold;
    const resolvedOnce =
      status === "active"
        ? resolutions.length === 0
        : resolutions.length === 1 && resolutions.every((t) => RESOLUTION[status].includes(t.kind));
    if (!resolvedOnce) {
      problems.push({
        rule: "HOLD_NOT_RESOLVED_ONCE",
        detail: `hold ${hold.id} is ${hold.status} with resolving transfers [${resolutions.map((t) => t.id).join(", ")}]`,
      });
    }
    const expected = hold.status === "active" ? hold.amount : 0;
    if (net !== expected) {
      problems.push({
        rule: "HOLD_NOT_TRANSFERS",
        detail: `hold ${hold.id} should hold ${expected}, its transfers hold ${net}`,
      });
    }
  }
}

/**
 * Every rule the money must obey (SPEC §8), checked over a whole wallet: figures are whole and
 * never negative; held is the sum of active holds; one active hold per auction; each account's
 * entries sum to its figure and each entry's balanceAfter is the running sum; each transfer moves
 * a valid amount between two different accounts and has exactly its entries; each hold is backed
 * by its transfers and resolved exactly once. An empty list means healthy.
 */
export function checkWallet(state: WalletState): Problem[] {
  const problems: Problem[] = [];
  checkBalances(state, problems);
  checkEntries(state, problems);
  const transfers = uniqueTransfers(state, problems);
  checkTransfers(state, transfers, problems);
  checkHolds(state, transfers, problems);
  return problems;
}
