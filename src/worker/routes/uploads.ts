import { createRoute, z } from "@hono/zod-openapi";
import { deleteUpload, recordUpload } from "../../db/queries/uploads";
import { ApiError } from "../errors";
import { detectImageType } from "../media/image-type";
import { mediaUrl, newMediaKey } from "../media/keys";
import { UPLOAD_QUOTA } from "../media/limits";
import { currentUser, requireActiveUser } from "../middleware/auth";
import { unsupportedImage } from "../middleware/request-body";
import { createRouter, jsonContent, problem, sessionSecurity } from "../openapi";
import { PhotoBytes, UploadSchema } from "../schemas/photo";

const uploadPhoto = createRoute({
  method: "post",
  path: "/",
  operationId: "uploadPhoto",
  tags: ["Photos"],
  summary: "Upload a listing photo",
  description:
    "The body is the photo file's bytes (not JSON, not a form), with `Content-Type` image/jpeg, image/png " +
    "or image/webp — in a browser, `fetch('/api/v1/uploads', {method: 'POST', body: file})` sends exactly that. " +
    "At most 5 MB. The type is read from the bytes (JPEG `FF D8 FF`, PNG `89 50 4E 47 0D 0A 1A 0A`, WebP " +
    "`RIFF….WEBP`); anything else, SVG included, is refused. Each upload is a new photo (no Idempotency-Key). " +
    "Put the answer's `url` in an auction's `imageUrls`: only the uploader may list it.",
  security: sessionSecurity,
  middleware: [requireActiveUser] as const,
  request: {
    body: {
      required: true,
      content: {
        "image/jpeg": { schema: PhotoBytes },
        "image/png": { schema: PhotoBytes },
        "image/webp": { schema: PhotoBytes },
      },
    },
  },
  responses: {
    201: {
      ...jsonContent(UploadSchema, "The stored photo"),
      headers: z.object({ Location: z.string().openapi({ description: "The photo's `url`." }) }),
    },
    401: problem("`UNAUTHENTICATED`: no session."),
    403: problem("`ORIGIN_NOT_ALLOWED`: the session cookie from another site; `ACCOUNT_SUSPENDED`."),
    413: problem("`PAYLOAD_TOO_LARGE`: over 5 MB (5,242,880 bytes), however the body is framed."),
    415: problem(
      "`UNSUPPORTED_IMAGE`: the declared type is not image/jpeg, image/png or image/webp, or the bytes are not a JPEG, PNG or WebP (an SVG, text, an empty body, …).",
    ),
    429: problem("`RATE_LIMITED`: 60 photos in the last hour; `Retry-After` says when the next one fits."),
  },
});

/** `/uploads` (SPEC §10): listing photos into the R2 bucket, owned by whoever uploaded them. */
export const uploadsRouter = createRouter().openapi(uploadPhoto, async (c) => {
  const me = currentUser(c);
  // The request-body middleware read the body (≤ 5 MB, an image type declared): a known length,
  // which R2 needs — locally a stream without one fails (workers-sdk#4373).
  const bytes = await c.req.arrayBuffer();
  const type = detectImageType(new Uint8Array(bytes));
  if (type === null) throw unsupportedImage();

  const key = newMediaKey(me.id, type);
  // The row first: it holds the quota atomically. If the object then fails to land, the row goes;
  // a crash in between leaves a row whose address nobody was ever given (it serves 404).
  const recorded = await recordUpload(
    c.env.DB,
    { key, userId: me.id, contentType: type.contentType, size: bytes.byteLength, createdAt: Date.now() },
    UPLOAD_QUOTA,
  );
  if (!recorded.ok) {
    throw new ApiError("RATE_LIMITED", "Too many photos in the last hour: try again later.", {
      headers: { "retry-after": String(Math.ceil(recorded.retryAfterMs / 1000)) },
    });
  }
  try {
    await c.env.MEDIA.put(key, bytes, { httpMetadata: { contentType: type.contentType } });
  } catch (error) {
    await deleteUpload(c.env.DB, key);
    throw error;
  }
  const url = mediaUrl(key);
  c.header("Location", url);
  return c.json({ key, url, contentType: type.contentType, size: bytes.byteLength }, 201);
});
