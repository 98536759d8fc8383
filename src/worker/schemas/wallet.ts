import { z } from "@hono/zod-openapi";
import { TRANSFER_KINDS } from "../../shared/transfer-kinds";
import { Money } from "./auction";

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, "an ISO 4217 code such as KRW")
  .refine((code) => ISO_CURRENCIES.has(code), "not an ISO 4217 currency")
  .openapi({ example: "KRW" });

export const MoneyBody = z
  .strictObject({ amount: Money, currency: Currency })
  .openapi("MoneyRequest", { example: { amount: 50_000, currency: "KRW" } });

export const WalletSchema = z
  .object({
    balances: z.array(
      z.object({
        currency: z.string(),
        available: z.number().int(),
        held: z.number().int(),
        pendingPayout: z.number().int(),
      }),
    ),
    holds: z.array(
      z.object({
        id: z.string(),
        auctionId: z.string().nullable(),
        amount: z.number().int(),
        createdAt: z.string().openapi({ format: "date-time" }),
      }),
    ),
  })
  .openapi("Wallet");

export const WalletEntrySchema = z
  .object({
    id: z.string(),
    transferId: z.string(),
    kind: z.enum(TRANSFER_KINDS).openapi({ description: "What moved the money (the transfer's kind)." }),
    account: z.enum(["available", "held", "pendingPayout"]),
    amount: z.number().int().openapi({ description: "Signed, in the currency's minor unit." }),
    currency: z.string(),
    auctionId: z.string().nullable(),
    balanceAfter: z.number().int(),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("WalletEntry");

export const TopUpSchema = z
  .object({
    id: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    amount: z.number().int(),
    currency: z.string(),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("TopUp");

export const WithdrawalSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    status: z.enum(["requested", "completed", "rejected"]),
    amount: z.number().int(),
    currency: z.string(),
    createdAt: z.string().openapi({ format: "date-time" }),
    resolvedAt: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("Withdrawal");

export const iso = (ms: number) => new Date(ms).toISOString();
