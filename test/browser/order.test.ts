import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { api, createAuction, eventually, signUpAndLogin, signUpFunded, uniqueUsername } from "../e2e/harness";
import { expectText, newContext, pageErrors, visit } from "./browser";
import { browserSuite } from "./suite";

// SPEC §8 orders through the pages: a buy-now on the auction page, then the seller ships on
// /me/orders, the buyer confirms there, and the payout reaches the seller's /me/wallet.

const TITLE = "Film camera";
const PRICE = 30_000;

const ordersSchema = z.object({ items: z.array(z.object({ auctionId: z.string(), status: z.string() })) });
const walletSchema = z.object({
  balances: z.array(z.object({ currency: z.string(), available: z.number(), pendingPayout: z.number() })),
});

describe("an order, from buy-now to payout, through the pages", () => {
  const suite = browserSuite();

  /**
   * Waits until `token`'s GET /api/v1/me/orders (the D1 projection the orders page lists, fed by
   * the queue) has the order in `status`: the page is read after that, not raced against it.
   */
  const orderListed = (token: string, auctionId: string, status: string) =>
    eventually(
      async () => {
        const res = await api(suite.baseUrl).get("/api/v1/me/orders", { token });
        const order = ordersSchema.parse(res.body).items.find((o) => o.auctionId === auctionId);
        return order?.status === status ? order : undefined;
      },
      { what: `order ${auctionId} listed as ${status}` },
    );

  /** The order's card on /me/orders. */
  const orderCard = (page: Page, auctionId: string) => page.locator(`article[data-order="${auctionId}"]`);

  /** Clicks one of the card's action buttons (a data-api-form data-reload) and waits for the reload. */
  async function act(page: Page, auctionId: string, button: string): Promise<void> {
    await Promise.all([
      page.waitForEvent("load"),
      orderCard(page, auctionId).getByRole("button", { name: button }).click(),
    ]);
  }

  it("buy now, ship, confirm receipt: the seller's wallet shows the payout as available", async () => {
    const { baseUrl } = suite;
    const [seller, buyer] = await Promise.all([
      signUpAndLogin(baseUrl, uniqueUsername("seller")),
      signUpFunded(baseUrl, uniqueUsername("buyer"), 100_000),
    ]);
    const auctionId = await createAuction(baseUrl, seller.token, {
      title: TITLE,
      startingPrice: 10_000,
      buyNowPrice: PRICE,
      durationSeconds: 3_600,
    });
    const buyerContext = await newContext(suite.browser, baseUrl, { token: buyer.token });
    const sellerContext = await newContext(suite.browser, baseUrl, { token: seller.token });
    const buyerPage = await buyerContext.newPage();
    const sellerPage = await sellerContext.newPage();

    // The buyer buys it now on the auction page.
    await visit(buyerPage, `/auctions/${auctionId}`);
    await buyerPage.getByRole("button", { name: "Buy now for ₩30,000" }).click();
    await expectText(buyerPage.locator('[data-live="result"]'), /^\s*Sold to \S.* for ₩30,000\s*$/);
    await expectText(buyerPage.locator('[data-live="standing"]'), "You won");

    // The seller sees the payout pending, and ships.
    await orderListed(seller.token, auctionId, "paid");
    await visit(sellerPage, "/me/wallet");
    await expectText(sellerPage.locator('[data-wallet="pending"]'), "₩30,000");
    await visit(sellerPage, "/me/orders");
    await expectText(sellerPage.getByRole("heading", { level: 1 }), "Orders");
    await orderCard(sellerPage, auctionId).getByText("You sold").waitFor();
    await expectText(
      orderCard(sellerPage, auctionId).locator("[data-order-status]"),
      "Paid — waiting for shipping",
    );
    await orderCard(sellerPage, auctionId).getByLabel("Carrier").fill("CJ Logistics");
    await orderCard(sellerPage, auctionId).getByLabel("Tracking number").fill("6543-2109-8765");
    await act(sellerPage, auctionId, "Mark as shipped");
    await expectText(orderCard(sellerPage, auctionId).locator("[data-order-status]"), "Shipped");

    // The buyer confirms receipt.
    await orderListed(buyer.token, auctionId, "shipped");
    await visit(buyerPage, "/me/orders");
    await orderCard(buyerPage, auctionId).getByText("You bought").waitFor();
    await expectText(orderCard(buyerPage, auctionId).locator("[data-order-status]"), "Shipped");
    await act(buyerPage, auctionId, "Confirm receipt");
    await expectText(orderCard(buyerPage, auctionId).locator("[data-order-status]"), "Completed");

    // The payout reaches the seller's available money (the wallet applies it after the room).
    await eventually(
      async () => {
        const res = await api(baseUrl).get("/api/v1/me/wallet", { token: seller.token });
        const krw = walletSchema.parse(res.body).balances.find((b) => b.currency === "KRW");
        return krw?.available === PRICE ? krw : undefined;
      },
      { what: "the payout in the seller's available balance" },
    );
    await visit(sellerPage, "/me/wallet");
    await expectText(sellerPage.locator('[data-wallet="available"]'), "₩30,000");
    await expectText(sellerPage.locator('[data-wallet="pending"]'), "₩0");

    expect(pageErrors(buyerContext)).toEqual([]);
    expect(pageErrors(sellerContext)).toEqual([]);
  });
});
