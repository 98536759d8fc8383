import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { api, TEST_PASSWORD, uniqueUsername } from "../e2e/harness";
import { checkAccessibility, expectText, loadedImageWidth, newContext, screenshot } from "./browser";
import { solidPng } from "./png";
import { browserSuite } from "./suite";

// The browser tests' own machinery on a real `wrangler dev`, against what the server has always
// served (the API and its document), so that a failing page test means the page, not the rig.

const meSchema = z.object({ id: z.string(), username: z.string() });

describe("browser test infrastructure", () => {
  const suite = browserSuite();

  it("opens the server's /openapi.json in Chromium, with the lang=en cookie set", async () => {
    const context = await newContext(suite.browser, suite.baseUrl);
    const page = await context.newPage();
    const response = await page.goto("/openapi.json");
    expect(response?.status()).toBe(200);
    const document = z.object({ openapi: z.string() }).parse(await response?.json());
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(await context.cookies()).toEqual([
      expect.objectContaining({ name: "lang", value: "en", domain: "127.0.0.1", path: "/" }),
    ]);
    await context.close();
  });

  it("keeps the Secure, HttpOnly session cookie a login sets on http://127.0.0.1, and sends it back", async () => {
    const username = uniqueUsername("cookie");
    const signUp = await api(suite.baseUrl).post("/api/v1/users", {
      username,
      nickname: "Cookie",
      password: TEST_PASSWORD,
    });
    expect(signUp.status).toBe(201);
    const context = await newContext(suite.browser, suite.baseUrl);
    const page = await context.newPage();
    await page.goto("/openapi.json");

    const statuses = await page.evaluate(
      async ({ username, password }) => {
        const login = await fetch("/api/v1/sessions", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username, password }),
        });
        const me = await fetch("/api/v1/me");
        return { login: login.status, me: me.status, body: await me.text() };
      },
      { username, password: TEST_PASSWORD },
    );

    expect(statuses).toMatchObject({ login: 201, me: 200 });
    expect(meSchema.parse(JSON.parse(statuses.body)).username).toBe(username);
    expect(await context.cookies()).toContainEqual(
      expect.objectContaining({ name: "sa_session", secure: true, httpOnly: true, sameSite: "Lax" }),
    );
    await context.close();
  });

  it("starts a context signed in from an API session token", async () => {
    const username = uniqueUsername("token");
    await api(suite.baseUrl).post("/api/v1/users", { username, nickname: "Token", password: TEST_PASSWORD });
    const login = await api(suite.baseUrl).post("/api/v1/sessions", { username, password: TEST_PASSWORD });
    const { token } = z.object({ token: z.string() }).parse(login.body);
    const context = await newContext(suite.browser, suite.baseUrl, { token });
    const page = await context.newPage();

    const response = await page.goto("/api/v1/me");

    expect(response?.status()).toBe(200);
    expect(meSchema.parse(await response?.json()).username).toBe(username);
    await context.close();
  });

  it("expectText waits for a live figure the page re-renders, and says what it shows when it times out", async () => {
    const context = await newContext(suite.browser, suite.baseUrl);
    const page = await context.newPage();
    await page.goto("/openapi.json");
    // A moment after load the price is replaced by a new element, as a client re-rendering an island
    // does: expectText is already waiting by then (its timeout is far longer than the moment).
    await page.setContent(
      `<!doctype html><html lang="en"><title>Live</title><body><p><span data-live="price">₩10,000</span></p>
      <script>setTimeout(() => { document.querySelector("p").innerHTML = '<span data-live="price">\\n  ₩12,000 </span>'; }, 300);</script></body></html>`,
    );
    const price = page.locator('[data-live="price"]');

    await expect(expectText(price, "₩12,000")).resolves.toBeUndefined();
    await expect(expectText(price, /^\s*₩12,\d{3}\s*$/)).resolves.toBeUndefined();
    await expect(expectText(price, "₩13,000", { timeout: 200 })).rejects.toThrow(
      'did not show "₩13,000" within 200 ms; it shows ["\\n  ₩12,000 "]',
    );
    // The whole text, not a part of it.
    await expect(expectText(price, "12,000", { timeout: 200 })).rejects.toThrow("did not show");
    await context.close();
  });

  it("loadedImageWidth waits for an image to load, and gives 0 for one that cannot", async () => {
    const context = await newContext(suite.browser, suite.baseUrl);
    const page = await context.newPage();
    await page.goto("/openapi.json");
    const png = solidPng(64, 48, [40, 120, 200]).toString("base64");
    await page.setContent(
      `<!doctype html><html lang="en"><title>Photos</title><body><div style="height:3000px"></div><img alt="real" loading="lazy" src="data:image/png;base64,${png}"><img alt="missing" src="/media/none.png"></body></html>`,
    );

    expect(await loadedImageWidth(page.getByRole("img", { name: "real" }))).toBe(64);
    expect(await loadedImageWidth(page.getByRole("img", { name: "missing" }))).toBe(0);
    await context.close();
  });

  it("checkAccessibility passes a clean page and lists each serious or critical violation of a broken one", async () => {
    const context = await newContext(suite.browser, suite.baseUrl);
    const page = await context.newPage();
    await page.goto("/openapi.json");
    await page.setContent(
      '<!doctype html><html lang="en"><head><title>Clean</title></head><body><main><h1>Clean</h1><img src="data:," alt="Nothing"><button>Go</button></main></body></html>',
    );
    await expect(checkAccessibility(page)).resolves.toBeUndefined();

    await page.setContent(
      '<!doctype html><html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1><img src="data:,"><button></button></main></body></html>',
    );
    const failure = checkAccessibility(page);

    await expect(failure).rejects.toThrow(/axe found 2 serious or critical violation\(s\) .* at 1280 px/);
    await expect(failure).rejects.toThrow(/critical image-alt: .*\n {4}\["img"\] <img src="data:,">/);
    await expect(failure).rejects.toThrow(/critical button-name: /);
    await context.close();
  });

  it("screenshot writes full-page PNGs at 1280 and 390 px when enabled, and nothing otherwise", async () => {
    const dir = await mkdtemp(join(tmpdir(), "secondhand-auction-screenshots-"));
    try {
      const context = await newContext(suite.browser, suite.baseUrl);
      const page = await context.newPage();
      await page.setContent(
        '<!doctype html><html lang="en"><title>Tall</title><body style="margin:0"><div style="height:3000px">Tall</div></body></html>',
      );

      expect(await screenshot(page, "off", { dir, enabled: false })).toEqual([]);
      const written = await screenshot(page, "tall", { dir, enabled: true });

      expect(written).toEqual([join(dir, "tall-1280.png"), join(dir, "tall-390.png")]);
      const sizes = await Promise.all(
        written.map(async (file) => {
          const png = await readFile(file);
          // IHDR: width and height, right after the signature and the chunk's length and type.
          return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
        }),
      );
      expect(sizes).toEqual([
        { width: 1280, height: 3000 },
        { width: 390, height: 3000 },
      ]);
      // The page's own viewport is back.
      expect(page.viewportSize()).toEqual({ width: 1280, height: 800 });
      await context.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
