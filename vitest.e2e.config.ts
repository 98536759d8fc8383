import { defineConfig } from "vitest/config";

// End-to-end tests run in plain Node against a real `wrangler dev` (see test/e2e/harness.ts), not in
// the Workers pool: they exercise what only a real server shows (HTTP, WebSockets across processes,
// queues, alarms firing on time).
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    // Child processes rather than worker threads: the harness relies on real process exit and
    // signal hooks to kill the wrangler process group if a test file crashes.
    pool: "forks",
    // Each file boots its own wrangler dev (workerd, D1, queues); running them one at a time keeps
    // CI machines from thrashing and startup times predictable.
    fileParallelism: false,
    // Booting wrangler dev and waiting for the queue projection take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
