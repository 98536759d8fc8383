import { createRoute, z } from "@hono/zod-openapi";
import { catalogAuction } from "../../catalog-query";
import { decodeCursor, encodeCursor } from "../../cursor";
import { currentUser, requireUser } from "../../middleware/auth";
import { bearerSecurity, createRouter, jsonContent, problems } from "../../openapi";
import { AuctionSchema, PageQuery, pageOf } from "../../schemas/auction";

const watchlist = createRoute({
  method: "get",
  path: "/watchlist",
  tags: ["Watchlist"],
  summary: "Auctions I watch, most recently watched first",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  request: { query: z.object(PageQuery) },
  responses: {
    200: jsonContent(pageOf(AuctionSchema, "WatchlistPage"), "A page of auctions"),
    ...problems(400, 401),
  },
});

/** `/me/watchlist`: the auctions the caller watches (set with PUT /auctions/{id}/watch). */
export const watchlistRouter = createRouter().openapi(watchlist, async (c) => {
  const me = currentUser(c);
  const { limit, cursor } = c.req.valid("query");
  const after = decodeCursor(cursor);
  const { results } = await c.env.DB.prepare(
    `SELECT w.auction_id, w.created_at, a.leader_id, a.summary FROM watchers w JOIN auctions a ON a.id = w.auction_id
     WHERE w.user_id = ?1 ${after ? "AND (w.created_at < ?2 OR (w.created_at = ?2 AND w.auction_id < ?3))" : ""}
     ORDER BY w.created_at DESC, w.auction_id DESC LIMIT ?4`,
  )
    .bind(me.id, after?.[0] ?? 0, after?.[1] ?? "", limit + 1)
    .all<{ auction_id: string; created_at: number; leader_id: string | null; summary: string }>();
  const page = results.slice(0, limit);
  const serverTime = new Date().toISOString();
  const items = page.map((row) => catalogAuction(row, me.id, serverTime));
  const last = page.at(-1);
  return c.json(
    {
      items,
      nextCursor: results.length > limit && last ? encodeCursor(last.created_at, last.auction_id) : null,
    },
    200,
  );
});
