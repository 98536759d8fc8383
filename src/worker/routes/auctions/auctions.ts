import { createRoute, z } from "@hono/zod-openapi";
import { type CatalogSort, upsertCatalog } from "../../../db/queries/catalog";
import type { NewAuction } from "../../../durable/auction-room/state";
import { auctionTermErrors } from "../../../durable/auction-terms";
import { CATALOG_SORTS } from "../../../shared/catalog-sorts";
import { idFromSeed, newId, sha256Hex } from "../../../shared/crypto";
import { catalogPage } from "../../catalog-view";
import { ApiError } from "../../errors";
import { requireOwnPhotos } from "../../media/owned-photos";
import { currentUser, requireActiveUser, requireUser } from "../../middleware/auth";
import {
  createRouter,
  IdempotencyKeyHeader,
  jsonContent,
  optionalSessionSecurity,
  problem,
  problems,
  sessionSecurity,
} from "../../openapi";
import { auctionNotFound, roomError } from "../../room-failure";
import { auctionRoom } from "../../room-stub";
import {
  AuctionIdParam,
  AuctionPage,
  AuctionSchema,
  AuctionStatusFilter,
  CreateAuctionBody,
  PageQuery,
  PatchAuctionBody,
} from "../../schemas/auction";
import { userText } from "../../schemas/text";

const MAX_START_SKEW_MS = 5 * 60 * 1000;

const ListQuery = z.object({
  status: AuctionStatusFilter,
  q: userText({ min: 1, max: 100, trim: true }).optional(),
  category: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/)
    .optional(),
  sellerId: z.string().max(64).optional(),
  sort: z.enum(CATALOG_SORTS).default("newest"),
  ...PageQuery,
});

const createAuction = createRoute({
  method: "post",
  path: "/",
  operationId: "createAuction",
  tags: ["Auctions"],
  summary: "List an item for auction",
  description: "A suspended account cannot list: 403 ACCOUNT_SUSPENDED.",
  security: sessionSecurity,
  middleware: [requireActiveUser] as const,
  request: {
    headers: IdempotencyKeyHeader,
    body: { required: true, content: { "application/json": { schema: CreateAuctionBody } } },
  },
  responses: {
    201: {
      ...jsonContent(AuctionSchema, "The new auction (as its seller sees it)"),
      headers: z.object({ Location: z.string() }),
    },
    ...problems(400, 401, 403, 413),
    422: problem(
      "`VALIDATION_FAILED` with `errors[]`; `UPLOAD_NOT_OWNED`: an `imageUrls` entry is a `/media/…` address of someone else's upload (or of none), on `imageUrls.<index>`.",
    ),
  },
});

const getAuction = createRoute({
  method: "get",
  path: "/{id}",
  operationId: "getAuction",
  security: optionalSessionSecurity,
  tags: ["Auctions"],
  summary: "One auction, strongly consistent",
  request: { params: AuctionIdParam },
  responses: { 200: jsonContent(AuctionSchema, "The auction"), ...problems(404) },
});

const listAuctions = createRoute({
  method: "get",
  path: "/",
  operationId: "listAuctions",
  security: optionalSessionSecurity,
  tags: ["Auctions"],
  summary: "Browse and search auctions",
  description: "Served from the catalog projection, which may lag the auction itself by about a second.",
  request: { query: ListQuery },
  responses: { 200: jsonContent(AuctionPage, "A page of auctions"), ...problems(400) },
});

const patchAuction = createRoute({
  method: "patch",
  path: "/{id}",
  operationId: "updateAuction",
  tags: ["Auctions"],
  summary: "Edit an auction (seller only)",
  description: "Text fields until the auction closes; prices, times and softClose only before the first bid.",
  security: sessionSecurity,
  middleware: [requireUser] as const,
  request: {
    params: AuctionIdParam,
    body: { required: true, content: { "application/json": { schema: PatchAuctionBody } } },
  },
  responses: {
    200: jsonContent(AuctionSchema, "The updated auction"),
    ...problems(400, 401, 403, 404, 409),
    422: problem(
      "`VALIDATION_FAILED` with `errors[]`; `UPLOAD_NOT_OWNED`: an `imageUrls` entry is a `/media/…` address that is not one of your uploads, on `imageUrls.<index>`.",
    ),
  },
});

const cancelAuction = createRoute({
  method: "delete",
  path: "/{id}",
  operationId: "cancelAuction",
  tags: ["Auctions"],
  summary: "Cancel an auction (seller only, no bids yet)",
  security: sessionSecurity,
  middleware: [requireUser] as const,
  request: { params: AuctionIdParam },
  responses: { 200: jsonContent(AuctionSchema, "The cancelled auction"), ...problems(401, 403, 404, 409) },
});

const pingRoom = createRoute({
  method: "get",
  path: "/{id}/ping",
  operationId: "pingAuctionRoom",
  tags: ["Auctions"],
  summary: "Round trip to the auction's room",
  description:
    "Answers from the auction's Durable Object without reading its state: for latency and clock-offset checks. " +
    "With `wallet=true` it first asks your own Wallet the same way (`walletTime`): the two object calls a bid " +
    "makes in a row when funds are required, without their writes — the floor of such a bid's latency.",
  security: sessionSecurity,
  middleware: [requireUser] as const,
  request: {
    params: AuctionIdParam,
    query: z.object({ wallet: z.enum(["true", "false"]).optional() }),
  },
  responses: {
    200: jsonContent(
      z.object({ serverTime: z.string(), walletTime: z.string().optional() }).openapi("Pong"),
      "Pong",
    ),
    ...problems(400, 401, 404),
  },
});

