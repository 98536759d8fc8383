import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import packageJson from "../../package.json";

// /docs must work offline and never run a script it did not pin: the API reference's bundle is
// served by this Worker's static assets under its version (scripts/build-assets.mjs), not a CDN.

async function docsHtml() {
  const res = await exports.default.fetch("https://auction.test/docs");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/html");
  return res.text();
}

describe("GET /docs", () => {
  it("loads the API reference from this site, at the pinned version", async () => {
    const html = await docsHtml();
    const sources = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1]);
    const version = packageJson.dependencies["@scalar/api-reference"];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(sources).toEqual([`/vendor/scalar-api-reference-${version}.js`]);
  });

  it("has no script from anywhere else, inline or imported", async () => {
    const html = await docsHtml();
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/\bimport\b[^;]*\bfrom\b/);
    expect(html).not.toContain("cdn.");
    // The one inline script starts the reference on this server's own document.
    expect(html).toContain("Scalar.createApiReference('#app'");
    expect(html).toContain('"url": "/openapi.json"');
  });
});
