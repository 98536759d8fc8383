import { ownedUploadKeys } from "../../db/queries/uploads";
import { ApiError, type FieldError } from "../errors";
import { mediaKeyOf } from "./keys";

/**
 * Refuses an auction's `imageUrls` that name uploads (`/media/…`) not made by `userId`: someone
 * else's photo, or an address nobody uploaded, is 422 UPLOAD_NOT_OWNED on `imageUrls.<index>`.
 * https URLs are not checked; without a `/media/` address no D1 query is made.
 */
export async function requireOwnPhotos(
  db: D1Database,
  userId: string,
  imageUrls: readonly string[],
): Promise<void> {
  const keys = imageUrls.map((url) => ({ url, key: mediaKeyOf(url) }));
  const named = keys.flatMap(({ key }) => (key === null ? [] : [key]));
  if (named.length === 0) return;
  const owned = await ownedUploadKeys(db, userId, named);
  const errors: FieldError[] = keys.flatMap(({ key }, index) =>
    key !== null && !owned.has(key)
      ? [{ path: `imageUrls.${index}`, message: "not a photo you uploaded" }]
      : [],
  );
  if (errors.length > 0) {
    throw new ApiError(
      "UPLOAD_NOT_OWNED",
      `An auction shows only its seller's own uploads: ${errors.map((e) => e.path).join(", ")}.`,
      { errors },
    );
  }
}
