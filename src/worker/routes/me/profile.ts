import { createRoute, z } from "@hono/zod-openapi";
import { findUserById, storedPassword, updatePassword } from "../../../db/queries/users";
import { hashPassword, verifyPassword } from "../../auth/passwords";
import { forgetUserSessions } from "../../auth/session";
import { ApiError } from "../../errors";
import { endOtherLiveSessions } from "../../live-sessions";
import { currentUser, requireUser } from "../../middleware/auth";
import { bearerSecurity, createRouter, jsonContent, problems } from "../../openapi";
import { assertAcceptablePassword, PasswordSchema, UserSchema, userView } from "../../schemas/user";

const getMe = createRoute({
  method: "get",
  path: "/",
  tags: ["Users"],
  summary: "The signed-in user",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  responses: { 200: jsonContent(UserSchema, "The caller"), ...problems(401) },
});

const changePassword = createRoute({
  method: "put",
  path: "/password",
  tags: ["Users"],
  summary: "Change password",
  description:
    "Every other session of the user is revoked, and their live sockets closed; the current one stays valid.",
  security: bearerSecurity,
  middleware: [requireUser] as const,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.strictObject({
            currentPassword: z.string().min(1).max(128),
            newPassword: PasswordSchema,
          }),
        },
      },
    },
  },
  responses: { 204: { description: "Changed" }, ...problems(400, 401, 422) },
});

/** `/me` itself: the signed-in user and their password. */
export const profileRouter = createRouter()
  .openapi(getMe, (c) => c.json(userView(currentUser(c)), 200))
  .openapi(changePassword, async (c) => {
    const me = currentUser(c);
    const { currentPassword, newPassword } = c.req.valid("json");
    const row = await findUserById(c.env.DB, me.id);
    if (!row) throw new ApiError("UNAUTHENTICATED", "The account no longer exists.");
    const ok = await verifyPassword(currentPassword, storedPassword(row));
    if (!ok) {
      throw new ApiError("INVALID_CURRENT_PASSWORD", "The current password is incorrect.", {
        errors: [{ path: "currentPassword", message: "is incorrect" }],
      });
    }
    assertAcceptablePassword(newPassword, me.username, "newPassword");
    const stored = await hashPassword(newPassword);
    const tokenHash = c.get("sessionTokenHash") ?? "";
    await updatePassword(c.env.DB, me.id, stored, tokenHash, Date.now());
    forgetUserSessions(me.id, tokenHash);
    await endOtherLiveSessions(c.env, me.id, tokenHash);
    return c.body(null, 204);
  });
