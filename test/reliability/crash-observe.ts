import { z } from "zod";
import type { ApiClient } from "../e2e/harness";

// What the crash test reads back from a server, through the public API only: an auction's bid
// history with each entry's bidder, and every message in a user's inbox.

const historyPageSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      amount: z.number(),
      kind: z.enum(["manual", "proxy"]),
      bidder: z.object({ handle: z.string() }),
    }),
  ),
  nextCursor: z.union([z.string(), z.number()]).nullable(),
});

const inboxPageSchema = z.object({
  items: z.array(
    z.object({
      kind: z.string(),
      auctionId: z.string(),
      // No price in a wallet message (the top-up that funded a bidder); every auction message has one.
      data: z.object({ price: z.number().optional(), bidCount: z.number().optional() }).passthrough(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export type InboxItem = z.infer<typeof inboxPageSchema>["items"][number];

/** One public bid-history entry, oldest first, with the bidder it belongs to. */
export interface HistoryEntry {
  id: string;
  amount: number;
  kind: "manual" | "proxy";
  bidderId: string;
}

export interface Viewer {
  id: string;
  token: string;
}

async function historyAs(
  client: ApiClient,
  auctionId: string,
  token: string | undefined,
): Promise<z.infer<typeof historyPageSchema>["items"]> {
  const items: z.infer<typeof historyPageSchema>["items"] = [];
  let cursor: string | number | null = null;
  do {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(String(cursor))}`;
    const res = await client.get(`/api/v1/auctions/${auctionId}/bids?limit=100${query}`, { token });
    if (res.status !== 200)
      throw new Error(`history of ${auctionId}: ${res.status} ${JSON.stringify(res.body)}`);
    const page = historyPageSchema.parse(res.body);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

/**
 * The auction's whole history, oldest first. Handles are anonymous, so each bidder reads it too:
 * the entries shown to them as "you" are theirs. Throws on an entry no bidder claims.
 */
export async function historyWithBidders(
  client: ApiClient,
  auctionId: string,
  bidders: readonly Viewer[],
): Promise<HistoryEntry[]> {
  const owner = new Map<string, string>();
  for (const bidder of bidders) {
    for (const item of await historyAs(client, auctionId, bidder.token)) {
      if (item.bidder.handle === "you") owner.set(item.id, bidder.id);
    }
  }
  return (await historyAs(client, auctionId, undefined)).reverse().map((item) => {
    const bidderId = owner.get(item.id);
    if (bidderId === undefined) throw new Error(`no bidder claims history entry ${item.id}`);
    return { id: item.id, amount: item.amount, kind: item.kind, bidderId };
  });
}

/** Every message in the user's inbox, newest first. */
export async function wholeInbox(client: ApiClient, token: string): Promise<InboxItem[]> {
  const items: InboxItem[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
    const res = await client.get(`/api/v1/me/inbox?limit=100${query}`, { token });
    if (res.status !== 200) throw new Error(`inbox: ${res.status} ${JSON.stringify(res.body)}`);
    const page = inboxPageSchema.parse(res.body);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}

/**
 * A message as a comparable key. A bid's messages carry the auction's bid count at that bid, which
 * names the bid.placed event they came from; other kinds come at most once per auction.
 */
export function messageKey(userId: string, item: InboxItem): string {
  const bid = item.kind === "outbid" || item.kind === "bid_received";
  return `${userId} ${item.auctionId} ${item.kind} ${bid ? `#${item.data.bidCount} @${item.data.price}` : ""}`;
}

/**
 * The bid messages an auction's history implies. Each manual entry is one bid.placed event whose
 * bidder becomes the leader: the seller hears of it and the leader before hears they were outbid.
 * A manual bid at or below the leader's maximum (a leader who re-bid `{}` raised it) comes with
 * that leader's proxy answer, in the same event: the seller hears once, at the proxy's price, and
 * nobody is outbid — the leader stays.
 */
export function expectedBidMessages(auctionId: string, sellerId: string, history: HistoryEntry[]): string[] {
  const keys: string[] = [];
  let leader: string | null = null;
  history.forEach((entry, i) => {
    if (entry.kind === "proxy") return;
    const answer = history[i + 1]?.kind === "proxy" ? history[i + 1] : undefined;
    const last = answer ?? entry;
    const at = `#${answer ? i + 2 : i + 1} @${last.amount}`;
    keys.push(`${sellerId} ${auctionId} bid_received ${at}`);
    if (!answer && leader !== null) keys.push(`${leader} ${auctionId} outbid ${at}`);
    leader = last.bidderId;
  });
  return keys;
}

/** The messages a sold auction's close implies: won for the last bidder, lost for the others, sold. */
export function expectedCloseMessages(
  auctionId: string,
  sellerId: string,
  history: HistoryEntry[],
): string[] {
  const winner = history.at(-1)?.bidderId;
  if (winner === undefined) throw new Error(`auction ${auctionId} has no bids`);
  const losers = new Set(history.map((e) => e.bidderId).filter((id) => id !== winner));
  return [
    `${winner} ${auctionId} auction_won `,
    ...[...losers].map((id) => `${id} ${auctionId} auction_lost `),
    `${sellerId} ${auctionId} auction_sold `,
    // The sale opens its order, paid from the winner's hold: the seller is asked to ship.
    `${sellerId} ${auctionId} order_paid `,
  ];
}
