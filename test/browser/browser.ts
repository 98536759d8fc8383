import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Browser,
  type BrowserContext,
  chromium,
  errors,
  type Locator,
  type Page,
} from "playwright-core";
import { z } from "zod";

// Chromium for the browser tests: Debian's (`apt-get install chromium`, as .ci/run does), driven by
// playwright-core. Playwright's own browser download needs an internet this project does not have.

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Debian's Chromium; CHROMIUM_PATH points elsewhere (another distribution, a local build). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The two widths every page is checked and photographed at: a laptop, and a phone (iPhone 12–15). */
export const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "mobile", width: 390, height: 844 },
] as const;

/**
 * How long a locator action (click, fill) waits for its element. A server-rendered page has it at
 * once; a missing page should fail in seconds, not in Playwright's default 30.
 */
const ACTION_TIMEOUT_MS = 10_000;
const NAVIGATION_TIMEOUT_MS = 30_000;

/** The session cookie the API sets on login (src/worker/auth/session.ts). */
const SESSION_COOKIE = "sa_session";

/**
 * Headless Chromium. Playwright passes `--no-sandbox` itself (CI runs as root), and kills the
 * browser when the test process exits or is interrupted.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: install Debian's (sudo apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
}

export interface ContextOptions {
  /**
   * A session token from the API (`POST /api/v1/sessions`): the context starts signed in, with the
   * cookie the login would have set. Chromium keeps and sends that `Secure` cookie on
   * http://127.0.0.1, since it counts loopback as a secure context (smoke test).
   */
  token?: string;
}

/** Uncaught errors of each context's pages, in order, for tests that want none. */
const uncaught = new WeakMap<BrowserContext, string[]>();

/**
 * A fresh profile (no cookies but these, no storage) on `baseUrl`, in English: the `lang=en`
 * cookie the language switch would set (web contract: tests force English), at the desktop width.
 * Relative URLs (`page.goto("/sell")`) resolve against `baseUrl`.
 */
export async function newContext(
  browser: Browser,
  baseUrl: string,
  options: ContextOptions = {},
): Promise<BrowserContext> {
  const [desktop] = VIEWPORTS;
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: "en-US",
    viewport: { width: desktop.width, height: desktop.height },
  });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
  const errorsSeen: string[] = [];
  uncaught.set(context, errorsSeen);
  context.on("weberror", (webError) => {
    errorsSeen.push(`${webError.page()?.url() ?? "?"}: ${webError.error().message}`);
  });
  await context.addCookies([
    { name: "lang", value: "en", url: baseUrl, sameSite: "Lax" },
    ...(options.token === undefined
      ? []
      : [
          {
            name: SESSION_COOKIE,
            value: options.token,
            url: baseUrl,
            httpOnly: true,
            secure: true,
            sameSite: "Lax" as const,
          },
        ]),
  ]);
  return context;
}

/** The uncaught errors (exceptions, unhandled rejections) the context's pages have thrown so far. */
export function pageErrors(context: BrowserContext): string[] {
  return [...(uncaught.get(context) ?? [])];
}

/**
 * Navigates to `path` and throws unless the server answered `status` (200): a missing page fails
 * here, with what came instead, rather than as a missing element ten seconds later.
 */
export async function visit(
  page: Page,
  path: string,
  { status = 200, waitUntil = "load" }: { status?: number; waitUntil?: "load" | "networkidle" } = {},
): Promise<void> {
  const response = await page.goto(path, { waitUntil });
  if (response?.status() !== status) {
    const type = response?.headers()["content-type"] ?? "";
    const body = response ? (await response.text()).slice(0, 300) : "";
    throw new Error(
      `GET ${path} answered ${response?.status() ?? "nothing"} (${type}), not ${status}: ${body}`,
    );
  }
}

const pageDataSchema = z.object({
  lang: z.enum(["ko", "en"]),
  me: z.object({ id: z.string(), username: z.string(), nickname: z.string(), role: z.string() }).nullable(),
  unreadCount: z.number().nullable(),
});

/** The page's `<script type="application/json" id="page-data">` (web contract), parsed. */
export async function pageData(page: Page): Promise<z.infer<typeof pageDataSchema>> {
  const text = await page.locator("script#page-data").textContent();
  return pageDataSchema.parse(JSON.parse(text ?? "null"));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Waits until the element shows `expected` (a string: the whole text, whitespace-insensitive as
 * Playwright's toHaveText; or a pattern) and fails after `timeout` ms with the text it shows.
 * playwright-core has no `expect` (that comes with the @playwright/test runner); this waits the same
 * way, inside the page, re-finding the element on every change, so a live figure that the client
 * re-renders is seen as soon as it changes. The timeout is the requirement ("within 2 s").
 */
export async function expectText(
  locator: Locator,
  expected: string | RegExp,
  { timeout = ACTION_TIMEOUT_MS }: { timeout?: number } = {},
): Promise<void> {
  const pattern =
    typeof expected === "string"
      ? new RegExp(`^\\s*${expected.trim().split(/\s+/).map(escapeRegExp).join("\\s+")}\\s*$`)
      : expected;
  try {
    await locator.filter({ hasText: pattern }).first().waitFor({ state: "attached", timeout });
  } catch (error) {
    if (!(error instanceof errors.TimeoutError)) throw error;
    const shown = await locator.allTextContents();
    throw new Error(
      `${locator} did not show ${JSON.stringify(String(expected))} within ${timeout} ms; it shows ${JSON.stringify(shown)}`,
    );
  }
}

/**
 * Waits until the element's text differs from what it shows now (a countdown ticking), failing
 * after `timeout` ms; resolves with the new text.
 */
export async function expectTextToChange(
  locator: Locator,
  { timeout = ACTION_TIMEOUT_MS }: { timeout?: number } = {},
): Promise<string> {
  const before = (await locator.textContent()) ?? "";
  const same = new RegExp(`^\\s*${escapeRegExp(before.trim())}\\s*$`);
  try {
    await locator.filter({ hasNotText: same }).first().waitFor({ state: "attached", timeout });
  } catch (error) {
    if (!(error instanceof errors.TimeoutError)) throw error;
    throw new Error(`${locator} still shows ${JSON.stringify(before)} after ${timeout} ms`);
  }
  return (await locator.textContent()) ?? "";
}

/**
 * Marks the page's JavaScript world; `stillSamePage` is true until a navigation or reload replaces
 * it. For "without a reload".
 */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => Object.assign(globalThis, { markedByTheTest: true }));
}

