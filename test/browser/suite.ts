import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startServer, type TestServer } from "../e2e/harness";
import { launchBrowser } from "./browser";

export interface BrowserSuite {
  readonly server: TestServer;
  readonly baseUrl: string;
  readonly browser: Browser;
}

/**
 * A test file's `wrangler dev` (fresh state, free port) and headless Chromium, started together
 * before its tests and stopped after them. Read the fields inside tests and hooks, not at the top
 * level: they exist once `beforeAll` has run.
 */
export function browserSuite(): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startServer(), launchBrowser()]);
    if (started.status === "fulfilled") server = started.value;
    if (launched.status === "fulfilled") browser = launched.value;
    if (started.status === "rejected") throw started.reason;
    if (launched.status === "rejected") throw launched.reason;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} did not start (see beforeAll)`);
    return value;
  };
  return {
    get server() {
      return ready(server, "wrangler dev");
    },
    get baseUrl() {
      return ready(server, "wrangler dev").baseUrl;
    },
    get browser() {
      return ready(browser, "Chromium");
    },
  };
}
