/**
 * The ledger's self-check (SPEC §9 `GET /admin/ledger/check`), pure: given every recorded leg
 * (the broker's D1 projection) and the live figures of the objects that own the accounts, what is
 * wrong. Meaningful once the queue has drained: until then a side may not have arrived.
 */
import { userAccount, WALLET_ACCOUNTS } from "./accounts";
import type { Balance } from "./ledger";

export interface RecordedLeg {
  transferId: string;
  account: string;
  /** `wallet:<userId>` or `room:<auctionId>`. */
  recordedBy: string;
  /** Signed: credit positive. */
  amount: number;
  currency: string;
}

export type LedgerProblem =
  | { code: "UNBALANCED"; transferId: string; recordedBy: string; sum: number }
  | { code: "SIDES_DISAGREE"; transferId: string; recorders: string[] }
  | { code: "SIDE_MISSING"; transferId: string; owner: string }
  | { code: "BALANCE_MISMATCH"; account: string; ledger: number; live: number }
  | { code: "ESCROW_LEFT"; account: string; balance: number }
  | { code: "EXTERNAL_MISMATCH"; currency: string; external: number; rest: number };

export interface LedgerCheck {
  ok: boolean;
  transfers: number;
  accounts: number;
  problems: LedgerProblem[];
}

/** Who must record a transfer touching `account`: its owner (external accounts have none). */
export function ownerOf(account: string): string | null {
  const [kind, id] = account.split(":");
  if (kind === "user" && id) return `wallet:${id}`;
  if (kind === "escrow" && id) return `room:${id}`;
  return null;
}

function legsKey(legs: readonly RecordedLeg[]): string {
  return legs
    .map((l) => `${l.account}=${l.amount}${l.currency}`)
    .sort()
    .join(",");
}

/**
 * `live` gives the owner's own figure for an account (a Wallet's available, held or pending, a
 * room's escrow), or undefined when the owner does not know the account; `finishedEscrows` are
 * the escrow accounts of orders that are over.
 */
export function checkLedger(
  legs: readonly RecordedLeg[],
  live: (account: string) => number | undefined,
  finishedEscrows: ReadonlySet<string>,
): LedgerCheck {
  const problems: LedgerProblem[] = [];
  const byTransfer = new Map<string, Map<string, RecordedLeg[]>>();
  for (const leg of legs) {
    const recorders = byTransfer.get(leg.transferId) ?? new Map<string, RecordedLeg[]>();
    recorders.set(leg.recordedBy, [...(recorders.get(leg.recordedBy) ?? []), leg]);
    byTransfer.set(leg.transferId, recorders);
  }
  const balances = new Map<string, { amount: number; currency: string }>();
  for (const [transferId, recorders] of byTransfer) {
    for (const [recordedBy, own] of recorders) {
      const sum = own.reduce((total, l) => total + l.amount, 0);
      if (sum !== 0 || own.length !== 2) problems.push({ code: "UNBALANCED", transferId, recordedBy, sum });
    }
    const versions = new Set([...recorders.values()].map(legsKey));
    if (versions.size > 1)
      problems.push({ code: "SIDES_DISAGREE", transferId, recorders: [...recorders.keys()] });
    // One copy of the transfer counts towards balances: every recorder's is the same, or reported above.
    const [first] = recorders.values();
    for (const leg of first ?? []) {
      const owner = ownerOf(leg.account);
      if (owner !== null && !recorders.has(owner)) problems.push({ code: "SIDE_MISSING", transferId, owner });
      const balance = balances.get(leg.account) ?? { amount: 0, currency: leg.currency };
      balances.set(leg.account, { amount: balance.amount + leg.amount, currency: leg.currency });
    }
  }
  const totals = new Map<string, { external: number; rest: number }>();
  for (const [account, { amount, currency }] of balances) {
    const total = totals.get(currency) ?? { external: 0, rest: 0 };
    if (account.startsWith("external:")) total.external += amount;
    else total.rest += amount;
    totals.set(currency, total);
    const figure = live(account);
    if (figure !== undefined && figure !== amount) {
      problems.push({ code: "BALANCE_MISMATCH", account, ledger: amount, live: figure });
    }
    if (finishedEscrows.has(account) && amount !== 0)
      problems.push({ code: "ESCROW_LEFT", account, balance: amount });
  }
  for (const [currency, { external, rest }] of totals) {
    if (external !== -rest) problems.push({ code: "EXTERNAL_MISMATCH", currency, external, rest });
  }
  return { ok: problems.length === 0, transfers: byTransfer.size, accounts: balances.size, problems };
}

/**
 * A Wallet's figures as the D1 ledger should show them: its live balances less the transfers it
 * has written but not yet handed over (an own transfer — a hold, a void — waits up to
 * LEDGER_FLUSH_SECONDS), so the check is exact as soon as the queue has drained. Keyed by account.
 */
export function recordedFigures(
  balances: readonly Balance[],
  unsent: readonly { debit: string; credit: string; amount: number }[],
): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const b of balances) {
    for (const account of WALLET_ACCOUNTS) figures[userAccount(b.userId, b.currency, account)] = b[account];
  }
  for (const t of unsent) {
    if (t.credit in figures) figures[t.credit] = (figures[t.credit] ?? 0) - t.amount;
    if (t.debit in figures) figures[t.debit] = (figures[t.debit] ?? 0) + t.amount;
  }
  return figures;
}
