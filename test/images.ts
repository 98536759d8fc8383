/**
 * Photo bodies for the upload tests, usable from the Workers pool and from Node (no imports).
 * The server decides an image's type from its first bytes only (SPEC §10), so besides one real
 * PNG the JPEG and WebP bodies are those signatures followed by filler: that is all it reads.
 */

function fromBase64(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function withFiller(head: number[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set(head);
  for (let i = head.length; i < size; i++) bytes[i] = (i * 31) % 251;
  return bytes;
}

/** A real 2×2 RGB PNG (73 bytes), made for these tests. */
export const PNG = fromBase64(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR42mMwXlUORAwQCgAkLgVRWvbe+QAAAABJRU5ErkJggg==",
);

/** `FF D8 FF` (start of image, then a JFIF APP0 marker) and filler. */
export function jpegLike(size = 1_000): Uint8Array {
  return withFiller([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], size);
}

/** `RIFF`, a little-endian size, `WEBP`, a `VP8L` chunk header, and filler. */
export function webpLike(size = 1_000): Uint8Array {
  const riffSize = size - 8;
  return withFiller(
    [
      0x52,
      0x49,
      0x46,
      0x46,
      riffSize & 0xff,
      (riffSize >> 8) & 0xff,
      (riffSize >> 16) & 0xff,
      (riffSize >> 24) & 0xff,
      0x57,
      0x45,
      0x42,
      0x50,
      0x56,
      0x50,
      0x38,
      0x4c,
    ],
    size,
  );
}

/** An SVG: an image format, but a script can run in it, so it is never accepted. */
export const SVG = new TextEncoder().encode(
  '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><script>alert(1)</script></svg>',
);
