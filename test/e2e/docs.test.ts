import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "./harness";

// /docs as a browser meets it on a real `wrangler dev`: the page's one script comes from this
// server's static assets (built by `[build] command`), so the reference works with no internet.

describe("/docs, offline", () => {
  let server: TestServer | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startServer();
    baseUrl = server.baseUrl;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("serves the page's script itself, as JavaScript", async () => {
    const page = await fetch(new URL("/docs", baseUrl));
    expect(page.status).toBe(200);
    const html = await page.text();
    const sources = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1] ?? "");
    expect(sources).toHaveLength(1);
    const [source = ""] = sources;
    expect(source).toMatch(/^\/vendor\/scalar-api-reference-\d+\.\d+\.\d+\.js$/);

    const script = await fetch(new URL(source, baseUrl));
    expect(script.status, server?.logTail()).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/^(application|text)\/javascript/);
    const code = await script.text();
    // The inline start-up call on the page needs exactly this global.
    expect(code).toContain("window.Scalar={createApiReference:");
    expect(code).not.toContain("sourceMappingURL");
  });

  it("still answers the API and the document from the Worker", async () => {
    const doc = await fetch(new URL("/openapi.json", baseUrl));
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe("3.1.0");
    const missing = await fetch(new URL("/vendor/nothing-here.js", baseUrl));
    // No file and no route: the Worker's own 404 problem, not an empty asset answer.
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});
