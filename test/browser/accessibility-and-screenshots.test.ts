import { randomUUID } from "node:crypto";
import type { BrowserContext } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  api,
  createAuction,
  eventually,
  grantAdmin,
  logIn,
  signUpAndLogin,
  signUpFunded,
  uniqueUsername,
  uploadPhoto,
} from "../e2e/harness";
import { checkAccessibility, newContext, pageErrors, screenshot, VIEWPORTS, visit } from "./browser";
import { solidPng } from "./png";
import { browserSuite } from "./suite";

// Every page of the web contract, with something on it, at a laptop's and a phone's width: no
// axe-core violation of impact serious or critical. `npm run screenshots` also photographs each
// one into docs/screenshots (SCREENSHOTS=1; never in CI, whose checkout should not change).

type Viewer = "anonymous" | "buyer" | "seller" | "admin";

interface Fixture {
  /** An open auction with a photo, a reserve, a buy-now price, a bid and a watcher. */
  auctionId: string;
}

const PAGES: { name: string; path: (f: Fixture) => string; as: Viewer }[] = [
  { name: "catalog", path: () => "/", as: "buyer" },
  { name: "auction", path: (f) => `/auctions/${f.auctionId}`, as: "buyer" },
  { name: "sell", path: () => "/sell", as: "seller" },
  { name: "login", path: () => "/login", as: "anonymous" },
  { name: "signup", path: () => "/signup", as: "anonymous" },
  { name: "me", path: () => "/me", as: "buyer" },
  { name: "me-bids", path: () => "/me/bids", as: "buyer" },
  { name: "me-listings", path: () => "/me/listings", as: "seller" },
  { name: "me-watchlist", path: () => "/me/watchlist", as: "buyer" },
  { name: "wallet", path: () => "/me/wallet", as: "buyer" },
  { name: "orders", path: () => "/me/orders", as: "buyer" },
  { name: "inbox", path: () => "/me/inbox", as: "seller" },
  { name: "admin", path: () => "/admin", as: "admin" },
];

const listingSchema = z.object({ items: z.array(z.object({ id: z.string() })) });

describe("every page: accessible at 1280 and 390 px (and photographed with SCREENSHOTS=1)", () => {
  const suite = browserSuite();
  let fixture: Fixture;
  const contexts = new Map<Viewer, BrowserContext>();

  /** POSTs as `token` with a fresh Idempotency-Key; throws unless `status`. */
  async function post(path: string, token: string, body: unknown, status: number): Promise<void> {
    const res = await api(suite.baseUrl).post(path, body, {
      token,
      headers: { "idempotency-key": randomUUID() },
    });
    if (res.status !== status)
      throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }

  beforeAll(async () => {
    const { baseUrl } = suite;
    const adminName = uniqueUsername("admin");
    const [seller, buyer, rival] = await Promise.all([
      signUpAndLogin(baseUrl, uniqueUsername("seller")),
      signUpFunded(baseUrl, uniqueUsername("buyer"), 500_000),
      signUpFunded(baseUrl, uniqueUsername("rival"), 500_000),
      signUpAndLogin(baseUrl, adminName),
    ]);
    await grantAdmin(suite.server, adminName);
    // A session started after the grant: an older one keeps its role for up to 30 s (session cache).
    const admin = await logIn(baseUrl, adminName);

    const photo = await uploadPhoto(baseUrl, seller.token, solidPng(800, 600, [64, 140, 120]), "image/png");
    const auctionId = await createAuction(baseUrl, seller.token, {
      title: "Celadon teapot",
      description: "Jade-green glaze, no chips. Lid included. Collect in Mapo-gu or shipped in a padded box.",
      category: "home",
      imageUrls: [photo],
      startingPrice: 30_000,
      reservePrice: 45_000,
      buyNowPrice: 90_000,
      durationSeconds: 3 * 86_400,
    });
    const soldId = await createAuction(baseUrl, seller.token, {
      title: "Film camera",
      description: "Works; light seals replaced last year.",
      category: "electronics",
      startingPrice: 10_000,
      buyNowPrice: 30_000,
      durationSeconds: 86_400,
    });
    // Bids from two people (a history, an outbid notice), a watcher, and a sale (an order on both
    // sides, inbox messages).
    await post(`/api/v1/auctions/${auctionId}/bids`, rival.token, { amount: 30_000 }, 201);
    await post(`/api/v1/auctions/${auctionId}/bids`, buyer.token, { amount: 32_000 }, 201);
    const watched = await api(baseUrl).put(`/api/v1/auctions/${auctionId}/watch`, undefined, {
      token: buyer.token,
    });
    expect(watched.status).toBeLessThan(300);
    await post(`/api/v1/auctions/${soldId}/buy-now`, buyer.token, undefined, 201);
    // The catalog lists from the D1 projection, which the queue fills.
    await eventually(
      async () => {
        const res = await api(baseUrl).get("/api/v1/auctions?limit=50");
        const ids = listingSchema.parse(res.body).items.map((item) => item.id);
        return ids.includes(auctionId) && ids.includes(soldId) ? ids : undefined;
      },
      { what: "both auctions in the catalog" },
    );
    fixture = { auctionId };

    for (const [viewer, token] of [
      ["anonymous", undefined],
      ["buyer", buyer.token],
      ["seller", seller.token],
      ["admin", admin.token],
    ] as const) {
      contexts.set(viewer, await newContext(suite.browser, baseUrl, { token }));
    }
  });

  it.each(PAGES)("$name, as $as", async ({ name, path, as }) => {
    const context = contexts.get(as);
    if (!context) throw new Error(`no context for ${as}`);
    const page = await context.newPage();
    // Settled: the client has run and its fetches are done (WebSockets stay open and do not count).
    await visit(page, path(fixture), { waitUntil: "networkidle" });
    expect(await page.locator("main#main h1").count()).toBe(1);

    for (const { width, height } of VIEWPORTS) {
      await page.setViewportSize({ width, height });
      await checkAccessibility(page);
    }
    await screenshot(page, name);
    expect(pageErrors(context)).toEqual([]);
    await page.close();
  });
});
