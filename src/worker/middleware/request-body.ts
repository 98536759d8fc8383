import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { IMAGE_CONTENT_TYPES } from "../media/image-type";
import { MAX_PHOTO_BYTES, UPLOAD_PATH } from "../media/limits";

/** Largest JSON body accepted: a full auction with a 5,000-char description fits many times over. */
export const MAX_BODY_BYTES = 64 * 1024;

/** What a request's body may be: its size limit and media types, and how each is refused. */
interface BodyRule {
  maxBytes: number;
  tooLarge: () => ApiError;
  /** Whether a body declared as this media type (lower case, without parameters) may reach the route. */
  accepts: (essence: string) => boolean;
  wrongType: () => ApiError;
  json: boolean;
}

/** Every route but one: JSON up to 64 KiB. */
const JSON_BODY: BodyRule = {
  maxBytes: MAX_BODY_BYTES,
  tooLarge: () => new ApiError("PAYLOAD_TOO_LARGE", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`),
  accepts: (essence) => essence === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(essence),
  wrongType: () =>
    new ApiError(
      "UNSUPPORTED_MEDIA_TYPE",
      "Request bodies must be JSON: send `Content-Type: application/json`.",
    ),
  json: true,
};

const IMAGE_TYPES: ReadonlySet<string> = new Set(IMAGE_CONTENT_TYPES);

/**
 * `POST /api/v1/uploads` (SPEC §10): the photo's own bytes, up to 5 MB. The declared type only
 * gets the body to the route, which decides the real type from the bytes.
 */
const PHOTO_BODY: BodyRule = {
  maxBytes: MAX_PHOTO_BYTES,
  tooLarge: () =>
    new ApiError(
      "PAYLOAD_TOO_LARGE",
      `Photos are limited to 5 MB (${MAX_PHOTO_BYTES.toLocaleString("en")} bytes).`,
    ),
  accepts: (essence) => IMAGE_TYPES.has(essence),
  wrongType: unsupportedImage,
  json: false,
};

/** A body that is not a JPEG, PNG or WebP photo, by its declared type or by its bytes. */
export function unsupportedImage(): ApiError {
  return new ApiError(
    "UNSUPPORTED_IMAGE",
    "Photos must be JPEG, PNG or WebP: send the file's bytes as the body with its type as `Content-Type` " +
      "(image/jpeg, image/png or image/webp). Other formats, SVG included, are refused.",
  );
}

function bodyRuleOf(method: string, path: string): BodyRule {
  return method === "POST" && path === UPLOAD_PATH ? PHOTO_BODY : JSON_BODY;
}

const METHODS_WITHOUT_BODY = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether the client sent a body. The runtime may drop the body of a GET before the worker sees
 * it (locally, wrangler's proxy does), so the framing headers count as much as the stream.
 */
function declaresBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  return (
    request.body !== null || request.headers.has("transfer-encoding") || (length !== null && length !== "0")
  );
}

/**
 * Reads a refused body to its end and throws it away. Answering while the client was still
 * sending (or cancelling the stream) made the local dev proxy lose the connection and exit: one
 * chunked body over the limit stopped `wrangler dev`. Reading costs little and is bounded by the
 * platform, which refuses bodies over 100 MB before they reach the worker.
 */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  for (;;) {
    const { done } = await reader.read();
    if (done) return;
  }
}

/** The media type without its parameters, in lower case (`""` when none was declared). */
function essenceOf(contentType: string | null): string {
  return contentType?.split(";", 1)[0]?.trim().toLowerCase() ?? "";
}

/**
 * Admits a request body, or refuses it with a problem before any route sees it: none on
 * GET/HEAD/OPTIONS (400), at most the route's limit however it is framed, Content-Length or
 * chunked (413), and only the route's media types (415): JSON up to 64 KiB everywhere but the
 * photo upload, which takes a JPEG, PNG or WebP up to 5 MB. Notes a `__proto__` key of a JSON body
 * for its validation. Hono's own limit threw a TypeError (500) when it rebuilt a GET request with a
 * body, and answered chunked overflows before the body was read.
 */
export const requestBody = createMiddleware<AppEnv>(async (c, next) => {
  const request = c.req.raw;
  if (METHODS_WITHOUT_BODY.has(request.method) && declaresBody(request)) {
    if (request.body !== null) await discard(request.body.getReader());
    throw new ApiError("BODY_NOT_ALLOWED", `${request.method} requests must not carry a body.`);
  }
  if (request.body === null) return next();
  const rule = bodyRuleOf(request.method, c.req.path);
  const reader = request.body.getReader();
  const declared = request.headers.get("transfer-encoding") ? null : request.headers.get("content-length");
  if (declared !== null && Number(declared) > rule.maxBytes) {
    await discard(reader);
    throw rule.tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > rule.maxBytes) {
      await discard(reader);
      throw rule.tooLarge();
    }
    chunks.push(value);
  }
  if (size > 0 && !rule.accepts(essenceOf(request.headers.get("content-type")))) throw rule.wrongType();
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  // Refused by the body's validation (openapi.ts), not here: a stranger must get 401 and a
  // non-admin 403 whatever the body holds, as with any other invalid body.
  const prototypeKey = rule.json && size > 0 ? prototypeKeyPath(body) : null;
  if (prototypeKey !== null) c.set("bodyPrototypeKey", prototypeKey);
  c.req.raw = new Request(request, { body });
  return next();
});

/**
 * Where a JSON body has a `__proto__` key, if anywhere. JSON.parse makes it an ordinary field, but
 * strict schemas let it through as "known" (every object inherits a `__proto__`), so a bid with one
 * was accepted. Invalid JSON is left to the validator, which answers MALFORMED_JSON.
 */
function prototypeKeyPath(body: Uint8Array): string | null {
  const text = new TextDecoder().decode(body);
  // The key can only be spelled out or escaped (`\u005f_proto__`): any other body — every bid —
  // skips a second parse (the route's validator parses it once more anyway).
  if (!text.includes("__proto__") && !text.includes("\\u")) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  // Iterative: a body may nest thousands of levels deep, and recursion would overflow the stack.
  const pending: { value: unknown; path: string[] }[] = [{ value: parsed, path: [] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== "object" || next.value === null) continue;
    for (const [key, child] of Object.entries(next.value)) {
      const path = [...next.path, key];
      if (key === "__proto__") return path.join(".");
      pending.push({ value: child, path });
    }
  }
  return null;
}
