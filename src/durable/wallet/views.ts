import { type Balance, effectiveBalance, effectiveHolds, type Hold } from "../money";
import type { BalanceView, EntryPage, EntryView, WalletSummary, WithdrawalStatus } from "./results";
import type { EntryRow } from "./storage";

export function balanceView(balance: Balance): BalanceView {
  const { currency, available, held, pendingPayout } = balance;
  return { currency, available, held, pendingPayout };
}

/** The wallet as a reader sees it at `now`: overdue holds already count as released. */
export function summaryView(
  balances: readonly Balance[],
  holds: readonly Hold[],
  now: number,
): WalletSummary {
  return {
    balances: balances.map((b) => balanceView(effectiveBalance(b, holds, now))),
    holds: effectiveHolds(holds, now)
      .filter((h) => h.status === "active")
      .map((h) => ({ id: h.id, auctionId: h.auctionId, amount: h.amount, createdAt: h.createdAt })),
  };
}

function entryView(row: EntryRow): EntryView {
  return {
    id: `ent_${row.seq}`,
    transferId: row.transfer_id,
    // Our own writes of a TransferKind and a WalletAccount value.
    kind: row.kind as EntryView["kind"],
    account: row.account as EntryView["account"],
    amount: row.amount,
    currency: row.currency,
    auctionId: row.auction_id,
    balanceAfter: row.balance_after,
    createdAt: row.created_at,
  };
}

/** A page from rows fetched with one extra, which says whether more follow. */
export function entryPage(rows: readonly EntryRow[], limit: number): EntryPage {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(entryView), nextCursor: rows.length > limit && last ? last.seq : null };
}

export function withdrawalStatus(hold: Hold): WithdrawalStatus {
  if (hold.status === "posted") return "completed";
  if (hold.status === "active") return "requested";
  return "rejected";
}
