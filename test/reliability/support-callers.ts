import WebSocket from "ws";

/** How a caller presents its session: the bearer header, or the cookie a browser would send. */
export type Transport = "bearer" | "cookie";

export interface CallAnswer {
  status: number;
  /** The problem's `code` for an error answer, else null. */
  code: string | null;
  contentType: string | null;
  /** Parsed JSON (an HTTP body, or a socket's first frame), or null. */
  body: unknown;
}

export interface CallOptions {
  token: string | null;
  transport: Transport;
  /** The Origin header; a browser always sends one with an unsafe request or an upgrade. */
  origin?: string;
  body?: unknown;
  /** A raw (non-JSON) body and its type, e.g. a photo for POST /uploads; instead of `body`. */
  upload?: { contentType: string; bytes: Uint8Array };
}

function credentialHeaders(options: CallOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.token !== null) {
    if (options.transport === "bearer") headers.authorization = `Bearer ${options.token}`;
    else headers.cookie = `sa_session=${options.token}`;
  }
  if (options.origin !== undefined) headers.origin = options.origin;
  return headers;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text === "" ? null : text;
  }
}

function codeOf(body: unknown): string | null {
  return typeof body === "object" && body !== null && "code" in body && typeof body.code === "string"
    ? body.code
    : null;
}

/** One HTTP request with the caller's credentials. */
export async function callHttp(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions,
): Promise<CallAnswer> {
  const headers = credentialHeaders(options);
  let sent: BodyInit | undefined;
  if (options.upload !== undefined) {
    headers["content-type"] = options.upload.contentType;
    sent = options.upload.bytes;
  } else if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    sent = JSON.stringify(options.body);
  }
  const res = await fetch(new URL(path, baseUrl), { method, headers, body: sent, redirect: "manual" });
  const body = parse(await res.text());
  return {
    status: res.status,
    code: res.status >= 400 ? codeOf(body) : null,
    contentType: res.headers.get("content-type"),
    body,
  };
}

const SOCKET_TIMEOUT_MS = 15_000;

/**
 * Opens a WebSocket with the caller's credentials (the `ws` package, which can send headers). A
 * 101 answers with the first frame the server sends, if any, within a short wait; a refused
 * upgrade answers with its HTTP status and problem body.
 */
export function callWebSocket(baseUrl: string, path: string, options: CallOptions): Promise<CallAnswer> {
  const url = new URL(path, baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: credentialHeaders(options) });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no answer to the upgrade of ${path} within ${SOCKET_TIMEOUT_MS} ms`));
    }, SOCKET_TIMEOUT_MS);
    const done = (answer: CallAnswer) => {
      clearTimeout(timer);
      ws.terminate();
      resolve(answer);
    };
    ws.on("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const body = parse(Buffer.concat(chunks).toString("utf8"));
        done({
          status: res.statusCode ?? 0,
          code: codeOf(body),
          contentType: res.headers["content-type"] ?? null,
          body,
        });
      });
    });
    ws.on("open", () => {
      // `ping` is answered `pong` by both sockets (SPEC §6); whatever came before it (the room's
      // snapshot) is the greeting. No fixed wait: the pong says the socket is live.
      let greeting: unknown = null;
      ws.on("message", (data) => {
        const text = String(data);
        if (text === "pong") done({ status: 101, code: null, contentType: null, body: greeting });
        else greeting ??= parse(text);
      });
      ws.send("ping");
    });
    ws.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
