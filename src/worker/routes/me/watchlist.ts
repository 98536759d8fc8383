import { createRoute, z } from "@hono/zod-openapi";
import { listWatchlist } from "../../../db/queries/watchlist";
import { catalogAuction } from "../../catalog-view";
import { decodeCursor, keysetPage } from "../../cursor";
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
  const rows = await listWatchlist(c.env.DB, me.id, decodeCursor(cursor), limit + 1);
  const serverTime = new Date().toISOString();
  return c.json(
    keysetPage(
      rows,
      limit,
      (row) => [row.watchedAt, row.auctionId],
      (row) => catalogAuction(row, me.id, serverTime),
    ),
    200,
  );
});
