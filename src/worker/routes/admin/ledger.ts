import { createRoute, z } from "@hono/zod-openapi";
import { allLedgerRows, finishedOrderAuctions } from "../../../db/queries/ledger";
import { checkLedger } from "../../../durable/money/ledger-check";
import { createRouter, jsonContent, problems, sessionSecurity } from "../../openapi";

const LedgerCheckSchema = z
  .object({
    ok: z.boolean(),
    transfers: z.number().int(),
    accounts: z.number().int(),
    problems: z.array(
      z.object({ code: z.string() }).catchall(z.unknown()).openapi({
        description:
          "UNBALANCED, SIDES_DISAGREE, SIDE_MISSING, BALANCE_MISMATCH, ESCROW_LEFT or EXTERNAL_MISMATCH, with the transfer or account concerned.",
      }),
    ),
  })
  .openapi("LedgerCheck");

const checkRoute = createRoute({
  method: "get",
  path: "/ledger/check",
  operationId: "checkLedger",
  tags: ["Admin"],
  summary: "Check the ledger",
  description:
    "After the queue drains: every transfer balances and is recorded alike by each side it touches (the user's " +
    "Wallet, the auction's room), every account's balance equals the sum of its entries and its owner's live " +
    "figure, no escrow is left on a finished order, and `external` mirrors the rest. Reads the whole ledger.",
  security: sessionSecurity,
  responses: { 200: jsonContent(LedgerCheckSchema, "The check"), ...problems(401, 403) },
});

const USER_ACCOUNT = /^user:([^:]+):([^:]+):(available|held|pending)$/;
const ESCROW_ACCOUNT = /^escrow:(.+)$/;

/**
 * The owners' own figures for every account in the ledger, each Wallet and room asked once; a
 * Wallet's less the transfers it has not handed over yet (own moves wait LEDGER_FLUSH_SECONDS).
 */
async function liveFigures(env: Env, accounts: readonly string[]): Promise<Map<string, number>> {
  const figures = new Map<string, number>();
  const users = new Set(accounts.flatMap((a) => USER_ACCOUNT.exec(a)?.[1] ?? []));
  const escrows = accounts.flatMap((a) => ESCROW_ACCOUNT.exec(a)?.[1] ?? []);
  await Promise.all([
    ...[...users].map(async (userId) => {
      const recorded = await env.WALLET.getByName(userId).ledgerFigures(userId);
      for (const [account, figure] of Object.entries(recorded)) figures.set(account, figure);
    }),
    ...escrows.map(async (auctionId) => {
      figures.set(`escrow:${auctionId}`, await env.AUCTION_ROOM.getByName(auctionId).escrowBalance());
    }),
  ]);
  return figures;
}

/** `/admin/ledger/check` (SPEC §9). */
export const adminLedgerRouter = createRouter().openapi(checkRoute, async (c) => {
  const rows = await allLedgerRows(c.env.DB);
  const figures = await liveFigures(c.env, [...new Set(rows.map((r) => r.account))]);
  const finished = new Set((await finishedOrderAuctions(c.env.DB)).map((id) => `escrow:${id}`));
  return c.json(
    checkLedger(rows, (account) => figures.get(account), finished),
    200,
  );
});
