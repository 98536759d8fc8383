import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { PageContext } from "./page-context";
import { STYLES } from "./styles";

/** JSON for a `<script type="application/json">`: `<` escaped, so no value can end the script. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export interface LayoutProps {
  page: PageContext;
  title: string;
  children: Child;
  /** Extra fields of the page's `#page-data` for the client (the auction page's auction). */
  data?: Record<string, unknown>;
  /** Load the auction page's live script too. */
  auctionScript?: boolean;
}

/** The frame of every page (contract: header, main with one h1, toasts, page data, scripts). */
export function Layout({ page, title, children, data, auctionScript }: LayoutProps) {
  const { t, lang, me } = page;
  const pageData = {
    lang,
    me: me && { id: me.id, username: me.username, nickname: me.nickname, role: me.role },
    unreadCount: page.unreadCount,
    ...data,
  };
  return (
    <>
      {raw("<!doctype html>")}
      <html lang={lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${title} · ${t("site.name")}`}</title>
          <meta name="description" content={t("site.name")} />
          {/* No favicon yet: an empty one spares every page a 404 request (a console error). */}
          <link rel="icon" href="data:," />
          <style>{raw(STYLES)}</style>
          {page.scripts.site && <script type="module" src={page.scripts.site} />}
          {auctionScript && page.scripts.auction && <script type="module" src={page.scripts.auction} />}
        </head>
        <body>
          <a class="skip" href="#main">
            {t("site.skip")}
          </a>
          <SiteHeader page={page} />
          <main id="main">{children}</main>
          <div id="toasts" role="status" aria-live="polite" />
          <script type="application/json" id="page-data">
            {raw(scriptJson(pageData))}
          </script>
        </body>
      </html>
    </>
  );
}

function SiteHeader({ page }: { page: PageContext }) {
  const { t, me, unreadCount } = page;
  const next = encodeURIComponent(page.path);
  const unread = unreadCount ?? 0;
  return (
    <header class="site">
      <div class="bar">
        <a class="brand" href="/">
          {t("site.name")}
        </a>
        <nav aria-label={t("nav.main")}>
          <ul>
            <li>
              <a href="/sell">{t("nav.sell")}</a>
            </li>
            <li>
              <a href="/me">{t("nav.me")}</a>
            </li>
            {me?.role === "admin" && (
              <li>
                <a href="/admin">{t("nav.admin")}</a>
              </li>
            )}
            {me ? (
              <>
                <li>
                  <a href="/me/inbox" data-unread-link aria-label={t("nav.inbox", { count: unread })}>
                    {t("me.inbox")}{" "}
                    <span class="badge" data-unread-count hidden={unread === 0}>
                      {unread}
                    </span>
                  </a>
                </li>
                <li>
                  <form
                    data-api-form
                    data-method="DELETE"
                    action="/api/v1/sessions/current"
                    method="post"
                    data-redirect="/"
                  >
                    <button type="submit" class="secondary">
                      {t("nav.logout")}
                    </button>
                  </form>
                </li>
              </>
            ) : (
              <>
                <li>
                  <a href={`/login?next=${next}`}>{t("nav.login")}</a>
                </li>
                <li>
                  <a href="/signup">{t("nav.signup")}</a>
                </li>
              </>
            )}
          </ul>
        </nav>
        <nav class="langs" aria-label={t("nav.language")}>
          <a href={`/lang/ko?next=${next}`} lang="ko" aria-current={page.lang === "ko" ? "true" : undefined}>
            한국어
          </a>
          <a href={`/lang/en?next=${next}`} lang="en" aria-current={page.lang === "en" ? "true" : undefined}>
            English
          </a>
        </nav>
      </div>
    </header>
  );
}
