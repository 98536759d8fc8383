import type { Context } from "hono";
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { secureHeaders } from "hono/secure-headers";
import { isLang } from "../shared/i18n";
import { safeNextPath } from "../shared/safe-next";
import type { AppEnv } from "../worker/env";
import { authenticate } from "../worker/middleware/auth";
import type { CallApi } from "./api";
import { LANG_COOKIE, type PageContext, pageContext } from "./page-context";
import { PageNotFound } from "./page-errors";
import { adminForbiddenPage, adminPage } from "./pages/admin";
import { auctionPage } from "./pages/auction";
import { loginPage, signupPage } from "./pages/auth";
import { catalogPage, catalogQuery } from "./pages/catalog";
import { myInboxPage } from "./pages/me/inbox";
import { meOverviewPage, myBidsPage, myListingsPage, myWatchlistPage } from "./pages/me/lists";
import { myOrdersPage } from "./pages/me/orders";
import { myWalletPage } from "./pages/me/wallet";
import { notFoundPage } from "./pages/not-found";
import { sellPage } from "./pages/sell";

type PageBody = ReturnType<typeof notFoundPage> | Promise<ReturnType<typeof notFoundPage>>;

const ONE_YEAR_SECONDS = 365 * 86_400;

/**
 * The site (SPEC §10): server-rendered pages on the same Worker as the API. Each page reads
 * through the API in process (`callApi`), so the pages can never show what the API would refuse.
 */
export function createWebRouter(callApi: CallApi) {
  const web = new Hono<AppEnv>();

  web.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // Listing photos may be https URLs of other sites (SPEC §4 imageUrls).
        imgSrc: ["'self'", "https:", "data:"],
        // The stylesheet is inlined in each page (one request fewer on a phone).
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
      },
    }),
  );
  web.use("*", authenticate);

  /** Renders a page for the reader; a page that throws PageNotFound becomes the 404 page. */
  const render = async (
    c: Context<AppEnv>,
    build: (page: PageContext) => PageBody,
    status: 200 | 403 | 404 = 200,
  ) => {
    const page = await pageContext(c, callApi);
    c.header("cache-control", "private, no-cache");
    c.header("vary", "cookie, accept-language");
    try {
      return c.html(await build(page), status);
    } catch (error) {
      if (error instanceof PageNotFound) return c.html(notFoundPage(page, error.detail), 404);
      throw error;
    }
  };

  /** Pages that need a signed-in reader send everyone else to log in and come back. */
  const signedIn = (build: (page: PageContext) => PageBody) => (c: Context<AppEnv>) => {
    if (!c.get("user")) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
    return render(c, build);
  };

  web.get("/", (c) => render(c, (page) => catalogPage(page, catalogQuery(new URL(c.req.url)))));
  web.get("/auctions/:id", (c) => render(c, (page) => auctionPage(page, c.req.param("id"))));
  web.get("/sell", signedIn(sellPage));
  web.get("/login", (c) => render(c, (page) => loginPage(page, c.req.query("next"))));
  web.get("/signup", (c) => render(c, signupPage));
  web.get("/me", signedIn(meOverviewPage));
  web.get("/me/bids", signedIn(myBidsPage));
  web.get("/me/listings", signedIn(myListingsPage));
  web.get("/me/watchlist", signedIn(myWatchlistPage));
  web.get("/me/wallet", signedIn(myWalletPage));
  web.get("/me/orders", signedIn(myOrdersPage));
  web.get("/me/inbox", signedIn(myInboxPage));
  web.get("/admin", (c) => {
    const user = c.get("user");
    if (!user) return c.redirect("/login?next=%2Fadmin", 303);
    if (user.role !== "admin") return render(c, adminForbiddenPage, 403);
    return render(c, (page) =>
      adminPage(page, {
        q: c.req.query("q")?.slice(0, 100) || undefined,
        runLedger: c.req.query("ledger") === "1",
      }),
    );
  });

  // The language switch works without JavaScript: a link that remembers the choice and goes back.
  web.get("/lang/:lang", (c) => {
    const lang = c.req.param("lang");
    if (isLang(lang)) {
      setCookie(c, LANG_COOKIE, lang, { path: "/", maxAge: ONE_YEAR_SECONDS, sameSite: "Lax", secure: true });
    }
    return c.redirect(safeNextPath(c.req.query("next")) ?? "/", 303);
  });

  return web;
}

/** The not-found page for a browser's navigation to an address no route knows. */
export function notFoundHtml(c: Context<AppEnv>, callApi: CallApi) {
  return pageContext(c, callApi).then((page) => c.html(notFoundPage(page), 404));
}
