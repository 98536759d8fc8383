import { z } from "zod";

/**
 * The web app's script tags need the client bundles' content-hashed names, which the build writes
 * to dist/assets/client/manifest.json (scripts/build-client.mjs). The Worker reads that file
 * through its `ASSETS` binding once per isolate; with no build (the Workers test pool) it is
 * absent and pages simply load no script.
 */

/** What the reader needs of the Worker's env: the static assets binding. */
export interface AssetsEnv {
  ASSETS: { fetch(input: Request | string): Promise<Response> };
}

export interface ClientScripts {
  site?: string;
  auction?: string;
}

// The names end up in `<script src>`: accept only what the build writes.
const ScriptPath = z.string().regex(/^\/client\/[\w-]+\.js$/);
const ManifestSchema = z.object({ site: ScriptPath.optional(), auction: ScriptPath.optional() });

async function readManifest(env: AssetsEnv, requestUrl: string): Promise<ClientScripts> {
  const response = await env.ASSETS.fetch(new URL("/client/manifest.json", requestUrl).href);
  if (!response.ok) return {};
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return {};
  }
  const manifest = ManifestSchema.safeParse(json);
  return manifest.success ? manifest.data : {};
}

/**
 * A manifest reader with its own cache: the first call fetches, later ones share its answer. A
 * missing or unreadable manifest is an answer too ({}); a failed fetch is not, and is retried.
 */
export function manifestReader(): (env: AssetsEnv, requestUrl: string) => Promise<ClientScripts> {
  let cached: Promise<ClientScripts> | null = null;
  return (env, requestUrl) => {
    cached ??= readManifest(env, requestUrl).catch(() => {
      cached = null;
      return {};
    });
    return cached;
  };
}

const isolateReader = manifestReader();

/** The client bundles' URLs for this deployment, read once per isolate. */
export async function clientScripts(env: AssetsEnv, requestUrl: string): Promise<ClientScripts> {
  return isolateReader(env, requestUrl);
}
