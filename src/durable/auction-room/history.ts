import type { HistoryItem } from "./results";
import type { BidRow } from "./storage";
import { handleOf } from "./view";

/**
 * One page of the public bid history (SPEC §5), pure: newest first, bidders as handles, the
 * viewer's own entries as "you", no maximum ever. `rows` holds up to limit + 1 rows, the extra one
 * only telling whether there is a next page.
 */
export function historyPage(
  auctionId: string,
  rows: readonly BidRow[],
  limit: number,
  handles: ReadonlyMap<string, number>,
  viewerId: string | null,
): { items: HistoryItem[]; nextCursor: number | null } {
  const page = rows.slice(0, limit);
  const items = page.map((row) => ({
    id: `${auctionId}-${row.seq}`,
    kind: row.kind,
    ...historyRowView(row, handleOf(handles.get(row.bidderId) ?? 0), viewerId),
  }));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > limit && last ? last.seq : null };
}

/** A history row as a bid frame carries it: the history item without its id and kind. */
export type HistoryRowView = Pick<HistoryItem, "amount" | "bidder" | "placedAt">;

/**
 * One row of the history as `viewerId` sees it, in the history's pages and in bid frames alike:
 * the bidder "you" to themselves, their handle to everyone else.
 */
export function historyRowView(
  row: Pick<BidRow, "bidderId" | "amount" | "placedAt">,
  handle: string,
  viewerId: string | null,
): HistoryRowView {
  return {
    amount: row.amount,
    bidder: { handle: row.bidderId === viewerId ? "you" : handle },
    placedAt: new Date(row.placedAt).toISOString(),
  };
}
