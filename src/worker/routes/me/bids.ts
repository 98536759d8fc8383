import { createRoute, z } from "@hono/zod-openapi";
import { listMyBids } from "../../../db/queries/my-bids";
import { catalogAuction } from "../../catalog-view";
import { decodeCursor, keysetPage } from "../../cursor";
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
  const rows = await listMyBids(c.env.DB, me.id, decodeCursor(cursor), limit + 1);
  const serverTime = new Date().toISOString();
  const item = (row: (typeof rows)[number]) => {
    const finished = row.status === "closed" || row.status === "cancelled";
    const state = finished
      ? row.winnerId === me.id
        ? "won"
        : "lost"
      : row.leaderId === me.id
        ? "leading"
        : "outbid";
    const auction = catalogAuction(row, me.id, serverTime);
    return { state, lastBidAt: new Date(row.lastBidAt).toISOString(), auction } as const;
  };
  return c.json(
    keysetPage(rows, limit, (row) => [row.lastBidAt, row.auctionId], item),
    200,
  );
});
