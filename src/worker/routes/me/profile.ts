import { createRoute, z } from "@hono/zod-openapi";
import { and, eq, isNull, ne } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sessions, users } from "../../../db/schema";
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
    const orm = drizzle(c.env.DB);
    const row = await orm.select().from(users).where(eq(users.id, me.id)).get();
    if (!row) throw new ApiError("UNAUTHENTICATED", "The account no longer exists.");
    const ok = await verifyPassword(currentPassword, {
      hash: row.passwordHash,
      salt: row.passwordSalt,
      iterations: row.passwordIterations,
    });
    if (!ok) {
      throw new ApiError("INVALID_CURRENT_PASSWORD", "The current password is incorrect.", {
        errors: [{ path: "currentPassword", message: "is incorrect" }],
      });
    }
    assertAcceptablePassword(newPassword, me.username, "newPassword");
    const stored = await hashPassword(newPassword);
    const tokenHash = c.get("sessionTokenHash") ?? "";
    const now = Date.now();
    // One batch: the new hash and the revocation of the other sessions land together or not at all.
    await orm.batch([
      orm
        .update(users)
        .set({ passwordHash: stored.hash, passwordSalt: stored.salt, passwordIterations: stored.iterations })
        .where(eq(users.id, me.id)),
      orm
        .update(sessions)
        .set({ revokedAt: now })
        .where(
          and(eq(sessions.userId, me.id), ne(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)),
        ),
    ]);
    forgetUserSessions(me.id, tokenHash);
    await endOtherLiveSessions(c.env, me.id, tokenHash);
    return c.body(null, 204);
  });