const toMs = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/** `/auctions` and `/auctions/{id}`: list, browse, read, edit and cancel an auction; ping its room. */
export const auctionRouter = createRouter()
  .openapi(createAuction, async (c) => {
    const me = currentUser(c);
    const body = c.req.valid("json");
    const idempotencyKey = c.req.valid("header")["idempotency-key"];
    const now = Date.now();

    const requestedStart = toMs(body.startsAt);
    if (requestedStart !== undefined && requestedStart < now - MAX_START_SKEW_MS) {
      throw new ApiError("VALIDATION_FAILED", "startsAt must not be in the past.", {
        errors: [{ path: "startsAt", message: "must not be in the past" }],
      });
    }
    // A start a little in the past is clock skew: start now.
    const startsAt = Math.max(requestedStart ?? now, now);
    const endsAt = toMs(body.endsAt) ?? startsAt + (body.durationSeconds ?? 0) * 1000;
    const softClose =
      body.softClose === null
        ? null
        : {
            windowSeconds: body.softClose?.windowSeconds ?? 300,
            extendSeconds: body.softClose?.extendSeconds ?? 300,
            hardEndsAt: toMs(body.softClose?.hardEndsAt) ?? null,
          };
    const terms = {
      currency: body.currency,
      startingPrice: body.startingPrice,
      reservePrice: body.reservePrice ?? null,
      buyNowPrice: body.buyNowPrice ?? null,
      minIncrement: body.minIncrement ?? null,
      startsAt,
      endsAt,
      softClose,
    };
    const errors = auctionTermErrors(terms, now);
    if (errors.length > 0) {
      throw new ApiError(
        "VALIDATION_FAILED",
        `Invalid auction: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`,
        { errors },
      );
    }

    await requireOwnPhotos(c.env.DB, me.id, body.imageUrls);

    // With a key, the id is derived from (seller, key): a retry after a crash reaches the same
    // AuctionRoom, which answers its first reply instead of creating a second auction.
    const id = idempotencyKey ? await idFromSeed("auc", `${me.id}:${idempotencyKey}`) : newId("auc");
    const input: NewAuction = {
      id,
      sellerId: me.id,
      sellerNickname: me.nickname,
      title: body.title,
      description: body.description,
      category: body.category ?? null,
      imageUrls: body.imageUrls,
      ...terms,
      createdAt: now,
    };
    const requestHash = await sha256Hex(JSON.stringify(body));
    const result = await c.env.AUCTION_ROOM.getByName(id).create(input, requestHash);
    if (!result.ok) throw roomError(result);
    // The room is the source of truth, and the broker projects its `auction.created` event into
    // the catalog with this same seq-guarded upsert (it changes nothing if this write landed).
    // Writing the row here as well makes a new listing visible at once, not a queue trip later.
    await upsertCatalog(c.env.DB, id, 1, result.catalog).run();
    c.header("Location", `/api/v1/auctions/${id}`);
    return c.json(AuctionSchema.parse(result.view), 201);
  })
  .openapi(getAuction, async (c) => {
    const view = await auctionRoom(c.env, c.req.valid("param").id).snapshot(c.get("user")?.id ?? null);
    if (!view) throw auctionNotFound();
    return c.json(AuctionSchema.parse(view), 200);
  })
  .openapi(listAuctions, async (c) => {
    const { sort, limit, cursor, ...filters } = c.req.valid("query");
    const viewerId = c.get("user")?.id ?? null;
    return c.json(
      await catalogPage(
        c.env.DB,
        { ...filters, sort: sort satisfies CatalogSort },
        { limit, cursor, viewerId },
      ),
      200,
    );
  })
  .openapi(patchAuction, async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const { startsAt, endsAt, softClose, ...rest } = c.req.valid("json");
    // Checked against the caller: only the seller's edit can succeed (the room refuses anyone
    // else's with 403), so for every edit that lands the caller's uploads are the seller's.
    if (rest.imageUrls !== undefined) await requireOwnPhotos(c.env.DB, me.id, rest.imageUrls);
    const result = await auctionRoom(c.env, id).update(me.id, {
      ...rest,
      ...(startsAt !== undefined ? { startsAt: Date.parse(startsAt) } : {}),
      ...(endsAt !== undefined ? { endsAt: Date.parse(endsAt) } : {}),
      ...(softClose !== undefined
        ? {
            softClose: softClose && {
              windowSeconds: softClose.windowSeconds,
              extendSeconds: softClose.extendSeconds,
              hardEndsAt: toMs(softClose.hardEndsAt) ?? null,
            },
          }
        : {}),
    });
    if (!result.ok) throw roomError(result);
    return c.json(AuctionSchema.parse(result.view), 200);
  })
  .openapi(cancelAuction, async (c) => {
    const result = await auctionRoom(c.env, c.req.valid("param").id).cancel(currentUser(c).id);
    if (!result.ok) throw roomError(result);
    return c.json(AuctionSchema.parse(result.view), 200);
  })
  .openapi(pingRoom, async (c) => {
    const me = currentUser(c);
    // One call after the other, as a funded bid makes them (with-funds.ts).
    const wallet = c.req.valid("query").wallet === "true" ? await c.env.WALLET.getByName(me.id).ping() : null;
    const { serverTime } = await auctionRoom(c.env, c.req.valid("param").id).ping();
    return c.json(
      {
        serverTime: new Date(serverTime).toISOString(),
        ...(wallet ? { walletTime: new Date(wallet.serverTime).toISOString() } : {}),
      },
      200,
    );
  });
