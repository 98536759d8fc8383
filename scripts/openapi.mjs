#!/usr/bin/env node
// Writes the API's OpenAPI document (the one GET /openapi.json serves) to a file, without a
// server: the worker's app is bundled for Node with esbuild and asked for its document. Only
// `cloudflare:workers` needs a stand-in, for the Durable Object base class the routes' imports
// reach; nothing runs but the document generator.
//
//   node scripts/openapi.mjs [out-file]     (default: dist/openapi.json)
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outFile = resolve(root, process.argv[2] ?? "dist/openapi.json");

const workersStandIn = {
  name: "cloudflare-workers-stand-in",
  setup(b) {
    b.onResolve({ filter: /^cloudflare:workers$/ }, () => ({
      path: "cloudflare:workers",
      namespace: "stand-in",
    }));
    b.onLoad({ filter: /.*/, namespace: "stand-in" }, () => ({
      contents: "export class DurableObject {}\nexport class WorkerEntrypoint {}\nexport const env = {};\n",
      loader: "js",
    }));
  },
};

const bundle = await build({
  stdin: {
    contents:
      'export { app } from "./src/worker/app";\nexport { API_DOCUMENT } from "./src/worker/openapi-document";\n',
    resolveDir: root,
    loader: "ts",
    sourcefile: "openapi-entry.ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  write: false,
  logLevel: "error",
  plugins: [workersStandIn],
});
const code = bundle.outputFiles[0].text;
const { app, API_DOCUMENT } = await import(
  `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`
);
const document = app.getOpenAPI31Document(API_DOCUMENT);

await mkdir(dirname(outFile), { recursive: true });
await writeFile(outFile, `${JSON.stringify(document, null, 2)}\n`);
console.log(`OpenAPI document written to ${outFile}`);
