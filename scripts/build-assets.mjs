#!/usr/bin/env node
// Builds the Worker's static assets folder (wrangler.toml `[assets]`), which Cloudflare serves
// without running the Worker: the API reference's script, vendored from the pinned
// @scalar/api-reference so that /docs loads nothing from a CDN, and the web app's browser code
// (build-client.mjs). wrangler runs this as its `[build] command` (dev, deploy, the dry run in
// `npm run check`). The Workers test pool does not, and needs not: its tests call the Worker
// itself, and the e2e tests (wrangler dev) fetch the files.
//
// The file is named by its version: it can be cached for good, and a new version is a new URL.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildClient } from "./build-client.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const assetsDir = join(root, "dist", "assets");
const vendorDir = join(assetsDir, "vendor");

const projectPackage = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
const pinned = projectPackage.dependencies["@scalar/api-reference"];
// The package's exports map does not list its browser bundle or package.json: find them by path.
const scalarDir = join(dirname(fileURLToPath(import.meta.resolve("@scalar/api-reference"))), "..");
const installed = JSON.parse(await readFile(join(scalarDir, "package.json"), "utf8")).version;
if (installed !== pinned) {
  // The Worker names the script after package.json's pin; a different installed copy would be
  // served under a name that lies about its version.
  throw new Error(
    `@scalar/api-reference ${installed} is installed but package.json pins ${pinned}: run npm ci`,
  );
}

const standalone = await readFile(join(scalarDir, "dist", "browser", "standalone.js"), "utf8");
// Its source map (17 MB) is not shipped, so drop the comment that would send devtools after it.
const script = standalone.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");

// Only vendor/ is this script's: the rest of the folder belongs to other builds.
await rm(vendorDir, { recursive: true, force: true });
await mkdir(vendorDir, { recursive: true });
await writeFile(join(vendorDir, `scalar-api-reference-${pinned}.js`), script);
console.log(`assets: vendor/scalar-api-reference-${pinned}.js (${(script.length / 1e6).toFixed(1)} MB)`);

await buildClient();
