import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { isAllowedOrigin } from "../allowed-origins";
import { SESSION_COOKIE } from "../auth/session";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery guard (SPEC §2). A browser attaches the session cookie to requests
 * another site makes it send, so a cookie-authenticated state change or socket upgrade must come
 * from the site itself or an origin in ALLOWED_ORIGINS. Browsers always send `Origin` on those;
 * without one we fall back to `Sec-Fetch-Site`. A client with neither is not a browser and cannot
 * be forged into sending the cookie. Bearer requests are never checked: no site can add that
 * header for someone else. Runs before authentication, so a forged request costs no D1 read.
 */
export const originCheck = createMiddleware<AppEnv>(async (c, next) => {
  const upgrade = c.req.header("upgrade")?.toLowerCase() === "websocket";
  const unsafe = !SAFE_METHODS.has(c.req.method) || upgrade;
  const cookieOnly =
    c.req.header("authorization") === undefined && getCookie(c, SESSION_COOKIE) !== undefined;
  if (
    unsafe &&
    cookieOnly &&
    !fromAllowedSite(c.req.header("origin"), c.req.header("sec-fetch-site"), c.req.url, c.env.ALLOWED_ORIGINS)
  ) {
    throw new ApiError(
      "ORIGIN_NOT_ALLOWED",
      "Requests authenticated by the session cookie must come from this site or an allowed origin.",
    );
  }
  await next();
});

function fromAllowedSite(
  origin: string | undefined,
  fetchSite: string | undefined,
  url: string,
  configured: string | undefined,
): boolean {
  if (origin !== undefined) return origin !== "null" && isAllowedOrigin(origin, url, configured);
  return fetchSite === undefined || fetchSite === "same-origin" || fetchSite === "none";
}
