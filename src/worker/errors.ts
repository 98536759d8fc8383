import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

import { type ErrorCode, statusOf } from "../shared/error-codes";
import type { FieldError } from "../shared/field-error";

export type { FieldError };

/**
 * The one error type of the API. Thrown anywhere in a request; `app.onError` turns it into an
 * RFC 9457 problem+json body. `code` is the stable identifier clients branch on; its status comes
 * from the one code → status map.
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  /** RFC 9457 extension members: figures a client acts on (INSUFFICIENT_FUNDS: available, needed). */
  readonly figures?: ProblemFigures;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    extra: { errors?: FieldError[]; headers?: Record<string, string>; figures?: ProblemFigures } = {},
  ) {
    super(detail);
    this.status = statusOf(code);
    this.errors = extra.errors;
    this.headers = extra.headers;
    this.figures = extra.figures;
  }
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  426: "Upgrade Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export interface ProblemFigures {
  available?: number;
  needed?: number;
}

export interface ProblemBody extends ProblemFigures {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
}

export function problemBody(
  status: number,
  code: string,
  detail: string,
  requestId: string,
  errors?: FieldError[],
  figures: ProblemFigures = {},
): ProblemBody {
  return {
    ...figures,
    type: `https://secondhand-auction.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    code,
    requestId,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function problemResponse(c: Context, error: ApiError): Response {
  const requestId: string = c.get("requestId") ?? "unknown";
  const body = problemBody(error.status, error.code, error.detail, requestId, error.errors, error.figures);
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { "content-type": "application/problem+json", "x-request-id": requestId, ...error.headers },
  });
}