export async function stillSamePage(page: Page): Promise<boolean> {
  return page.evaluate(() => "markedByTheTest" in globalThis);
}

/** What loadedImageWidth reads of an `<img>` in the page (these tests compile without DOM types). */
interface PageImage {
  complete: boolean;
  naturalWidth: number;
  addEventListener(type: "load" | "error", listener: () => void, options: { once: boolean }): void;
}

/**
 * The natural width of an `<img>` once the browser has loaded it, 0 if it could not (a broken or
 * missing file); scrolled into view first, so that a lazily loaded image loads.
 */
export async function loadedImageWidth(image: Locator): Promise<number> {
  await image.scrollIntoViewIfNeeded();
  const width = await image.evaluate((img: PageImage) =>
    img.complete
      ? img.naturalWidth
      : new Promise<number>((resolve) => {
          img.addEventListener("load", () => resolve(img.naturalWidth), { once: true });
          img.addEventListener("error", () => resolve(0), { once: true });
        }),
  );
  return z.number().parse(width);
}

// --- Accessibility -----------------------------------------------------------------------------

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The impacts that fail a page: axe's "serious" and "critical" (WCAG failures that block people). */
const FAILING_IMPACTS = new Set(["serious", "critical"]);

const axeResultsSchema = z.object({
  violations: z.array(
    z.object({
      id: z.string(),
      impact: z.string().nullable().optional(),
      help: z.string(),
      helpUrl: z.string(),
      nodes: z.array(z.object({ target: z.array(z.unknown()), html: z.string() })),
    }),
  ),
});

/**
 * Runs axe-core on the page as it is now (its DOM and layout at the current viewport) and throws,
 * listing each one, if it finds a violation of impact serious or critical. axe is evaluated into
 * the page through the DevTools protocol (`page.evaluate`), which a Content-Security-Policy
 * forbidding inline scripts does not block, as it would `addScriptTag({content})`.
 */
export async function checkAccessibility(page: Page): Promise<void> {
  const loaded = await page.evaluate("typeof window.axe === 'object'");
  if (loaded !== true) await page.evaluate(AXE_SOURCE);
  const results = axeResultsSchema.parse(
    await page.evaluate("window.axe.run(document, { resultTypes: ['violations'] })"),
  );
  const failing = results.violations.filter((v) => FAILING_IMPACTS.has(v.impact ?? ""));
  if (failing.length === 0) return;
  const viewport = page.viewportSize();
  const lines = failing.flatMap((v) => [
    `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})`,
    ...v.nodes.slice(0, 5).map((n) => `    ${JSON.stringify(n.target)} ${n.html.slice(0, 200)}`),
    ...(v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more`] : []),
  ]);
  throw new Error(
    `axe found ${failing.length} serious or critical violation(s) on ${page.url()} at ${viewport?.width ?? "?"} px:\n${lines.join("\n")}`,
  );
}

// --- Screenshots -------------------------------------------------------------------------------

/**
 * Screenshots are tracked files (docs/screenshots, linked from the README), so only
 * `npm run screenshots` (SCREENSHOTS=1) writes them; `npm run test:browser` and CI never do.
 */
export const SCREENSHOTS_ENABLED = process.env.SCREENSHOTS === "1";
export const SCREENSHOT_DIR = join(projectRoot, "docs", "screenshots");

export interface ScreenshotOptions {
  /** Where to write; docs/screenshots unless a test says otherwise. */
  dir?: string;
  /** Whether to write at all; SCREENSHOTS=1 unless a test says otherwise. */
  enabled?: boolean;
}

/**
 * Full-page screenshots of the page at each width of VIEWPORTS, as `<name>-1280.png` and
 * `<name>-390.png`; the page's own viewport is restored afterwards. Resolves with the files
 * written (none unless enabled).
 */
export async function screenshot(
  page: Page,
  name: string,
  options: ScreenshotOptions = {},
): Promise<string[]> {
  if (!(options.enabled ?? SCREENSHOTS_ENABLED)) return [];
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`screenshot name ${JSON.stringify(name)}: use a-z, 0-9, -`);
  const dir = options.dir ?? SCREENSHOT_DIR;
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize();
  const written: string[] = [];
  for (const { width, height } of VIEWPORTS) {
    await page.setViewportSize({ width, height });
    const path = join(dir, `${name}-${width}.png`);
    // Frozen animations and no caret: the same page gives the same picture.
    await page.screenshot({ path, fullPage: true, animations: "disabled", caret: "hide" });
    written.push(path);
  }
  if (original) await page.setViewportSize(original);
  return written;
}
