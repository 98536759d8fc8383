import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes the next flat SQL migration into migrations/ for a person to review.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
  migrations: { prefix: "index" },
});
