import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expectProblem, signUp, type TestUser } from "../helpers";
import { jpegLike, PNG, SVG, webpLike } from "../images";

/** SPEC §10 "Photos": POST /api/v1/uploads into R2, served back at /media/{key}. */

const SITE = "https://auction.test";
const FIVE_MB = 5 * 1024 * 1024;

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: as in test/helpers.ts, expect() does the checking.
  body: any;
}

async function send(request: Request): Promise<Answer> {
  const response = await exports.default.fetch(request);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** The photo's bytes as the body, as the browser's `fetch(url, {method: "POST", body: file})` sends them. */
function upload(
  body: BodyInit | null,
  options: { user?: TestUser; type?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.user) headers.authorization = `Bearer ${options.user.token}`;
  if (options.type !== null) headers["content-type"] = options.type ?? "image/png";
  return send(new Request(`${SITE}/api/v1/uploads`, { method: "POST", headers, body }));
}

async function fetchMedia(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${SITE}${path}`, { headers }));
}

/** What this user has stored: R2 objects under their prefix and D1 rows. */
async function storedBy(user: TestUser) {
  const objects = await env.MEDIA.list({ prefix: `u/${user.id}/` });
  const rows = await env.DB.prepare(
    "SELECT key, content_type AS contentType, size FROM uploads WHERE user_id = ?",
  )
    .bind(user.id)
    .all();
  return { objects: objects.objects.map((o) => o.key), rows: rows.results };
}

const nothingStored = { objects: [], rows: [] };

describe("POST /api/v1/uploads", () => {
  it.each([
    ["PNG", PNG, "image/png", "png"],
    ["JPEG", jpegLike(2_000), "image/jpeg", "jpg"],
    ["WebP", webpLike(3_000), "image/webp", "webp"],
  ])(
    "stores a %s under the uploader's prefix and answers 201 {key, url, contentType, size}",
    async (_name, bytes, type, ext) => {
      const seller = await signUp("uploader");
      const res = await upload(bytes, { user: seller, type });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        key: expect.stringMatching(new RegExp(`^u/${seller.id}/img_[0-9a-z]{20}\\.${ext}$`)),
        url: `/media/${res.body.key}`,
        contentType: type,
        size: bytes.byteLength,
      });
      expect(res.headers.get("location")).toBe(res.body.url);
      const object = await env.MEDIA.get(res.body.key);
      expect(object?.httpMetadata?.contentType).toBe(type);
      expect(new Uint8Array(await (object as R2ObjectBody).arrayBuffer())).toEqual(bytes);
      expect(await storedBy(seller)).toEqual({
        objects: [res.body.key],
        rows: [{ key: res.body.key, contentType: type, size: bytes.byteLength }],
      });
    },
  );

  it("goes by the bytes, not by the declared type: a PNG sent as image/jpeg is stored as a PNG", async () => {
    const seller = await signUp("uploader");
    const res = await upload(PNG, { user: seller, type: "image/jpeg" });
    expect(res.status).toBe(201);
    expect(res.body.contentType).toBe("image/png");
    expect(res.body.key).toMatch(/\.png$/);
  });

  it("accepts the declared type with parameters and in any case", async () => {
    const seller = await signUp("uploader");
    expect((await upload(PNG, { user: seller, type: "Image/PNG; name=cat.png" })).status).toBe(201);
  });

  it.each([
    ["an SVG sent as an SVG", SVG, "image/svg+xml"],
    ["an SVG sent as a PNG", SVG, "image/png"],
    ["text sent as text", new TextEncoder().encode("not a photo"), "text/plain"],
    ["garbage sent as a JPEG", new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), "image/jpeg"],
    ["a GIF", new TextEncoder().encode("GIF89a\u0001\u0000\u0001\u0000"), "image/gif"],
    ["JSON", new TextEncoder().encode('{"url":"https://example.com/a.png"}'), "application/json"],
    ["a PNG sent as a form", PNG, "multipart/form-data; boundary=x"],
    ["an empty body", new Uint8Array(0), "image/png"],
    ["a PNG without a content type", PNG, null],
  ])("refuses %s with 415 UNSUPPORTED_IMAGE and stores nothing", async (_name, bytes, type) => {
    const seller = await signUp("uploader");
    const res = await upload(bytes, { user: seller, type });
    expectProblemAnswer(res, 415, "UNSUPPORTED_IMAGE");
    expect(res.body.detail).toContain("JPEG, PNG or WebP");
    expect(await storedBy(seller)).toEqual(nothingStored);
  });

  it("refuses a POST with no body at all with 415 UNSUPPORTED_IMAGE", async () => {
    const seller = await signUp("uploader");
    expectProblemAnswer(await upload(null, { user: seller, type: null }), 415, "UNSUPPORTED_IMAGE");
  });

  it("takes exactly 5 MB, and refuses one byte more with 413 PAYLOAD_TOO_LARGE, storing nothing", async () => {
    const seller = await signUp("uploader");
    const atLimit = await upload(jpegLike(FIVE_MB), { user: seller, type: "image/jpeg" });
    expect(atLimit.status).toBe(201);
    expect(atLimit.body.size).toBe(FIVE_MB);
    const other = await signUp("uploader");
    const over = await upload(jpegLike(FIVE_MB + 1), { user: other, type: "image/jpeg" });
    expectProblemAnswer(over, 413, "PAYLOAD_TOO_LARGE");
    expect(over.body.detail).toContain("5 MB");
    expect(await storedBy(other)).toEqual(nothingStored);
  });

  it("refuses a chunked body over 5 MB with 413 after reading it to its end (never cancelling it)", async () => {
    const seller = await signUp("uploader");
    const chunk = jpegLike(256 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= FIVE_MB + chunk.byteLength) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await upload(body, { user: seller, type: "image/jpeg" });
    expectProblemAnswer(res, 413, "PAYLOAD_TOO_LARGE");
    expect(sent).toBe(FIVE_MB + chunk.byteLength);
    expect(await storedBy(seller)).toEqual(nothingStored);
  });

  it("keeps the 64 KiB limit and JSON rule of every other route", async () => {
    const user = await signUp("uploader");
    const res = await send(
      new Request(`${SITE}/api/v1/me/inbox/read-all`, {
        method: "POST",
        headers: { authorization: `Bearer ${user.token}`, "content-type": "image/png" },
        body: jpegLike(100 * 1024),
      }),
    );
    expectProblemAnswer(res, 413, "PAYLOAD_TOO_LARGE");
  });

  it("refuses anonymous callers with 401 and stores nothing", async () => {
    const before = (await env.MEDIA.list()).objects.length;
    expectProblemAnswer(await upload(PNG), 401, "UNAUTHENTICATED");
    expect((await env.MEDIA.list()).objects.length).toBe(before);
  });

  it("takes the session cookie from the site itself, and refuses it from another site (403 ORIGIN_NOT_ALLOWED)", async () => {
    const seller = await signUp("uploader");
    const cookie = { cookie: `sa_session=${seller.token}` };
    const foreign = await upload(PNG, { headers: { ...cookie, origin: "https://evil.example" } });
    expectProblemAnswer(foreign, 403, "ORIGIN_NOT_ALLOWED");
    expect(await storedBy(seller)).toEqual(nothingStored);
    expect((await upload(PNG, { headers: { ...cookie, origin: SITE } })).status).toBe(201);
  });

  it("allows 60 photos per user per hour: the 61st is 429 RATE_LIMITED with Retry-After, older ones do not count", async () => {
    const seller = await signUp("uploader");
    const now = Date.now();
    const HOUR = 3_600_000;
    const insert = env.DB.prepare(
      "INSERT INTO uploads (key, user_id, content_type, size, created_at) VALUES (?, ?, 'image/png', 73, ?)",
    );
    // 59 in the last hour, the oldest 50 minutes ago; 5 more from before the hour.
    await env.DB.batch([
      ...Array.from({ length: 59 }, (_, i) =>
        insert.bind(`u/${seller.id}/img_recent${i}.png`, seller.id, now - (i === 0 ? 50 * 60_000 : 1_000)),
      ),
      ...Array.from({ length: 5 }, (_, i) =>
        insert.bind(`u/${seller.id}/img_old${i}.png`, seller.id, now - HOUR - 60_000),
      ),
    ]);
    expect((await upload(PNG, { user: seller })).status).toBe(201);
    const refused = await upload(PNG, { user: seller });
    expectProblemAnswer(refused, 429, "RATE_LIMITED");
    // The oldest upload of the hour leaves the window in about 10 minutes.
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(9 * 60);
    expect(retryAfter).toBeLessThanOrEqual(10 * 60);
    expect((await storedBy(seller)).objects).toHaveLength(1);
    // Someone else's quota is their own.
    expect((await upload(PNG, { user: await signUp("uploader") })).status).toBe(201);
  });
});

describe("GET /media/{key}", () => {
  it("serves the uploaded bytes with the stored type, an ETag and immutable caching", async () => {
    const seller = await signUp("uploader");
    const { body } = await upload(webpLike(4_321), { user: seller, type: "image/webp" });
    const res = await fetchMedia(body.url);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(webpLike(4_321));
    expect(res.headers.get("content-type")).toBe("image/webp");
    expect(res.headers.get("content-length")).toBe("4321");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]+"$/);
  });

  it("answers 304 to a request that already has the photo (If-None-Match)", async () => {
    const seller = await signUp("uploader");
    const { body } = await upload(PNG, { user: seller });
    const etag = (await fetchMedia(body.url)).headers.get("etag") ?? "";
    const again = await fetchMedia(body.url, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("answers a well-formed key nobody uploaded with 404 MEDIA_NOT_FOUND", async () => {
    const seller = await signUp("uploader");
    const res = await send(new Request(`${SITE}/media/u/${seller.id}/img_00000000000000000000.png`));
    expectProblemAnswer(res, 404, "MEDIA_NOT_FOUND");
  });

  it.each([
    ["/media/evil.svg", "evil.svg"],
    [
      "/media/u/usr_00000000000000000000/img_00000000000000000000.svg",
      "u/usr_00000000000000000000/img_00000000000000000000.svg",
    ],
    ["/media/u/usr_00000000000000000000/../img_00000000000000000000.png", null],
    [
      "/media/u/usr_00000000000000000000/img_00000000000000000000.png/x",
      "u/usr_00000000000000000000/img_00000000000000000000.png/x",
    ],
    ["/media/", null],
  ])("answers %s with 404 without asking R2, even when R2 has such an object", async (path, planted) => {
    // Objects no upload could have made: the key's shape is checked before the bucket is read.
    if (planted) await env.MEDIA.put(planted, SVG, { httpMetadata: { contentType: "image/svg+xml" } });
    const res = await send(new Request(`${SITE}${path}`));
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});

function expectProblemAnswer(res: Answer, status: number, code: string): void {
  expectProblem({ ...res, text: JSON.stringify(res.body) }, status, code);
}
