import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type Keyset, pastKeyset } from "../keyset";
import { auctions, watchers } from "../schema";

/** Idempotent: watching twice keeps the first time (the watchlist's order). */
export async function addWatch(
  db: D1Database,
  userId: string,
  auctionId: string,
  now: number,
): Promise<void> {
  await drizzle(db)
    .insert(watchers)
    .values({ userId, auctionId, createdAt: now })
    .onConflictDoNothing({ target: [watchers.userId, watchers.auctionId] });
}

export async function removeWatch(db: D1Database, userId: string, auctionId: string): Promise<void> {
  await drizzle(db)
    .delete(watchers)
    .where(and(eq(watchers.userId, userId), eq(watchers.auctionId, auctionId)));
}

/** The catalog rows of the auctions `userId` watches, most recently watched first, past `after`. */
export async function listWatchlist(db: D1Database, userId: string, after: Keyset | null, limit: number) {
  return drizzle(db)
    .select({
      auctionId: watchers.auctionId,
      watchedAt: watchers.createdAt,
      leaderId: auctions.leaderId,
      summary: auctions.summary,
    })
    .from(watchers)
    .innerJoin(auctions, eq(auctions.id, watchers.auctionId))
    .where(
      and(
        eq(watchers.userId, userId),
        after ? pastKeyset(watchers.createdAt, watchers.auctionId, after, "desc") : undefined,
      ),
    )
    .orderBy(desc(watchers.createdAt), desc(watchers.auctionId))
    .limit(limit)
    .all();
}
