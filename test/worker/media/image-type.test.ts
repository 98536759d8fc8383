import { describe, expect, it } from "vitest";
import { detectImageType } from "../../../src/worker/media/image-type";
import { jpegLike, PNG, SVG, webpLike } from "../../images";

const bytes = (...values: number[]) => new Uint8Array(values);
const ascii = (text: string) => new TextEncoder().encode(text);

describe("detectImageType: the photo's type from its first bytes (SPEC §10)", () => {
  it.each([
    ["a PNG", PNG, { contentType: "image/png", extension: "png" }],
    ["a JPEG", jpegLike(), { contentType: "image/jpeg", extension: "jpg" }],
    ["a WebP", webpLike(), { contentType: "image/webp", extension: "webp" }],
    ["the shortest JPEG signature", bytes(0xff, 0xd8, 0xff), { contentType: "image/jpeg", extension: "jpg" }],
  ])("knows %s", (_name, body, type) => {
    expect(detectImageType(body)).toEqual(type);
  });

  it.each([
    ["an SVG", SVG],
    ["an SVG behind a byte-order mark and spaces", ascii('\ufeff  <?xml version="1.0"?><svg/>')],
    ["plain text", ascii("hello, this is not a photo")],
    ["JSON", ascii('{"title":"camera"}')],
    ["nothing", bytes()],
    ["a GIF", ascii("GIF89a\x01\x00\x01\x00")],
    ["half a PNG signature", bytes(0x89, 0x50, 0x4e, 0x47)],
    ["a PNG signature with one byte wrong", bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b, 0, 0)],
    ["two bytes of a JPEG", bytes(0xff, 0xd8)],
    ["a RIFF that is a WAVE sound", ascii("RIFF\x24\x00\x00\x00WAVEfmt ")],
    ["a RIFF cut before its form type", ascii("RIFF\x24\x00\x00\x00WEB")],
    ["WEBP at the wrong offset", ascii("RIFFWEBP\x00\x00\x00\x00")],
  ])("refuses %s", (_name, body) => {
    expect(detectImageType(body)).toBeNull();
  });
});
