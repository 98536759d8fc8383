import { env as workerEnv } from "cloudflare:workers";
import { describe, expect, expectTypeOf, it } from "vitest";
import { type AssetsEnv, manifestReader } from "../../src/web/assets-manifest";

/** An ASSETS binding serving `files`, counting the requests it gets. */
function assets(files: Record<string, string>) {
  const requests: string[] = [];
  return {
    requests,
    env: {
      ASSETS: {
        async fetch(input: Request | string) {
          const url = new URL(typeof input === "string" ? input : input.url);
          requests.push(url.href);
          const body = files[url.pathname];
          return body === undefined ? new Response("Not found", { status: 404 }) : new Response(body);
        },
      },
    },
  };
}

const MANIFEST = JSON.stringify({ site: "/client/site-AB12.js", auction: "/client/auction-CD34.js" });

describe("clientScripts", () => {
  it("takes the Worker's own env (checked by the type checker)", () => {
    expectTypeOf(workerEnv).toExtend<AssetsEnv>();
  });

  it("reads the bundles' hashed names from /client/manifest.json on the request's origin", async () => {
    const { env, requests } = assets({ "/client/manifest.json": MANIFEST });
    const read = manifestReader();
    expect(await read(env, "https://auction.test/auctions/auc_1?x=1")).toEqual({
      site: "/client/site-AB12.js",
      auction: "/client/auction-CD34.js",
    });
    expect(requests).toEqual(["https://auction.test/client/manifest.json"]);
  });

  it("reads it once per isolate", async () => {
    const { env, requests } = assets({ "/client/manifest.json": MANIFEST });
    const read = manifestReader();
    await Promise.all([read(env, "https://auction.test/"), read(env, "https://auction.test/sell")]);
    await read(env, "https://auction.test/me");
    expect(requests).toHaveLength(1);
  });

  it("is empty when there is no build (the Workers test pool), so pages load no script", async () => {
    const { env, requests } = assets({});
    const read = manifestReader();
    expect(await read(env, "https://auction.test/")).toEqual({});
    expect(await read(env, "https://auction.test/")).toEqual({});
    expect(requests).toHaveLength(1);
  });

  it("ignores a manifest it cannot trust, rather than put its text in a script tag", async () => {
    for (const manifest of ["not json", JSON.stringify({ site: 'x.js"><script>alert(1)</script>' })]) {
      const { env } = assets({ "/client/manifest.json": manifest });
      expect(await manifestReader()(env, "https://auction.test/")).toEqual({});
    }
  });

  it("tries again on the next request after the binding failed", async () => {
    let calls = 0;
    const env = {
      ASSETS: {
        async fetch() {
          calls++;
          if (calls === 1) throw new Error("network lost");
          return new Response(MANIFEST);
        },
      },
    };
    const read = manifestReader();
    expect(await read(env, "https://auction.test/")).toEqual({});
    expect(await read(env, "https://auction.test/")).toMatchObject({ site: "/client/site-AB12.js" });
  });
});
