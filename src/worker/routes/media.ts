import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../errors";
import { isMediaKey } from "../media/keys";
import { createRouter, problem, publicSecurity } from "../openapi";

/** Keys never change what they serve (a new photo is a new key): caches may keep them for good. */
const IMMUTABLE = "public, max-age=31536000, immutable";

const PhotoParams = z.object({
  userId: z.string().openapi({ param: { name: "userId", in: "path" }, example: "usr_3k9x0c2m4q8r1v7w5z6y" }),
  name: z.string().openapi({ param: { name: "name", in: "path" }, example: "img_8f2k4m6p9r1t3v5x7z0b.jpg" }),
});

const getPhoto = createRoute({
  method: "get",
  path: "/u/{userId}/{name}",
  operationId: "getPhoto",
  tags: ["Photos"],
  summary: "An uploaded photo",
  description:
    "The `url` an upload answered. Served with the type read at upload, `Cache-Control: " +
    `${IMMUTABLE}\`, an \`ETag\` (\`If-None-Match\` → 304) and \`X-Content-Type-Options: nosniff\`.`,
  security: publicSecurity,
  request: { params: PhotoParams },
  responses: {
    200: {
      description: "The photo",
      content: {
        "image/jpeg": { schema: z.string().openapi({ format: "binary" }) },
        "image/png": { schema: z.string().openapi({ format: "binary" }) },
        "image/webp": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
    304: { description: "Not modified: the `If-None-Match` ETag is the photo's." },
    400: problem("`BODY_NOT_ALLOWED`: the request carried a body."),
    404: problem("`MEDIA_NOT_FOUND`: no such photo (or an address no upload could have)."),
  },
});

const mediaNotFound = () => new ApiError("MEDIA_NOT_FOUND", "No such photo.");

/** `/media/*` (SPEC §10): the uploaded photos, from the R2 bucket. Outside /api: `<img src>` reads it. */
export const mediaRouter = createRouter()
  .openapi(getPhoto, async (c) => {
    const { userId, name } = c.req.valid("param");
    const key = `u/${userId}/${name}`;
    // Only an address an upload could have made reaches the bucket: whatever else R2 may hold is
    // never served, and a probe costs no R2 read.
    if (!isMediaKey(key)) throw mediaNotFound();
    const ifNoneMatch = c.req.header("if-none-match");
    const object = await c.env.MEDIA.get(
      key,
      ifNoneMatch ? { onlyIf: new Headers({ "if-none-match": ifNoneMatch }) } : {},
    );
    if (object === null) throw mediaNotFound();
    const headers = new Headers({
      "content-type": object.httpMetadata?.contentType ?? "application/octet-stream",
      "cache-control": IMMUTABLE,
      etag: object.httpEtag,
      "x-content-type-options": "nosniff",
    });
    // Without a body, R2 says the If-None-Match matched: the client has this very photo.
    if (!("body" in object)) return c.body(null, 304, Object.fromEntries(headers));
    headers.set("content-length", String(object.size));
    return new Response(object.body, { status: 200, headers });
  })
  // Any other address under /media: the same answer as an unknown photo.
  .get("/*", () => {
    throw mediaNotFound();
  });
