import { createRoute, z } from "@hono/zod-openapi";
import { deleteCookie, setCookie } from "hono/cookie";
import { clearAttempts, reserveAttempt } from "../../db/queries/login-attempts";
import { insertSessionUnlessSuspended, revokeSession } from "../../db/queries/sessions";
import { findUserByUsername, storedPassword } from "../../db/queries/users";
import { newId, randomBytes, sha256Hex, toBase64Url } from "../../shared/crypto";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "../auth/passwords";
import { forgetSession, SESSION_COOKIE, SESSION_LIFETIME_MS } from "../auth/session";
import { ApiError } from "../errors";
import { endLiveSession } from "../live-sessions";
import { currentUser, requireUser } from "../middleware/auth";
import { createRouter, jsonContent, problems, publicSecurity, sessionSecurity } from "../openapi";
import { UserSchema, userView } from "../schemas/user";

const login = createRoute({
  method: "post",
  path: "/",
  operationId: "logIn",
  security: publicSecurity,
  tags: ["Sessions"],
  summary: "Log in",
  description:
    "Returns a bearer token and sets the session cookie. Repeated failures for one username are throttled. " +
    "A suspended account is refused with 403 ACCOUNT_SUSPENDED, and only when the password is right.",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.strictObject({
            username: z.string().min(1).max(64),
            password: z.string().min(1).max(128),
          }),
        },
      },
    },
  },
  responses: {
    201: jsonContent(
      z
        .object({
          token: z.string(),
          expiresAt: z.string().openapi({ format: "date-time" }),
          user: UserSchema,
        })
        .openapi("Session"),
      "A new session",
    ),
    ...problems(400, 401, 403, 422, 429),
  },
});

const logout = createRoute({
  method: "delete",
  path: "/current",
  operationId: "logOut",
  tags: ["Sessions"],
  summary: "Log out",
  description: "Revokes the current session at once, and closes the live sockets it opened.",
  security: sessionSecurity,
  middleware: [requireUser] as const,
  responses: { 204: { description: "Logged out" }, ...problems(401) },
});

const invalidCredentials = () =>
  new ApiError("INVALID_CREDENTIALS", "The username or password is incorrect.");

export const sessionsRouter = createRouter()
  .openapi(login, async (c) => {
    const { username, password } = c.req.valid("json");
    const now = Date.now();
    // Reserved before the (slow) password check, so parallel guesses cannot all slip through.
    const attempt = await reserveAttempt(c.env.DB, username, now);
    if (!attempt.allowed) {
      const seconds = Math.ceil(attempt.retryAfterMs / 1000);
      throw new ApiError(
        "TOO_MANY_ATTEMPTS",
        `Too many failed logins for this username; try again in ${seconds} s.`,
        { headers: { "retry-after": String(seconds) } },
      );
    }
    const user = await findUserByUsername(c.env.DB, username);
    // Verify against a dummy hash for unknown users so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, user ? storedPassword(user) : DUMMY_PASSWORD_HASH);
    // A failure needs no write: the reservation already counted it.
    if (!user || !ok) throw invalidCredentials();
    await clearAttempts(c.env.DB, username);

    const token = toBase64Url(randomBytes(32));
    const expiresAt = now + SESSION_LIFETIME_MS;
    const started = await insertSessionUnlessSuspended(c.env.DB, {
      id: newId("ses"),
      userId: user.id,
      tokenHash: await sha256Hex(token),
      createdAt: now,
      expiresAt,
    });
    // Told only after the password matched: a guesser learns nothing about the account.
    if (!started) throw new ApiError("ACCOUNT_SUSPENDED", "This account is suspended.");
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      secure: true,
      sameSite: "Lax",
      path: "/",
      expires: new Date(expiresAt),
    });
    return c.json({ token, expiresAt: new Date(expiresAt).toISOString(), user: userView(user) }, 201);
  })
  .openapi(logout, async (c) => {
    const user = currentUser(c);
    const tokenHash = c.get("sessionTokenHash");
    if (tokenHash) {
      forgetSession(tokenHash);
      await revokeSession(c.env.DB, tokenHash, Date.now());
      // Only once D1 says the session is over: a socket reopened now is refused.
      await endLiveSession(c.env, user.id, tokenHash);
    }
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
    return c.body(null, 204);
  });
