import { createRoute, z } from "@hono/zod-openapi";
import { listAuditLog } from "../../../db/queries/audit-log";
import { decodeCursor, keysetPage } from "../../cursor";
import { ApiError } from "../../errors";
import { createRouter, jsonContent, problems, sessionSecurity } from "../../openapi";
import { PageQuery, pageOf } from "../../schemas/auction";

const DetailSchema = z.record(z.string(), z.unknown());

const AuditEntrySchema = z
  .object({
    id: z.string(),
    actor: z.object({ id: z.string(), username: z.string().nullable() }),
    action: z.string().openapi({ example: "user.suspend" }),
    target: z.object({ type: z.string().openapi({ example: "user" }), id: z.string() }),
    reason: z.string(),
    detail: DetailSchema.openapi({
      description: "What the action saw or changed besides the target, e.g. `{username, sessionsRevoked}`.",
    }),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("AuditEntry");

const listAuditLogRoute = createRoute({
  method: "get",
  path: "/audit-log",
  operationId: "listAuditLog",
  tags: ["Admin"],
  summary: "Every admin action, newest first",
  description: "Entries are appended with the change they describe and never edited or removed.",
  security: sessionSecurity,
  request: { query: z.object(PageQuery) },
  responses: {
    200: jsonContent(pageOf(AuditEntrySchema, "AuditLogPage"), "A page of entries"),
    ...problems(400, 401, 403),
  },
});

/** The id of the last entry the previous page ended on; ids are positive integers. */
function beforeIdOf(cursor: string | undefined): number | null {
  const decoded = decodeCursor(cursor);
  if (decoded === null) return null;
  const [id] = decoded;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1)
    throw new ApiError("INVALID_CURSOR", "The cursor is not one this API issued.");
  return id;
}

/** `/admin/audit-log` (SPEC §9). */
export const auditLogRouter = createRouter().openapi(listAuditLogRoute, async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const rows = await listAuditLog(c.env.DB, { beforeId: beforeIdOf(cursor), limit: limit + 1 });
  return c.json(
    keysetPage(
      rows,
      limit,
      (row) => [row.id, ""],
      (row) => ({
        id: String(row.id),
        actor: { id: row.actorId, username: row.actorUsername },
        action: row.action,
        target: { type: row.targetType, id: row.targetId },
        reason: row.reason,
        // Written by our own INSERT as a JSON object; a row that is not one is a bug worth a 500.
        detail: DetailSchema.parse(JSON.parse(row.detail)),
        createdAt: new Date(row.createdAt).toISOString(),
      }),
    ),
    200,
  );
});
