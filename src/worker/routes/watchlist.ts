import { createRoute, z } from "@hono/zod-openapi";
import { catalogAuction } from "../catalog-query";
import { decodeCursor, encodeCursor } from "../cursor";
import { currentUser, requireUser } from "../middleware/auth";
import { bearerSecurity, createRouter, jsonContent, problems } from "../openapi";
import { auctionNotFound } from "../room-failure";
import { AUCTION_ID_PATTERN, AuctionIdParam, AuctionSchema, PageQuery, pageOf } from "../schemas/auction";

const watch = createRoute({
  method: "put",
  path: "/auctions/{id}/watch",
  tags: ["Watchlist"],
  summary: "Watch an auction",
  description: "Idempotent. Watchers are told when the auction is ending soon or cancelled.",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  request: { params: AuctionIdParam },
  responses: { 204: { description: "Watching" }, ...problems(401, 404) },
});

const unwatch = createRoute({
  method: "delete",
  path: "/auctions/{id}/watch",
  tags: ["Watchlist"],
  summary: "Stop watching an auction",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  request: { params: AuctionIdParam },
  responses: { 204: { description: "Not watching" }, ...problems(401) },
});

const watchlist = createRoute({
  method: "get",
  path: "/me/watchlist",
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

export const watchlistRouter = createRouter()
  .openapi(watch, async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    // The catalog row is written when the auction is created, so it is a sound existence check.
    const exists =
      AUCTION_ID_PATTERN.test(id) &&
      (await c.env.DB.prepare("SELECT 1 FROM auctions WHERE id = ?").bind(id).first());
    if (!exists) throw auctionNotFound();
    await c.env.DB.prepare(
      "INSERT INTO watchers (user_id, auction_id, created_at) VALUES (?, ?, ?) ON CONFLICT(user_id, auction_id) DO NOTHING",
    )
      .bind(me.id, id, Date.now())
      .run();
    return c.body(null, 204);
  })
  .openapi(unwatch, async (c) => {
    await c.env.DB.prepare("DELETE FROM watchers WHERE user_id = ? AND auction_id = ?")
      .bind(currentUser(c).id, c.req.valid("param").id)
      .run();
    return c.body(null, 204);
  })
  .openapi(watchlist, async (c) => {
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
