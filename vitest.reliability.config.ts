import { defineConfig } from "vitest/config";

// Reliability suites run in plain Node against a real `wrangler dev` (test/e2e/harness.ts) and do
// to it what a production server lives through: crashes, restarts on the same state, lost queue
// messages. Slower than the e2e tests, so they have their own script (npm run test:reliability).
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.ts"],
    // Child processes rather than worker threads: the harness relies on real process exit and
    // signal hooks to kill the wrangler process group if a test file crashes.
    pool: "forks",
    // Each file boots its own wrangler dev and loads it; one at a time keeps the machine's two
    // cores from deciding the outcome.
    fileParallelism: false,
    // A suite boots wrangler dev more than once and waits for the queue to catch up after a crash.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
