// Bundles the web app's browser code (src/client, SPEC §10) into the static assets folder:
// site.ts (every page) and auction.ts (the auction page), as ES modules with content-hashed
// names, so each can be cached for good and a change is a new URL. Code both entries share goes
// into shared chunks, loaded once. The Worker finds the hashed names in
// dist/assets/client/manifest.json; the budget check (check-js-budget.mjs) reads esbuild's
// metafile, kept outside the assets folder so it is never served.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
export const clientDir = join(root, "dist", "assets", "client");
export const metafilePath = join(root, "dist", "client-metafile.json");
/** Entry name (the manifest's key) → source. */
export const ENTRIES = { site: "src/client/site.ts", auction: "src/client/auction.ts" };

export async function buildClient() {
  // Only client/ is this script's: the rest of the folder belongs to other builds.
  await rm(clientDir, { recursive: true, force: true });
  await mkdir(clientDir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: clientDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    tsconfig: "src/client/tsconfig.json",
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  const manifest = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const name = Object.keys(ENTRIES).find((key) => output.entryPoint === ENTRIES[key]);
    if (name)
      manifest[name] = `/${relative(join(root, "dist", "assets"), join(root, file))
        .split("\\")
        .join("/")}`;
  }
  for (const name of Object.keys(ENTRIES)) {
    if (!manifest[name]) throw new Error(`esbuild wrote no output for the ${name} entry`);
  }
  await writeFile(join(clientDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(metafilePath, JSON.stringify(result.metafile));
  console.log(`assets: client ${Object.values(manifest).join(", ")}`);
  return manifest;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildClient();
