import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { jpegLike, PNG } from "../images";
import { api, signUpAndLogin, startServer, type TestServer, uniqueUsername } from "./harness";

// SPEC §10 on a real `wrangler dev`: photos go into its local R2 bucket and come back from /media,
// however the client frames the body (locally, R2 refuses a stream without a length: the worker
// must hand it the bytes it read).

const uploadSchema = z.object({
  key: z.string(),
  url: z.string(),
  contentType: z.string(),
  size: z.number(),
});
const problemSchema = z.object({ code: z.string() });

describe("photos on a real server", () => {
  let server: TestServer;
  let token: string;
  let userId: string;

  beforeAll(async () => {
    server = await startServer();
    const session = await signUpAndLogin(server.baseUrl, uniqueUsername("photographer"));
    token = session.token;
    userId = session.user.id;
  });

  afterAll(async () => {
    await server?.stop();
  });

  const upload = (body: BodyInit, type: string, headers: Record<string, string> = {}) =>
    fetch(new URL("/api/v1/uploads", server.baseUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": type, ...headers },
      body,
      // Node's fetch streams a ReadableStream body chunked only when told it is one-way.
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    });

  it("uploads a PNG and serves the same bytes from /media with immutable caching", async () => {
    const res = await upload(PNG, "image/png");
    expect(res.status, server.logTail()).toBe(201);
    const stored = uploadSchema.parse(await res.json());
    expect(stored).toEqual({
      key: expect.stringMatching(new RegExp(`^u/${userId}/img_[0-9a-z]{20}\\.png$`)),
      url: `/media/${stored.key}`,
      contentType: "image/png",
      size: PNG.byteLength,
    });

    const photo = await fetch(new URL(stored.url, server.baseUrl));
    expect(photo.status).toBe(200);
    expect(new Uint8Array(await photo.arrayBuffer())).toEqual(PNG);
    expect(photo.headers.get("content-type")).toBe("image/png");
    expect(photo.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(photo.headers.get("x-content-type-options")).toBe("nosniff");
    const etag = photo.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    const again = await fetch(new URL(stored.url, server.baseUrl), { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);

    // The listing shows it.
    const auction = await api(server.baseUrl).post(
      "/api/v1/auctions",
      { title: "Polaroid", startingPrice: 5_000, durationSeconds: 3_600, imageUrls: [stored.url] },
      { token },
    );
    expect(auction.status, JSON.stringify(auction.body)).toBe(201);
    expect(z.object({ imageUrls: z.array(z.string()) }).parse(auction.body).imageUrls).toEqual([stored.url]);
  });

  it("takes a photo streamed chunked (no Content-Length), and refuses one over 5 MB with 413, staying up", async () => {
    const photo = jpegLike(300_000);
    const chunked = (bytes: Uint8Array, size: number) => {
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= bytes.byteLength) return controller.close();
          controller.enqueue(bytes.subarray(sent, sent + size));
          sent += size;
        },
      });
    };
    const streamed = await upload(chunked(photo, 64 * 1024), "image/jpeg");
    expect(streamed.status, server.logTail()).toBe(201);
    const stored = uploadSchema.parse(await streamed.json());
    expect(stored.size).toBe(photo.byteLength);
    const served = await fetch(new URL(stored.url, server.baseUrl));
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(photo);

    const tooBig = await upload(chunked(jpegLike(5 * 1024 * 1024 + 1), 256 * 1024), "image/jpeg");
    expect(tooBig.status).toBe(413);
    expect(problemSchema.parse(await tooBig.json()).code).toBe("PAYLOAD_TOO_LARGE");
    const health = await api(server.baseUrl).get("/api/v1/health");
    expect(health.status, server.logTail()).toBe(200);
  });

  it("refuses an SVG, and answers an unknown photo with 404", async () => {
    const svg = await upload(
      new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"),
      "image/png",
    );
    expect(svg.status).toBe(415);
    expect(problemSchema.parse(await svg.json()).code).toBe("UNSUPPORTED_IMAGE");
    const unknown = await fetch(new URL(`/media/u/${userId}/img_00000000000000000000.png`, server.baseUrl));
    expect(unknown.status).toBe(404);
    expect(problemSchema.parse(await unknown.json()).code).toBe("MEDIA_NOT_FOUND");
  });
});
