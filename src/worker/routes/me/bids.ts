import { createRoute, z } from "@hono/zod-openapi";
import { catalogAuction } from "../../catalog-query";
import { decodeCursor, encodeCursor } from "../../cursor";
import { currentUser, requireUser } from "../../middleware/auth";
import { bearerSecurity, createRouter, jsonContent, problems } from "../../openapi";
import { AuctionSchema, PageQuery, pageOf } from "../../schemas/auction";

const MyBidSchema = z
  .object({
    state: z.enum(["leading", "outbid", "won", "lost"]),
    lastBidAt: z.string(),
    auction: AuctionSchema,
  })
  .openapi("MyBid");

const myBids = createRoute({
  method: "get",
  path: "/bids",
  tags: ["Bidding"],
  summary: "Auctions I bid on, with my state",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  request: { query: z.object(PageQuery) },
  responses: {
    200: jsonContent(pageOf(MyBidSchema, "MyBidPage"), "A page, most recent bid first"),
    ...problems(400, 401),
  },
});

/** `/me/bids`: the auctions the caller bid on, from the bidders projection. */
export const myBidsRouter = createRouter().openapi(myBids, async (c) => {
  const me = currentUser(c);
  const { limit, cursor } = c.req.valid("query");
  const after = decodeCursor(cursor);
  const { results } = await c.env.DB.prepare(
    `SELECT b.auction_id, b.last_bid_at, a.status, a.leader_id, a.winner_id, a.summary
     FROM auction_bidders b JOIN auctions a ON a.id = b.auction_id
     WHERE b.user_id = ?1 ${after ? "AND (b.last_bid_at < ?2 OR (b.last_bid_at = ?2 AND b.auction_id < ?3))" : ""}
     ORDER BY b.last_bid_at DESC, b.auction_id DESC LIMIT ?4`,
  )
    .bind(me.id, after?.[0] ?? 0, after?.[1] ?? "", limit + 1)
    .all<{
      auction_id: string;
      last_bid_at: number;
      status: string;
      leader_id: string | null;
      winner_id: string | null;
      summary: string;
    }>();
  const page = results.slice(0, limit);
  const serverTime = new Date().toISOString();
  const items = page.map((row) => {
    const finished = row.status === "closed" || row.status === "cancelled";
    const state = finished
      ? row.winner_id === me.id
        ? "won"
        : "lost"
      : row.leader_id === me.id
        ? "leading"
        : "outbid";
    const auction = catalogAuction(row, me.id, serverTime);
    return { state, lastBidAt: new Date(row.last_bid_at).toISOString(), auction } as const;
  });
  const last = page.at(-1);
  return c.json(
    {
      items,
      nextCursor: results.length > limit && last ? encodeCursor(last.last_bid_at, last.auction_id) : null,
    },
    200,
  );
});
