import { createRoute, z } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import { findTopUpByKey, insertTopUp, type TopUpRow } from "../../../db/queries/wallet";
import { withdrawals } from "../../../db/schema";
import { newId, sha256Hex } from "../../../shared/crypto";
import { decodeCursor, encodeCursor } from "../../cursor";
import { ApiError } from "../../errors";
import { currentUser, requireUser } from "../../middleware/auth";
import { createRouter, IdempotencyKeyHeader, jsonContent, problems, sessionSecurity } from "../../openapi";
import { PageQuery, pageOf } from "../../schemas/auction";
import {
  iso,
  MoneyBody,
  TopUpSchema,
  WalletEntrySchema,
  WalletSchema,
  WithdrawalSchema,
} from "../../schemas/wallet";
import { walletRefusal } from "../../wallet-refusal";

const getWalletRoute = createRoute({
  method: "get",
  path: "/wallet",
  operationId: "getMyWallet",
  tags: ["Wallet"],
  summary: "My balances and active holds",
  security: sessionSecurity,
  // Before validation: a stranger learns nothing about the body rules (401, not 422).
  middleware: [requireUser] as const,
  responses: {
    200: jsonContent(WalletSchema, "Balances per currency and active holds"),
    ...problems(400, 401),
  },
});

const entriesRoute = createRoute({
  method: "get",
  path: "/wallet/entries",
  operationId: "listMyWalletEntries",
  tags: ["Wallet"],
  summary: "My ledger entries, newest first",
  security: sessionSecurity,
  // Before validation: a stranger learns nothing about the body rules (401, not 422).
  middleware: [requireUser] as const,
  request: { query: z.object(PageQuery) },
  responses: {
    200: jsonContent(pageOf(WalletEntrySchema, "WalletEntryPage"), "A page of immutable entries"),
    ...problems(400, 401),
  },
});

const topUpRoute = createRoute({
  method: "post",
  path: "/wallet/top-ups",
  operationId: "createTopUp",
  tags: ["Wallet"],
  summary: "Start a top-up",
  description:
    "Creates a pending top-up. The wallet is credited only when the payment provider's signed webhook confirms it. " +
    "A retry with the same Idempotency-Key answers the same top-up.",
  security: sessionSecurity,
  // Before validation: a stranger learns nothing about the body rules (401, not 422).
  middleware: [requireUser] as const,
  request: {
    headers: IdempotencyKeyHeader,
    body: { required: true, content: { "application/json": { schema: MoneyBody } } },
  },
  responses: { 201: jsonContent(TopUpSchema, "The pending top-up"), ...problems(400, 401, 422) },
});

const withdrawalRoute = createRoute({
  method: "post",
  path: "/wallet/withdrawals",
  operationId: "requestWithdrawal",
  tags: ["Wallet"],
  summary: "Request a withdrawal",
  description:
    "Holds the amount at once; an administrator completes (money leaves) or rejects (money returns) it. " +
    "422 INSUFFICIENT_FUNDS when available is short.",
  security: sessionSecurity,
  // Before validation: a stranger learns nothing about the body rules (401, not 422).
  middleware: [requireUser] as const,
  request: { body: { required: true, content: { "application/json": { schema: MoneyBody } } } },
  responses: { 201: jsonContent(WithdrawalSchema, "The requested withdrawal"), ...problems(400, 401, 422) },
});

const topUpView = (row: TopUpRow) => ({
  id: row.id,
  status: row.status,
  amount: row.amount,
  currency: row.currency,
  createdAt: iso(row.createdAt),
});

/** `/me/wallet`: the caller's own money (SPEC §8); the Wallet object is named by their user id. */
export const walletRouter = createRouter()
  .openapi(getWalletRoute, async (c) => {
    const user = currentUser(c);
    const summary = await c.env.WALLET.getByName(user.id).summary(user.id);
    return c.json(
      { ...summary, holds: summary.holds.map((h) => ({ ...h, createdAt: iso(h.createdAt) })) },
      200,
    );
  })
  .openapi(entriesRoute, async (c) => {
    const user = currentUser(c);
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor)?.[0] ?? null;
    if (typeof after === "string")
      throw new ApiError("INVALID_CURSOR", "The cursor is not one this API issued.");
    const page = await c.env.WALLET.getByName(user.id).entries(user.id, limit, after);
    return c.json(
      {
        items: page.items.map((e) => ({
          ...e,
          createdAt: iso(e.createdAt),
        })),
        nextCursor: page.nextCursor === null ? null : encodeCursor(page.nextCursor, "entry"),
      },
      200,
    );
  })
  .openapi(topUpRoute, async (c) => {
    const user = currentUser(c);
    const body = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"] ?? null;
    const requestHash = await sha256Hex(JSON.stringify(body));
    const replay = async () => {
      const prior = key === null ? undefined : await findTopUpByKey(c.env.DB, user.id, key);
      if (!prior) return null;
      if (prior.requestHash !== requestHash)
        throw new ApiError(
          "IDEMPOTENCY_KEY_REUSED",
          "This Idempotency-Key was already used with a different request body.",
        );
      return prior;
    };
    const prior = await replay();
    if (prior) return c.json(topUpView(prior), 201);
    const row: TopUpRow = {
      id: newId("top"),
      userId: user.id,
      amount: body.amount,
      currency: body.currency,
      status: "pending",
      idempotencyKey: key,
      requestHash,
      createdAt: Date.now(),
      decidedAt: null,
    };
    if (await insertTopUp(c.env.DB, row)) return c.json(topUpView(row), 201);
    // A concurrent request with the same key won the insert: answer its top-up.
    const winner = await replay();
    if (!winner) throw new Error("top-up insert conflicted, but no top-up holds its key");
    return c.json(topUpView(winner), 201);
  })
  .openapi(withdrawalRoute, async (c) => {
    const user = currentUser(c);
    const body = c.req.valid("json");
    const id = newId("wd");
    const result = await c.env.WALLET.getByName(user.id).requestWithdrawal(user.id, {
      withdrawalId: id,
      ...body,
    });
    if (!result.ok) throw walletRefusal(result);
    const now = Date.now();
    await drizzle(c.env.DB).insert(withdrawals).values({
      id,
      userId: user.id,
      amount: body.amount,
      currency: body.currency,
      status: "requested",
      createdAt: now,
    });
    return c.json(
      {
        id,
        userId: user.id,
        status: "requested" as const,
        amount: body.amount,
        currency: body.currency,
        createdAt: iso(now),
        resolvedAt: null,
      },
      201,
    );
  });
