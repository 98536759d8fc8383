import { z } from "@hono/zod-openapi";
import { userText } from "./text";

const Instant = z.string().openapi({ example: "2026-11-25T12:00:00.000Z" });

/** An order (SPEC §8) as its buyer, its seller or an administrator sees it. */
export const OrderSchema = z
  .object({
    id: z.string().openapi({
      description:
        "The auction's id for the sale at the hammer; `<auctionId>.<n>` for a second-chance sale, the item's n-th order.",
    }),
    auctionId: z.string(),
    secondChance: z.boolean().openapi({ description: "Whether a second-chance offer opened it." }),
    status: z.enum(["paid", "shipped", "completed", "disputed", "refunded"]),
    currency: z.string(),
    price: z.number().int().openapi({ description: "What the buyer paid into escrow (minor units)." }),
    fee: z.number().int().openapi({ description: "The platform's fee, kept from the seller's payout." }),
    payout: z.number().int().openapi({ description: "What the seller receives: price − fee." }),
    buyerId: z.string(),
    sellerId: z.string(),
    yourRole: z.enum(["buyer", "seller", "admin"]),
    paidAt: Instant,
    shipBy: Instant.openapi({ description: "After this, the buyer may dispute an order not shipped." }),
    shippedAt: Instant.nullable(),
    shipment: z.object({ carrier: z.string().nullable(), trackingNumber: z.string().nullable() }).nullable(),
    autoConfirmAt: Instant.nullable().openapi({
      description: "While shipped: when the order completes by itself if the buyer says nothing.",
    }),
    completedAt: Instant.nullable(),
    disputedAt: Instant.nullable(),
    disputeReason: z.string().nullable(),
    refundedAt: Instant.nullable(),
    resolution: z
      .enum(["buyer_confirmed", "auto_confirmed", "admin_released", "admin_refunded", "seller_cancelled"])
      .nullable(),
  })
  .openapi("Order");

export const ShipBody = z
  .strictObject({
    carrier: userText({ min: 1, max: 100, trim: true }).optional(),
    trackingNumber: userText({ min: 1, max: 100, trim: true }).optional(),
  })
  .openapi("Shipment");

export const DisputeBody = z
  .strictObject({
    reason: userText({ min: 1, max: 1000, trim: true }).openapi({ example: "The lens is cracked" }),
  })
  .openapi("Dispute");

export const ResolveBody = z
  .strictObject({
    outcome: z.enum(["refund", "release"]).openapi({
      description: "`refund`: escrow back to the buyer; `release`: the payout to the seller.",
    }),
    reason: userText({ min: 1, max: 500, trim: true }).openapi({
      description: "Why; kept in the audit log.",
    }),
  })
  .openapi("DisputeResolution");
