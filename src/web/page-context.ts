import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { chooseLang, type Lang, type MessageKey, type MessageParams, translate } from "../shared/i18n";
import type { SessionUser } from "../worker/auth/session";
import type { AppEnv } from "../worker/env";
import { type CallApi, type SiteApi, siteApi } from "./api";
import { clientScripts } from "./assets-manifest";

/** The language switch's cookie (SPEC §10: a choice that outlives the page). */
export const LANG_COOKIE = "lang";

/** Everything a page needs to know about who is reading and how to talk to them. */
export interface PageContext {
  lang: Lang;
  t: (key: MessageKey, params?: MessageParams) => string;
  me: SessionUser | null;
  /** The reader's unread inbox messages, for the badge; null when signed out. */
  unreadCount: number | null;
  /** The path and query being shown, for the language switch and "log in and come back". */
  path: string;
  /** Hashed URLs of the client bundles (empty in the Workers test pool, which has no build). */
  scripts: { site?: string; auction?: string };
  api: SiteApi;
}

export async function pageContext(c: Context<AppEnv>, callApi: CallApi): Promise<PageContext> {
  const lang = chooseLang(getCookie(c, LANG_COOKIE), c.req.header("accept-language"));
  const me = c.get("user") ?? null;
  const api = siteApi(c.req.raw, (request) => callApi(request, c.env, c.executionCtx));
  const url = new URL(c.req.url);
  const [unread, scripts] = await Promise.all([
    me ? api.GET("/api/v1/me/inbox/unread-count") : Promise.resolve(null),
    clientScripts(c.env, c.req.url),
  ]);
  return {
    lang,
    t: (key, params) => translate(lang, key, params),
    me,
    unreadCount: unread?.data?.count ?? (me ? 0 : null),
    path: url.pathname + url.search,
    scripts,
    api,
  };
}
