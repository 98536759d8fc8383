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
    amount: row.amount,
    kind: row.kind,
    bidder: shownBidder(row.bidderId, handleOf(handles.get(row.bidderId) ?? 0), viewerId),
    placedAt: new Date(row.placedAt).toISOString(),
  }));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > limit && last ? last.seq : null };
}

/** A bidder as the history shows them: "you" to themselves, their handle to everyone else. */
export function shownBidder(bidderId: string, handle: string, viewerId: string | null): { handle: string } {
  return { handle: bidderId === viewerId ? "you" : handle };
}
