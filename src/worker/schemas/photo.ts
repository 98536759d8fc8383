import { z } from "@hono/zod-openapi";

export const UploadSchema = z
  .object({
    key: z.string().openapi({ example: "u/usr_3k9x0c2m4q8r1v7w5z6y/img_8f2k4m6p9r1t3v5x7z0b.jpg" }),
    url: z.string().openapi({
      description: "Where the photo is served, site-relative: put it in an auction's `imageUrls`.",
      example: "/media/u/usr_3k9x0c2m4q8r1v7w5z6y/img_8f2k4m6p9r1t3v5x7z0b.jpg",
    }),
    contentType: z.enum(["image/jpeg", "image/png", "image/webp"]).openapi({
      description: "The type read from the photo's bytes (whatever the request declared).",
    }),
    size: z.number().int().openapi({ description: "Bytes stored.", example: 183_204 }),
  })
  .openapi("Upload");

/** The request body of an upload: the file itself, not JSON (documentation only; the bytes decide). */
export const PhotoBytes = z.string().openapi({ format: "binary", description: "The photo file's bytes." });

const HttpsUrl = z.url({ protocol: /^https$/ });

/** `/media/<key>` of an upload (its `url`); whose upload it is, the route checks against D1. */
const MediaPath = z
  .string()
  .regex(/^\/media\/u\/usr_[0-9a-z]{20}\/img_[0-9a-z]{20}\.(?:jpg|png|webp)$/)
  .openapi({ example: "/media/u/usr_3k9x0c2m4q8r1v7w5z6y/img_8f2k4m6p9r1t3v5x7z0b.jpg" });

/** One of an auction's photos (SPEC §4): an https URL anywhere, or the `url` of the seller's own upload. */
export const ImageUrl = z.union([HttpsUrl, MediaPath], {
  error: "must be an https URL or the url of a photo you uploaded (/media/…)",
});
