import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { z } from "zod";

/**
 * A request exactly as it goes on the wire. node:http rather than fetch: fetch refuses a body on
 * GET/HEAD and hides the handshake of a WebSocket upgrade, and both are what a fuzzer must send.
 */
export interface RawRequest {
  method: string;
  /** Path and query, sent as is (no normalisation of `..` or percent escapes). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body with `Transfer-Encoding: chunked` (in several chunks) instead of Content-Length. */
  chunked?: boolean;
}

export type RawAnswer =
  | {
      ok: true;
      status: number;
      headers: IncomingHttpHeaders;
      text: string;
      /** The server switched protocols (a WebSocket was accepted). */
      upgraded: boolean;
    }
  | { ok: false; error: string };

const ANSWER_TIMEOUT_MS = 30_000;
const CHUNK_BYTES = 16 * 1024;

/**
 * Sends one request on its own connection (no keep-alive, so a connection the server closed after
 * a previous answer can never be blamed on this one) and reads the whole answer. A dropped
 * connection, a reset or no answer within 30 s comes back as `{ok: false}`, never as a throw.
 */
export function sendRaw(baseUrl: string, req: RawRequest): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const headers: Record<string, string> = { ...req.headers };
  if (body !== undefined) {
    if (req.chunked) headers["transfer-encoding"] = "chunked";
    else headers["content-length"] = String(body.length);
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: RawAnswer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    let outgoing: ReturnType<typeof httpRequest>;
    try {
      outgoing = httpRequest({
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers,
        // No agent: Node then sends `Connection: close`, unless the request sets its own
        // Connection header (an upgrade does).
        agent: false,
      });
    } catch (error) {
      // Node refused to build the request (e.g. an invalid header character): a bug in the test.
      throw new Error(`could not build ${req.method} ${req.path}: ${String(error)}`);
    }
    outgoing.setTimeout(ANSWER_TIMEOUT_MS, () => {
      outgoing.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`));
    });
    outgoing.on("error", (error) => settle({ ok: false, error: String(error) }));
    outgoing.on("upgrade", (res, socket) => {
      socket.destroy();
      settle({ ok: true, status: res.statusCode ?? 0, headers: res.headers, text: "", upgraded: true });
    });
    outgoing.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", (error) => settle({ ok: false, error: String(error) }));
      res.on("end", () =>
        settle({
          ok: true,
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString("utf8"),
          upgraded: false,
        }),
      );
    });
    if (body === undefined) {
      outgoing.end();
    } else if (req.chunked) {
      for (let offset = 0; offset < body.length; offset += CHUNK_BYTES) {
        outgoing.write(body.subarray(offset, offset + CHUNK_BYTES));
      }
      outgoing.end();
    } else {
      outgoing.end(body);
    }
  });
}

const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  requestId: z.string(),
});

export type Problem = z.infer<typeof ProblemSchema>;

/**
 * What is wrong with an error answer as an RFC 9457 problem (SPEC §2), or null when it is one:
 * `application/problem+json` with a body whose `status` matches and whose `code` is a stable
 * SCREAMING_SNAKE identifier. A HEAD answer has no body, so only its content type is checked.
 */
export function problemDefect(
  method: string,
  status: number,
  contentType: string | undefined,
  text: string,
): string | null {
  if (!/^application\/problem\+json\b/i.test(contentType ?? "")) {
    return `content-type ${JSON.stringify(contentType ?? null)} is not application/problem+json`;
  }
  if (method === "HEAD") return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return "body is not JSON";
  }
  const parsed = ProblemSchema.safeParse(json);
  if (!parsed.success) return `body is not a problem: ${parsed.error.issues[0]?.message ?? "invalid"}`;
  if (parsed.data.status !== status) return `problem.status ${parsed.data.status} ≠ HTTP ${status}`;
  return null;
}

/** The problem's `code`, or null when the body is not a problem. */
export function problemCode(text: string): string | null {
  try {
    const parsed = ProblemSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.code : null;
  } catch {
    return null;
  }
}

/** Shortens a text for a report line, keeping it on one line. */
export function excerpt(text: string, max = 300): string {
  const flat = JSON.stringify(text);
  return flat.length <= max ? flat : `${flat.slice(0, max)}…(${text.length} chars)`;
}
