import { defineConfig } from "vitest/config";

// Reliability suites run in plain Node against a real `wrangler dev` (test/e2e/harness.ts), like the
// end-to-end tests, but each one hammers the server on purpose: a concurrent bid storm checked
// against the pure bidding rules, schema-driven fuzzing, and an authorization matrix.
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.ts"],
    // Child processes rather than worker threads: the harness relies on real process exit and
    // signal hooks to kill the wrangler process group if a test file crashes.
    pool: "forks",
    // Each file boots its own wrangler dev; one at a time keeps a 2-core CI machine from thrashing.
    fileParallelism: false,
    // A suite is thousands of requests against a local server: minutes, not milliseconds.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
