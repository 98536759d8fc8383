import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Unit and integration tests run inside workerd with the real bindings from wrangler.toml:
// local D1 (migrations applied in test/setup.ts), Durable Objects and Queues.
export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
          // A partner site, so the origin and CORS rules have something to allow.
          ALLOWED_ORIGINS: "https://partner.example",
          // The payment provider's signing secret (test/worker/webhooks signs with the same).
          PAYMENTS_WEBHOOK_SECRET: "whsec_test_secret_for_the_workers_pool",
        },
      },
    })),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "test/reliability/**", "test/browser/**"],
    setupFiles: ["./test/setup.ts"],
    // Sign-ups hash passwords with PBKDF2 (100,000 iterations); a test with 50 of them on a busy
    // 2-core CI machine can take several seconds. A budget, not a timing assertion.
    testTimeout: 30_000,
  },
});
