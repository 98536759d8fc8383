/**
 * One API request from the page, same origin with the session cookie. The outcome says whether the
 * server answered at all, which decides whether a retry may reuse the Idempotency-Key
 * (forms/idempotency.ts).
 */
export type ApiResult =
  /** 2xx; `body` is the parsed JSON, or null for an empty or non-JSON body. */
  | { kind: "ok"; status: number; body: unknown }
  /** 4xx: the server decided. */
  | { kind: "refused"; status: number; body: unknown }
  /** 5xx, or no response at all (status 0): nothing is known to have happened. */
  | { kind: "unanswered"; status: number; body: unknown };

export interface ApiRequest {
  method: string;
  url: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (an upload's bytes); give its content type in `headers`. */
  raw?: Blob;
  headers?: Record<string, string>;
}

async function bodyOf(response: Response): Promise<unknown> {
  const type = response.headers.get("content-type") ?? "";
  if (!/[/+]json\b/.test(type)) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

export async function callApi(request: ApiRequest): Promise<ApiResult> {
  const headers: Record<string, string> = { accept: "application/json", ...request.headers };
  let body: BodyInit | undefined;
  if (request.raw !== undefined) {
    body = request.raw;
  } else if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    headers["content-type"] = "application/json";
  }
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers,
      body,
      credentials: "same-origin",
    });
  } catch {
    return { kind: "unanswered", status: 0, body: null };
  }
  const parsed = await bodyOf(response);
  if (response.ok) return { kind: "ok", status: response.status, body: parsed };
  if (response.status < 500) return { kind: "refused", status: response.status, body: parsed };
  return { kind: "unanswered", status: response.status, body: parsed };
}
