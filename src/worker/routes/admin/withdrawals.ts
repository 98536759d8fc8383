import { createRoute, z } from "@hono/zod-openapi";
import { appendKeyedAudit } from "../../../db/queries/audit-log";
import {
  findWithdrawal,
  listWithdrawals,
  recordWithdrawalOutcome,
  type WithdrawalRow,
} from "../../../db/queries/wallet";
import { decodeCursor, keysetPage } from "../../cursor";
import { ApiError } from "../../errors";
import { currentUser } from "../../middleware/auth";
import { createRouter, jsonContent, problems, sessionSecurity } from "../../openapi";
import { PageQuery, pageOf } from "../../schemas/auction";
import { userText } from "../../schemas/text";
import { iso, WithdrawalSchema } from "../../schemas/wallet";
import { walletRefusal } from "../../wallet-refusal";

const WithdrawalIdParam = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "wd_3k9x0c2m8v7b6n5q4r1t" }),
});

const OptionalReasonBody = z
  .strictObject({
    reason: userText({ min: 1, max: 500, trim: true })
      .optional()
      .openapi({ description: "Why; kept in the audit log.", example: "Bank account name does not match" }),
  })
  .openapi("AdminOptionalReason");

const listRoute = createRoute({
  method: "get",
  path: "/withdrawals",
  operationId: "listWithdrawals",
  tags: ["Admin"],
  summary: "Withdrawals, newest first",
  description: "`status` keeps only withdrawals in that state (`requested` is the queue to work through).",
  security: sessionSecurity,
  request: {
    query: z.object({ status: z.enum(["requested", "completed", "rejected"]).optional(), ...PageQuery }),
  },
  responses: {
    200: jsonContent(pageOf(WithdrawalSchema, "WithdrawalPage"), "A page of withdrawals"),
    ...problems(400, 401, 403),
  },
});

const resolveRoute = (verb: "complete" | "reject") =>
  createRoute({
    method: "post",
    path: `/withdrawals/{id}/${verb}`,
    operationId: verb === "complete" ? "completeWithdrawal" : "rejectWithdrawal",
    tags: ["Admin"],
    summary:
      verb === "complete" ? "Complete a withdrawal (money leaves)" : "Reject a withdrawal (money returns)",
    description:
      (verb === "complete"
        ? "The held amount leaves the user's wallet for `external`. "
        : "The held amount returns to the user's available balance. ") +
      "Repeating the same action answers the same withdrawal; the opposite one is 409 WITHDRAWAL_STATE. Audited.",
    security: sessionSecurity,
    request: {
      params: WithdrawalIdParam,
      body: { required: false, content: { "application/json": { schema: OptionalReasonBody } } },
    },
    responses: {
      200: jsonContent(WithdrawalSchema, "The withdrawal, resolved"),
      ...problems(400, 401, 403, 404, 409, 422),
    },
  });

const withdrawalView = (row: WithdrawalRow) => ({
  id: row.id,
  userId: row.userId,
  status: row.status,
  amount: row.amount,
  currency: row.currency,
  createdAt: iso(row.createdAt),
  resolvedAt: row.resolvedAt === null ? null : iso(row.resolvedAt),
});

const notFound = () => new ApiError("WITHDRAWAL_NOT_FOUND", "There is no withdrawal with that id.");

/** `/admin/withdrawals` (SPEC §9): the queue, and completing or rejecting one. */
export const adminWithdrawalsRouter = createRouter().openapi(listRoute, async (c) => {
  const { status, limit, cursor } = c.req.valid("query");
  const after = decodeCursor(cursor);
  if (after && typeof after[0] !== "number")
    throw new ApiError("INVALID_CURSOR", "The cursor is not one this API issued.");
  const rows = await listWithdrawals(c.env.DB, { status, after, limit: limit + 1 });
  return c.json(
    keysetPage(rows, limit, (row) => [row.createdAt, row.id], withdrawalView),
    200,
  );
});

for (const verb of ["complete", "reject"] as const) {
  adminWithdrawalsRouter.openapi(resolveRoute(verb), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const reason = c.req.valid("json")?.reason ?? "";
    const row = await findWithdrawal(c.env.DB, id);
    if (!row) throw notFound();
    const wallet = c.env.WALLET.getByName(row.userId);
    const result =
      verb === "complete"
        ? await wallet.completeWithdrawal(row.userId, id)
        : await wallet.rejectWithdrawal(row.userId, id);
    if (!result.ok) throw walletRefusal(result);
    const now = Date.now();
    const outcome = result.status === "completed" ? "completed" : "rejected";
    const resolved = await recordWithdrawalOutcome(c.env.DB, id, outcome, now);
    if (!resolved) throw notFound();
    // After the Wallet decided: keyed per withdrawal, so repeats (and a retry after a failure
    // between the Wallet and here) leave one row.
    await appendKeyedAudit(c.env.DB, {
      actorId: me.id,
      action: `withdrawal.${verb}`,
      reason,
      now,
      target: { type: "withdrawal", id },
      detail: { userId: row.userId, amount: row.amount, currency: row.currency },
      dedupeKey: `withdrawal.resolve:${id}`,
    });
    return c.json(withdrawalView(resolved), 200);
  });
}
