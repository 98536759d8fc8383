// `wrangler dev` rebuilds and reloads the worker whenever a source file changes, which in the
// middle of a benchmark shows up as multi-second stalls and 503s. So by default the benchmark
// runs the code as it was when the run started: a copy of the project (node_modules linked, not
// copied), served by that copy's own test/e2e/harness.ts.

import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

const SKIPPED = new Set(["node_modules", ".git", ".wrangler", "bench/results"]);

/**
 * Loads test/e2e/harness.ts from a frozen copy of the project (or from the project itself when
 * `frozen` is false). The harness runs wrangler in the directory it was loaded from.
 */
export async function loadHarness({ frozen = true } = {}) {
  if (!frozen) {
    const harness = await import(pathToFileURL(join(projectRoot, "test/e2e/harness.ts")).href);
    return { harness, root: projectRoot, cleanup() {} };
  }
  const root = mkdtempSync(join(tmpdir(), "secondhand-auction-bench-src-"));
  cpSync(projectRoot, root, {
    recursive: true,
    filter: (source) => !SKIPPED.has(relative(projectRoot, source).split(sep).join("/")),
  });
  symlinkSync(join(projectRoot, "node_modules"), join(root, "node_modules"), "dir");
  const harness = await import(pathToFileURL(join(root, "test/e2e/harness.ts")).href);
  return {
    harness,
    root,
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
