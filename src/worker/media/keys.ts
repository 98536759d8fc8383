import { newId } from "../../shared/crypto";
import type { ImageType } from "./image-type";

/**
 * Where photos live: R2 key `u/<userId>/img_<random>.<ext>`, served at `/media/<key>`. The key
 * names its uploader (a bucket listing by prefix finds a user's photos) and is never reused, so
 * what it serves never changes and may be cached for good.
 */
const KEY_PATTERN = /^u\/usr_[0-9a-z]{20}\/img_[0-9a-z]{20}\.(?:jpg|png|webp)$/;

export const MEDIA_PREFIX = "/media/";

export function newMediaKey(userId: string, type: ImageType): string {
  return `u/${userId}/${newId("img")}.${type.extension}`;
}

/** Whether an upload could have made this key: anything else is answered 404 without asking R2. */
export function isMediaKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

export function mediaUrl(key: string): string {
  return `${MEDIA_PREFIX}${key}`;
}

/** The key behind a site-relative `/media/<key>` address, or null when it is not one. */
export function mediaKeyOf(url: string): string | null {
  if (!url.startsWith(MEDIA_PREFIX)) return null;
  const key = url.slice(MEDIA_PREFIX.length);
  return isMediaKey(key) ? key : null;
}
