import { z } from "@hono/zod-openapi";
import { MAX_MONEY } from "../../durable/auction-terms";
import { ImageUrl } from "./photo";
import { userText } from "./text";

/** Supported ISO 4217 codes, from the runtime's Intl data. */
const ISO_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

export const Money = z.number().int("must be an integer in the currency's minor unit").min(1).max(MAX_MONEY);
const Instant = z.iso.datetime({ offset: true }).openapi({ format: "date-time" });

export const AuctionIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "auc_3k9x0c2m4q8r1v7w5z6y" }),
});

/** Ids the worker issues; anything else is answered 404 without waking a Durable Object. */
export const AUCTION_ID_PATTERN = /^auc_[0-9a-z]{20}$/;

export const SoftCloseInput = z
  .strictObject({
    windowSeconds: z.number().int().min(1).max(86_400),
    extendSeconds: z.number().int().min(1).max(86_400),
    hardEndsAt: Instant.optional(),
  })
  .openapi("SoftCloseInput");

const textFields = {
  title: userText({ min: 1, max: 100, trim: true }),
  description: userText({ max: 5000, multiline: true }),
  category: z.string().regex(/^[a-z0-9-]{1,32}$/, "a slug of a–z, 0–9 and -, 1–32 characters"),
  imageUrls: z.array(ImageUrl).max(10),
};

export const CreateAuctionBody = z
  .strictObject({
    title: textFields.title,
    description: textFields.description.default(""),
    category: textFields.category.optional(),
    imageUrls: textFields.imageUrls.default([]),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as KRW")
      .refine((code) => ISO_CURRENCIES.has(code), "not an ISO 4217 currency")
      .default("KRW"),
    startingPrice: Money,
    reservePrice: Money.optional(),
    buyNowPrice: Money.optional(),
    minIncrement: Money.optional(),
    startsAt: Instant.optional(),
    endsAt: Instant.optional(),
    durationSeconds: z
      .number()
      .int()
      .min(10)
      .max(30 * 86_400)
      .optional(),
    softClose: SoftCloseInput.nullable().optional(),
  })
  .refine((b) => (b.endsAt === undefined) !== (b.durationSeconds === undefined), {
    message: "give exactly one of endsAt and durationSeconds",
    path: ["durationSeconds"],
  })
  .openapi("CreateAuction");

export const PatchAuctionBody = z
  .strictObject({
    title: textFields.title.optional(),
    description: textFields.description.optional(),
    category: textFields.category.nullable().optional(),
    imageUrls: textFields.imageUrls.optional(),
    startingPrice: Money.optional(),
    reservePrice: Money.nullable().optional(),
    buyNowPrice: Money.nullable().optional(),
    minIncrement: Money.nullable().optional(),
    startsAt: Instant.optional(),
    endsAt: Instant.optional(),
    softClose: SoftCloseInput.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "nothing to change" })
  .openapi("PatchAuction");

const nullableIso = z.string().nullable();

export const AuctionSchema = z
  .object({
    id: z.string(),
    sellerId: z.string(),
    seller: z.object({ id: z.string(), nickname: z.string() }),
    title: z.string(),
    description: z.string(),
    category: z.string().nullable(),
    imageUrls: z.array(z.string()),
    currency: z.string(),
    startingPrice: z.number().int(),
    reservePrice: z
      .number()
      .int()
      .nullable()
      .optional()
      .openapi({ description: "Only shown to the seller." }),
    buyNowPrice: z.number().int().nullable(),
    minIncrement: z.number().int().nullable(),
    startsAt: z.string(),
    endsAt: z.string(),
    softClose: z
      .object({ windowSeconds: z.number().int(), extendSeconds: z.number().int(), hardEndsAt: nullableIso })
      .nullable(),
    status: z.enum(["scheduled", "open", "closed", "cancelled"]),
    outcome: z.enum(["sold", "unsold"]).nullable(),
    endedBy: z.enum(["time", "buy_now"]).nullable(),
    currentPrice: z.number().int(),
    bidCount: z.number().int(),
    leader: z.object({ handle: z.string() }).nullable(),
    leaderIsYou: z.boolean(),
    minimumNextBid: z.number().int(),
    reserveMet: z.boolean(),
    buyNowAvailable: z.boolean(),
    extendedCount: z.number().int(),
    winnerId: z.string().nullable(),
    serverTime: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Auction");

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
}

/** The catalog's filter on status: `GET /auctions` and `GET /me/auctions`. */
export const AuctionStatusFilter = z.enum(["scheduled", "open", "closed", "cancelled"]).optional();

export const AuctionPage = pageOf(AuctionSchema, "AuctionPage");

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
};
