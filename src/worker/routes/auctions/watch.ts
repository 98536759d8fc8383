import { createRoute } from "@hono/zod-openapi";
import { catalogHas } from "../../../db/queries/catalog";
import { addWatch, removeWatch } from "../../../db/queries/watchlist";
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
    const exists = AUCTION_ID_PATTERN.test(id) && (await catalogHas(c.env.DB, id));
    if (!exists) throw auctionNotFound();
    await addWatch(c.env.DB, me.id, id, Date.now());
    return c.body(null, 204);
  })
  .openapi(unwatch, async (c) => {
    await removeWatch(c.env.DB, currentUser(c).id, c.req.valid("param").id);
    return c.body(null, 204);
  });
