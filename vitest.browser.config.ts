import { defineConfig } from "vitest/config";

// Browser tests drive Debian's Chromium (playwright-core, test/browser/browser.ts) against a real
// `wrangler dev` (test/e2e/harness.ts), in plain Node like the e2e tests: what only a browser shows
// (the pages, their client script, live updates over WebSockets, accessibility).
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    // Child processes rather than worker threads: the harness relies on real process exit and
    // signal hooks to kill the wrangler process group (and Chromium) if a test file crashes.
    pool: "forks",
    // Each file boots its own wrangler dev and Chromium; one at a time keeps the machine's cores
    // for them, so that "within 2 s" in a live test measures the product, not the contention.
    fileParallelism: false,
    // Booting wrangler dev, and an auction running to its close, take seconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
