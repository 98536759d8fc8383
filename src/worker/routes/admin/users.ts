import { createRoute, z } from "@hono/zod-openapi";
import { suspendUser, unsuspendUser } from "../../../db/queries/suspensions";
import { type AdminUserRow, findUserById, listUsers } from "../../../db/queries/users";
import { forgetUserSessions } from "../../auth/session";
import { decodeCursor, keysetPage } from "../../cursor";
import { ApiError } from "../../errors";
import { endAllLiveSessions } from "../../live-sessions";
import { currentUser } from "../../middleware/auth";
import { createRouter, jsonContent, problems, sessionSecurity } from "../../openapi";
import { AdminReasonBody } from "../../schemas/admin";
import { PageQuery, pageOf } from "../../schemas/auction";
import { userText } from "../../schemas/text";

export const AdminUserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    nickname: z.string(),
    role: z.enum(["user", "admin"]),
    suspended: z.boolean(),
    suspendedAt: z.string().nullable().openapi({ format: "date-time" }),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("AdminUser");

function adminUserView(user: AdminUserRow): z.infer<typeof AdminUserSchema> {
  return {
    id: user.id,
    username: user.username,
    nickname: user.nickname,
    role: user.role,
    suspended: user.suspendedAt !== null,
    suspendedAt: user.suspendedAt === null ? null : new Date(user.suspendedAt).toISOString(),
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

const UserIdParam = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "usr_3k9x0c2m8v7b6n5q4r1t" }),
});

const listUsersRoute = createRoute({
  method: "get",
  path: "/users",
  operationId: "listUsers",
  tags: ["Admin"],
  summary: "Users, newest first",
  description: "`q` finds users whose username or nickname contains it (ASCII letters in any case).",
  security: sessionSecurity,
  request: {
    query: z.object({ q: userText({ min: 1, max: 100, trim: true }).optional(), ...PageQuery }),
  },
  responses: {
    200: jsonContent(pageOf(AdminUserSchema, "AdminUserPage"), "A page of users"),
    ...problems(400, 401, 403),
  },
});

const suspendRoute = createRoute({
  method: "post",
  path: "/users/{id}/suspend",
  operationId: "suspendUser",
  tags: ["Admin"],
  summary: "Suspend a user",
  description:
    "Ends every session of the user and closes their live sockets; until unsuspended they cannot log in, list, bid or buy " +
    "(403 ACCOUNT_SUSPENDED). Audited. Administrators (you included) cannot be suspended: 409 CANNOT_SUSPEND_ADMIN.",
  security: sessionSecurity,
  request: {
    params: UserIdParam,
    body: { required: true, content: { "application/json": { schema: AdminReasonBody } } },
  },
  responses: {
    200: jsonContent(AdminUserSchema, "The suspended user"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

const unsuspendRoute = createRoute({
  method: "post",
  path: "/users/{id}/unsuspend",
  operationId: "unsuspendUser",
  tags: ["Admin"],
  summary: "Lift a suspension",
  description: "The user may log in again; the sessions the suspension ended stay ended. Audited.",
  security: sessionSecurity,
  request: {
    params: UserIdParam,
    body: { required: true, content: { "application/json": { schema: AdminReasonBody } } },
  },
  responses: {
    200: jsonContent(AdminUserSchema, "The user, no longer suspended"),
    ...problems(400, 401, 403, 404, 409, 422),
  },
});

const userNotFound = () => new ApiError("USER_NOT_FOUND", "There is no user with that id.");

/** The target, when `actorId` may suspend them; else throws why not. */
function suspendable(target: AdminUserRow | undefined, actorId: string): AdminUserRow {
  if (!target) throw userNotFound();
  if (target.id === actorId) throw new ApiError("CANNOT_SUSPEND_ADMIN", "You cannot suspend yourself.");
  if (target.role === "admin") {
    throw new ApiError("CANNOT_SUSPEND_ADMIN", "Administrators cannot be suspended; revoke the role first.");
  }
  if (target.suspendedAt !== null) {
    throw new ApiError("ACCOUNT_ALREADY_SUSPENDED", "This account is already suspended.");
  }
  return target;
}

/** The target, when suspended; else throws why it cannot be unsuspended. */
function unsuspendable(target: AdminUserRow | undefined): AdminUserRow {
  if (!target) throw userNotFound();
  if (target.suspendedAt === null) {
    throw new ApiError("ACCOUNT_NOT_SUSPENDED", "This account is not suspended.");
  }
  return target;
}

/**
 * The batch changed nothing: the user changed between our read and it (another admin, a grant).
 * Read again and answer as if that had been first.
 */
async function refuseAfterRace(check: () => Promise<unknown>): Promise<never> {
  await check();
  throw new Error("an admin change on a user was neither applied nor refused");
}

/** `/admin/users`: the user list, suspension and its lifting (SPEC §9). */
export const adminUsersRouter = createRouter()
  .openapi(listUsersRoute, async (c) => {
    const { q, limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor);
    if (after && typeof after[0] !== "number")
      throw new ApiError("INVALID_CURSOR", "The cursor is not one this API issued.");
    const rows = await listUsers(c.env.DB, { q, after, limit: limit + 1 });
    return c.json(
      keysetPage(rows, limit, (row) => [row.createdAt, row.id], adminUserView),
      200,
    );
  })
  .openapi(suspendRoute, async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    const target = suspendable(await findUserById(c.env.DB, id), me.id);
    const now = Date.now();
    if (!(await suspendUser(c.env.DB, { userId: id, actorId: me.id, reason, now }))) {
      await refuseAfterRace(async () => suspendable(await findUserById(c.env.DB, id), me.id));
    }
    // D1 already refuses the sessions; this isolate's cache and the live sockets follow at once.
    forgetUserSessions(id);
    await endAllLiveSessions(c.env, id);
    return c.json(adminUserView({ ...target, suspendedAt: now }), 200);
  })
  .openapi(unsuspendRoute, async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    const target = unsuspendable(await findUserById(c.env.DB, id));
    if (!(await unsuspendUser(c.env.DB, { userId: id, actorId: me.id, reason, now: Date.now() }))) {
      await refuseAfterRace(async () => unsuspendable(await findUserById(c.env.DB, id)));
    }
    return c.json(adminUserView({ ...target, suspendedAt: null }), 200);
  });
