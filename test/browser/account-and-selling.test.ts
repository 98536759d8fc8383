import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { confirmTopUp, fund, signUpAndLogin, TEST_PASSWORD, uniqueUsername } from "../e2e/harness";
import {
  expectText,
  loadedImageWidth,
  markPage,
  newContext,
  pageData,
  pageErrors,
  stillSamePage,
  visit,
} from "./browser";
import { solidPng } from "./png";
import { browserSuite } from "./suite";

// SPEC §10 through the pages, as a new user meets them (web contract: /signup, /me/wallet, /sell,
// /auctions/{id}): sign up, get money, list an item with a photo.

/** How long the wallet may take to show a confirmed top-up: webhook → queue → /me/live → client. */
const NOTIFICATION_TIMEOUT_MS = 5_000;

describe("an account, money and a listing, through the pages", () => {
  const suite = browserSuite();

  it("signs up on /signup and lands on / signed in", async () => {
    const context = await newContext(suite.browser, suite.baseUrl);
    const page = await context.newPage();
    const username = uniqueUsername("mina");
    await visit(page, "/signup");
    await expectText(page.getByRole("heading", { level: 1 }), "Sign up");

    await page.getByLabel("Username", { exact: true }).fill(username);
    await page.getByLabel("Nickname", { exact: true }).fill("Mina");
    await page.getByLabel("Password", { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();

    await page.waitForURL(new URL("/", suite.baseUrl).href);
    expect((await pageData(page)).me).toMatchObject({ username, nickname: "Mina", role: "user" });
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("button", { name: "Log out" }).waitFor();
    expect(await nav.getByRole("link", { name: "Log in" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Sign up" }).count()).toBe(0);
    expect(pageErrors(context)).toEqual([]);
    await context.close();
  });

  it("tops up on /me/wallet: once the provider confirms, available shows ₩50,000 without a reload", async () => {
    const { token } = await signUpAndLogin(suite.baseUrl, uniqueUsername("wallet"));
    const context = await newContext(suite.browser, suite.baseUrl, { token });
    const page = await context.newPage();
    await visit(page, "/me/wallet");
    await expectText(page.getByRole("heading", { level: 1 }), "Wallet");

    const form = page.locator("form[data-top-up-form]");
    await form.getByLabel("Amount", { exact: true }).fill("50000");
    await form.getByRole("button", { name: "Top up" }).click();
    await page.getByText("Waiting for the payment to be confirmed").waitFor();
    const topUp = page.locator("[data-top-up-id]");
    await expectText(topUp, /^\s*top_[0-9a-z]{20}\s*$/);
    const topUpId = (await topUp.textContent())?.trim() ?? "";
    await markPage(page);

    await confirmTopUp(suite.baseUrl, topUpId, 50_000);

    await expectText(page.locator('[data-wallet="available"]'), "₩50,000", {
      timeout: NOTIFICATION_TIMEOUT_MS,
    });
    expect(await stillSamePage(page)).toBe(true);
    expect(pageErrors(context)).toEqual([]);
    await context.close();
  });

  it("requests a withdrawal on /me/wallet: the page comes back with the money set aside", async () => {
    const { token } = await signUpAndLogin(suite.baseUrl, uniqueUsername("withdraws"));
    await fund(suite.baseUrl, token, 50_000);
    const context = await newContext(suite.browser, suite.baseUrl, { token });
    const page = await context.newPage();
    await visit(page, "/me/wallet");
    await expectText(page.locator('[data-wallet="available"]'), "₩50,000");

    const form = page.locator('form[action="/api/v1/me/wallet/withdrawals"]');
    await form.getByLabel("Amount", { exact: true }).fill("20000");
    await Promise.all([page.waitForEvent("load"), form.getByRole("button", { name: "Withdraw" }).click()]);

    await expectText(page.locator('[data-wallet="available"]'), "₩30,000");
    await expectText(page.locator('[data-wallet="held"]'), "₩20,000");
    await expectText(page.locator("[data-hold]"), /Withdrawal requested\s*₩20,000/);
    expect(pageErrors(context)).toEqual([]);
    await context.close();
  });

  it("lists an item with a photo on /sell and lands on its page, the photo loaded", async () => {
    const { token } = await signUpAndLogin(suite.baseUrl, uniqueUsername("seller"));
    const context = await newContext(suite.browser, suite.baseUrl, { token });
    const page = await context.newPage();
    const dir = await mkdtemp(join(tmpdir(), "secondhand-auction-photo-"));
    try {
      const photo = join(dir, "teapot.png");
      await writeFile(photo, solidPng(640, 480, [64, 140, 120]));
      await visit(page, "/sell");
      await expectText(page.getByRole("heading", { level: 1 }), "Sell an item");

      await page.getByLabel("Title", { exact: true }).fill("Celadon teapot");
      await page.getByLabel("Description", { exact: true }).fill("Jade-green glaze, no chips. Lid included.");
      await page.getByLabel("Starting price", { exact: true }).fill("30000");
      await page.getByLabel("Duration", { exact: true }).selectOption({ label: "1 day" });
      const [uploaded] = await Promise.all([
        page.waitForResponse(
          (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/uploads",
        ),
        page.locator("[data-photo-input]").setInputFiles(photo),
      ]);
      expect(uploaded.status()).toBe(201);
      await page.locator("[data-photo-previews] img").first().waitFor();
      await page.getByRole("button", { name: "List item" }).click();

      await page.waitForURL(/\/auctions\/[^/?#]+$/);
      await expectText(page.getByRole("heading", { level: 1 }), "Celadon teapot");
      const image = page.getByRole("img", { name: "Celadon teapot — photo 1" });
      expect(await image.getAttribute("src")).toMatch(/\/media\//);
      expect(await loadedImageWidth(image)).toBe(640);
      expect(pageErrors(context)).toEqual([]);
      await context.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
