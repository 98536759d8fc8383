import { createRoute } from "@hono/zod-openapi";
import { currentUser, requireUser } from "../../middleware/auth";
import { bearerSecurity, createRouter, problems } from "../../openapi";
import { auctionNotFound } from "../../room-failure";
import { AUCTION_ID_PATTERN, AuctionIdParam } from "../../schemas/auction";

const watch = createRoute({
  method: "put",
  path: "/{id}/watch",
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
  path: "/{id}/watch",
  tags: ["Watchlist"],
  summary: "Stop watching an auction",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  request: { params: AuctionIdParam },
  responses: { 204: { description: "Not watching" }, ...problems(401) },
});

/** `/auctions/{id}/watch`: watch and unwatch an auction. */
export const watchRouter = createRouter()
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
  });
