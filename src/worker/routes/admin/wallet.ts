import { createRoute, z } from "@hono/zod-openapi";
import { appendKeyedAudit } from "../../../db/queries/audit-log";
import { findUserById } from "../../../db/queries/users";
import { MAX_MONEY } from "../../../durable/auction-terms";
import { newId, sha256Hex } from "../../../shared/crypto";
import { ApiError } from "../../errors";
import { currentUser } from "../../middleware/auth";
import { createRouter, IdempotencyKeyHeader, jsonContent, problems, sessionSecurity } from "../../openapi";
import { userText } from "../../schemas/text";
import { Currency } from "../../schemas/wallet";
import { walletRefusal } from "../../wallet-refusal";

const UserIdParam = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "usr_3k9x0c2m8v7b6n5q4r1t" }),
});

const AdjustmentBody = z
  .strictObject({
    amount: z
      .number()
      .int("must be an integer in the currency's minor unit")
      .min(-MAX_MONEY)
      .max(MAX_MONEY)
      .refine((n) => n !== 0, "must not be zero")
      .openapi({ description: "Signed: positive credits the user, negative debits them.", example: 10_000 }),
    currency: Currency,
    reason: userText({ min: 1, max: 500, trim: true }).openapi({
      description: "Why; kept in the audit log.",
      example: "Refund of a parcel lost in the post",
    }),
  })
  .openapi("WalletAdjustmentRequest");

const AdjustmentSchema = z
  .object({
    adjustmentId: z.string(),
    transferId: z.string().openapi({ example: "adjust:adj_3k9x0c2m8v7b6n5q4r1t" }),
    userId: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    balance: z
      .object({
        currency: z.string(),
        available: z.number().int(),
        held: z.number().int(),
        pendingPayout: z.number().int(),
      })
      .openapi({ description: "The user's balance in that currency now." }),
  })
  .openapi("WalletAdjustment");

const adjustRoute = createRoute({
  method: "post",
  path: "/users/{id}/wallet/adjustments",
  operationId: "adjustWallet",
  tags: ["Admin"],
  summary: "Credit or debit a user's wallet",
  description:
    "A ledger transfer between the user's available balance and `external`. Never takes available below zero " +
    "(422 INSUFFICIENT_FUNDS, nothing changes). A retry with the same Idempotency-Key (per admin) applies it once; " +
    "the same key with another amount or currency is 422 IDEMPOTENCY_KEY_REUSED. Audited as `wallet.adjust`.",
  security: sessionSecurity,
  request: {
    params: UserIdParam,
    headers: IdempotencyKeyHeader,
    body: { required: true, content: { "application/json": { schema: AdjustmentBody } } },
  },
  responses: {
    201: jsonContent(AdjustmentSchema, "The applied adjustment"),
    ...problems(400, 401, 403, 404, 422),
  },
});

/**
 * The adjustment's id: derived from the admin and their Idempotency-Key, so a retry names the same
 * transfer (which the Wallet applies once); a fresh one without a key.
 */
async function adjustmentIdOf(adminId: string, key: string | undefined): Promise<string> {
  if (key === undefined) return newId("adj");
  return `adj_${(await sha256Hex(`${adminId}\n${key}`)).slice(0, 32)}`;
}

/** `/admin/users/{id}/wallet/adjustments` (SPEC §9): the reference system's balance edit. */
export const adminWalletRouter = createRouter().openapi(adjustRoute, async (c) => {
  const me = currentUser(c);
  const { id } = c.req.valid("param");
  const { amount, currency, reason } = c.req.valid("json");
  const key = c.req.valid("header")["idempotency-key"];
  if (!(await findUserById(c.env.DB, id)))
    throw new ApiError("USER_NOT_FOUND", "There is no user with that id.");
  const adjustmentId = await adjustmentIdOf(me.id, key);
  const result = await c.env.WALLET.getByName(id).adjust(id, { adjustmentId, amount, currency });
  if (!result.ok) {
    if (result.code === "TRANSFER_CONFLICT")
      throw new ApiError(
        "IDEMPOTENCY_KEY_REUSED",
        "This Idempotency-Key was already used with a different amount or currency.",
      );
    throw walletRefusal(result);
  }
  // After the Wallet confirmed: a failure here is healed by the retry, which finds the transfer
  // applied and writes this row (once, by its key).
  await appendKeyedAudit(c.env.DB, {
    actorId: me.id,
    action: "wallet.adjust",
    reason,
    now: Date.now(),
    target: { type: "user", id },
    detail: { amount, currency },
    dedupeKey: `wallet.adjust:${adjustmentId}`,
  });
  return c.json(
    {
      adjustmentId,
      transferId: `adjust:${adjustmentId}`,
      userId: id,
      amount,
      currency,
      balance: result.balance,
    },
    201,
  );
});
