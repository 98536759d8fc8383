import { z } from "@hono/zod-openapi";

const Instant = z.string().openapi({ example: "2026-11-25T12:00:00.000Z" });

/** A second-chance offer as the seller, the bidder it was made to or an administrator sees it. */
export const SecondChanceOfferSchema = z
  .object({
    auctionId: z.string(),
    bidderHandle: z.string().openapi({
      description: "The bidder's public handle in the bid history; the seller never learns more.",
      example: "b***2",
    }),
    yourRole: z.enum(["seller", "bidder", "admin"]),
    price: z
      .number()
      .int()
      .openapi({ description: "The bidder's highest bid in the history (minor units)." }),
    currency: z.string(),
    status: z.enum(["open", "accepted", "declined", "expired"]).openapi({
      description: "As of now: an open offer past `expiresAt` is expired.",
    }),
    offeredAt: Instant,
    expiresAt: Instant.openapi({ description: "48 hours after the offer: accept or decline before then." }),
    decidedAt: Instant.nullable(),
    orderId: z.string().nullable().openapi({ description: "The order an acceptance opened." }),
  })
  .openapi("SecondChanceOffer");

export const SecondChanceBody = z
  .strictObject({
    bidderHandle: z
      .string()
      .regex(/^b\*\*\*[1-9][0-9]{0,8}$/, "a bidder's handle from the bid history, like b***2")
      .openapi({ example: "b***2" }),
  })
  .openapi("SecondChanceRequest");
