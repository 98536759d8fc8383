/** The photo formats the site accepts (SPEC §10): what a browser shows with no script in it. */
export type ImageType =
  | { contentType: "image/jpeg"; extension: "jpg" }
  | { contentType: "image/png"; extension: "png" }
  | { contentType: "image/webp"; extension: "webp" };

export const IMAGE_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const RIFF = [0x52, 0x49, 0x46, 0x46];
const WEBP = [0x57, 0x45, 0x42, 0x50];

function startsWith(bytes: Uint8Array, signature: number[], at = 0): boolean {
  return bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);
}

/**
 * The photo's type from its first bytes, or null when it is none of JPEG, PNG and WebP. The
 * Content-Type a client declares is never trusted: an SVG (which can carry script) or an HTML
 * page labelled `image/png` is refused here, and a mislabelled photo is stored as what it is.
 */
export function detectImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, JPEG_SIGNATURE)) return { contentType: "image/jpeg", extension: "jpg" };
  if (startsWith(bytes, PNG_SIGNATURE)) return { contentType: "image/png", extension: "png" };
  // RIFF container: "RIFF", the chunk size (4 bytes, little-endian), then the form type "WEBP".
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8))
    return { contentType: "image/webp", extension: "webp" };
  return null;
}
