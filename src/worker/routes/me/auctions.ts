import { createRoute, z } from "@hono/zod-openapi";
import { catalogPage } from "../../catalog-view";
import { currentUser, requireUser } from "../../middleware/auth";
import { bearerSecurity, createRouter, jsonContent, problems } from "../../openapi";
import { AuctionPage, AuctionStatusFilter, PageQuery } from "../../schemas/auction";

const myAuctions = createRoute({
  method: "get",
  path: "/auctions",
  tags: ["Auctions"],
  summary: "My listings",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  request: { query: z.object({ status: AuctionStatusFilter, ...PageQuery }) },
  responses: { 200: jsonContent(AuctionPage, "A page of my auctions, newest first"), ...problems(400, 401) },
});

/** `/me/auctions`: the caller's own listings, from the catalog. */
export const myAuctionsRouter = createRouter().openapi(myAuctions, async (c) => {
  const { status, limit, cursor } = c.req.valid("query");
  const me = currentUser(c);
  const page = await catalogPage(
    c.env.DB,
    { status, sellerId: me.id, sort: "newest" },
    { limit, cursor, viewerId: me.id },
  );
  return c.json(page, 200);
});
