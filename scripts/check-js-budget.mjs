#!/usr/bin/env node
// The web app's JavaScript budget (STYLE.md, "Web app"): what the auction page loads — site.ts's
// and auction.ts's bundles and every chunk they import, each gzipped as it travels — must stay
// within 40 KB. Read from the metafile of the last build (build-client.mjs), which `npm run check`
// makes in its deploy dry run just before this runs. Prints every file's figure, fails above.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { ENTRIES, metafilePath } from "./build-client.mjs";

const BUDGET_BYTES = 40 * 1024;
const root = fileURLToPath(new URL("..", import.meta.url));

let metafile;
try {
  metafile = JSON.parse(await readFile(metafilePath, "utf8"));
} catch {
  console.error(`No client build at ${metafilePath}: run node scripts/build-assets.mjs first.`);
  process.exit(1);
}

/** The output files a page loads: its entries' bundles and, transitively, their static imports. */
function filesOf(entryNames) {
  const byEntry = new Map(Object.entries(metafile.outputs).map(([file, o]) => [o.entryPoint, file]));
  const seen = new Set();
  const pending = entryNames.map((name) => byEntry.get(ENTRIES[name]));
  while (pending.length > 0) {
    const file = pending.pop();
    if (file === undefined || seen.has(file)) continue;
    seen.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (imported.kind === "import-statement" && !imported.external) pending.push(imported.path);
    }
  }
  return [...seen].sort();
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const sizes = new Map();
for (const file of Object.keys(metafile.outputs)) {
  if (!file.endsWith(".js")) continue;
  const bytes = await readFile(join(root, file));
  sizes.set(file, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
}

let failed = false;
for (const [page, entries, budget] of [
  ["every page (site)", ["site"], null],
  ["auction page (site + auction)", ["site", "auction"], BUDGET_BYTES],
]) {
  const files = filesOf(entries);
  let raw = 0;
  let gzip = 0;
  console.log(`${page}:`);
  for (const file of files) {
    const size = sizes.get(file) ?? { raw: 0, gzip: 0 };
    raw += size.raw;
    gzip += size.gzip;
    console.log(`  ${file.padEnd(40)} ${kb(size.raw).padStart(9)} raw ${kb(size.gzip).padStart(9)} gzip`);
  }
  const verdict =
    budget === null
      ? ""
      : gzip <= budget
        ? ` — within the ${kb(budget)} budget`
        : ` — OVER the ${kb(budget)} budget`;
  console.log(`  ${"total".padEnd(40)} ${kb(raw).padStart(9)} raw ${kb(gzip).padStart(9)} gzip${verdict}`);
  if (budget !== null && gzip > budget) failed = true;
}
if (failed) process.exit(1);
