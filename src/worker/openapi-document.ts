import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env";

type DocumentConfig = Parameters<OpenAPIHono<AppEnv>["getOpenAPI31Document"]>[0];

/**
 * The document-level parts of `/openapi.json`: what the routes cannot say about themselves. One
 * constant, so the served document and the one `npm run openapi` writes for the lint and the
 * generated client are the same.
 */
export const API_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Secondhand Auction API",
    version: "1.0.0",
    description:
      "Real-time auctions for second-hand goods. Errors are RFC 9457 problem+json with a stable `code`.",
  },
  // Relative: the document is served by the API itself, so a client resolves paths against the
  // address it fetched the document from (local `wrangler dev` or production alike).
  servers: [{ url: "/", description: "The server this document was fetched from" }],
  // In the order a reader meets them; every tag a route uses is declared here (a test checks).
  tags: [
    { name: "Users", description: "Sign up, read yourself, change your password." },
    {
      name: "Sessions",
      description:
        "Log in for a bearer token (also set as the HttpOnly `sa_session` cookie) and log out. Sessions last 30 days.",
    },
    {
      name: "Auctions",
      description:
        "List items for auction, browse and search the catalog, read one auction, edit or cancel your own.",
    },
    {
      name: "Bidding",
      description: "Place manual and proxy bids, buy now, read the bid history and the auctions you bid on.",
    },
    {
      name: "Photos",
      description:
        "Listing photos (SPEC §10): upload a JPEG, PNG or WebP of up to 5 MB, then put its `url` in an auction's `imageUrls`; served with immutable caching.",
    },
    { name: "Watchlist", description: "Watch auctions to hear when they are ending soon or cancelled." },
    { name: "Inbox", description: "Your notifications: outbid, bid received, won, sold, ending soon, …" },
    {
      name: "Real time",
      description:
        "WebSockets: an auction room's live bids for anyone, and your own notifications as they arrive.",
    },
    { name: "Health", description: "Liveness of the worker, for load balancers and deploy checks." },
    {
      name: "Wallet",
      description:
        "Your money (SPEC §8): balances per currency, holds, the immutable ledger entries, top-ups and withdrawals.",
    },
    {
      name: "Orders",
      description:
        "What a sale becomes (SPEC §8): the buyer's money waits in escrow while the seller ships; the buyer confirms (or 7 days pass) and the seller is paid, or disputes and an administrator decides.",
    },
    {
      name: "Webhooks",
      description: "Calls from outside services, authenticated by signature (the payment provider).",
    },
    {
      name: "Admin",
      description:
        "Operators only (users.role = admin, granted with `npm run admin:grant`): users, suspensions and the audit log every admin action is appended to.",
    },
  ],
} satisfies DocumentConfig;

/** The credentials the `security` of each route names. */
export function registerSecuritySchemes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "The `token` from `POST /api/v1/sessions`, as `Authorization: Bearer <token>`.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "cookieAuth", {
    type: "apiKey",
    in: "cookie",
    name: "sa_session",
    description:
      "The session cookie `POST /api/v1/sessions` sets. Changes (and WebSocket upgrades) it authenticates must come from this site or an allowed origin.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "liveTicket", {
    type: "apiKey",
    in: "query",
    name: "ticket",
    description:
      "A single-use ticket from `POST /api/v1/me/live-ticket`, valid 60 s: for `GET /api/v1/me/live` from clients that cannot set headers on a WebSocket.",
  });
}
