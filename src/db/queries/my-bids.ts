import { and, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { type Keyset, pastKeyset } from "../keyset";
import { auctionBidders, auctions } from "../schema";

/** The auctions `userId` bid on with their catalog rows, most recent bid first, past `after`. */
export async function listMyBids(db: D1Database, userId: string, after: Keyset | null, limit: number) {
  return drizzle(db)
    .select({
      auctionId: auctionBidders.auctionId,
      lastBidAt: auctionBidders.lastBidAt,
      status: auctions.status,
      leaderId: auctions.leaderId,
      winnerId: auctions.winnerId,
      summary: auctions.summary,
    })
    .from(auctionBidders)
    .innerJoin(auctions, eq(auctions.id, auctionBidders.auctionId))
    .where(
      and(
        eq(auctionBidders.userId, userId),
        after ? pastKeyset(auctionBidders.lastBidAt, auctionBidders.auctionId, after, "desc") : undefined,
      ),
    )
    .orderBy(desc(auctionBidders.lastBidAt), desc(auctionBidders.auctionId))
    .limit(limit)
    .all();
}
