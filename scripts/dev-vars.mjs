#!/usr/bin/env node
// `npm run dev` on a fresh clone: local secrets come from .dev.vars (git-ignored), so create it
// from .dev.vars.example when it is missing. An existing .dev.vars is never touched.
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const target = join(root, ".dev.vars");
if (!existsSync(target)) {
  copyFileSync(join(root, ".dev.vars.example"), target);
  console.log("Created .dev.vars from .dev.vars.example (local development secrets).");
}
