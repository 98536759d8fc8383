import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { lookupSession, SESSION_COOKIE } from "../auth/session";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/** Resolves the caller from `Authorization: Bearer` or the session cookie; anonymous is allowed here. */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("authorization")) ?? getCookie(c, SESSION_COOKIE);
  if (token) {
    const session = await lookupSession(c.env.DB, token, Date.now());
    if (session) {
      c.set("user", session.user);
      c.set("sessionTokenHash", session.tokenHash);
    }
  }
  await next();
});

const signInFirst = () =>
  new ApiError(
    "UNAUTHENTICATED",
    "Sign in first: send `Authorization: Bearer <token>` or the session cookie.",
    {
      headers: {
        "www-authenticate": 'Bearer realm="secondhand-auction"',
      },
    },
  );

const suspended = () => new ApiError("ACCOUNT_SUSPENDED", "This account is suspended.");

/** Route guard: 401 UNAUTHENTICATED unless `authenticate` found a live session. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get("user")) throw signInFirst();
  await next();
});

/**
 * Route guard for what a suspended user may not do (SPEC §9: list, bid, buy): 401 without a
 * session, 403 ACCOUNT_SUSPENDED for a suspended user. Reads the cached session, never D1, so
 * the bid path stays free of D1 queries.
 */
export const requireActiveUser = createMiddleware<AppEnv>(async (c, next) => {
  const user = c.get("user");
  if (!user) throw signInFirst();
  if (user.suspended) throw suspended();
  await next();
});

/** Guard of everything under /admin: 401 without a session, 403 FORBIDDEN unless an admin. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const user = c.get("user");
  if (!user) throw signInFirst();
  if (user.role !== "admin") throw new ApiError("FORBIDDEN", "Only administrators may do this.");
  if (user.suspended) throw suspended();
  await next();
});

/** The authenticated caller; only valid behind `requireUser`. */
export function currentUser(c: { get(key: "user"): AppEnv["Variables"]["user"] }) {
  const user = c.get("user");
  if (!user) throw new ApiError("UNAUTHENTICATED", "Sign in first.");
  return user;
}
