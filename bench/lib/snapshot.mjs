// `wrangler dev` rebuilds and reloads the worker whenever a source file changes, which in the
// middle of a benchmark shows up as multi-second stalls and 503s. So by default the benchmark
// runs the code as it was when the run started: a copy of the project (node_modules hard-linked,
// not copied), served by that copy's own test/e2e/harness.ts.

import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

const SKIPPED = new Set(["node_modules", ".git", ".wrangler", "bench/results"]);

/** Caches other tools rewrite while they run (vitest's config bundles): never part of the copy. */
const VOLATILE_MODULES = [".vite-temp", ".vite", ".cache"];

/**
 * node_modules for the copy: hard links (instant, no extra space) in directories of its own.
 * A symlink to the project's node_modules is not enough: esbuild watches the directories it
 * resolved packages in, and a change to their listing (a test run elsewhere creating
 * node_modules/.vite-temp) makes wrangler rebuild and reload the worker mid-benchmark, which
 * wrangler 4.124 did not always survive. For the same reason .cache exists from the start, empty
 * (wrangler writes its own cache there; creating the folder later would count as a change, and
 * writing through hard links would change the project's files).
 */
function linkNodeModules(source, target) {
  try {
    execFileSync("cp", ["-al", source, target], { stdio: "ignore" });
    for (const name of VOLATILE_MODULES) rmSync(join(target, name), { recursive: true, force: true });
    mkdirSync(join(target, ".cache"));
  } catch {
    rmSync(target, { recursive: true, force: true });
    symlinkSync(source, target, "dir");
  }
}

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
  linkNodeModules(join(projectRoot, "node_modules"), join(root, "node_modules"));
  const harness = await import(pathToFileURL(join(root, "test/e2e/harness.ts")).href);
  return {
    harness,
    root,
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
