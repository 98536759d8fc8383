import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { AppEnv } from "./env";
import { ApiError, type FieldError } from "./errors";

export function zodFieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
}

/**
 * Every resource router shares this hook, so invalid input anywhere gets the same
 * 422 VALIDATION_FAILED problem (or 400 for a bad query/path) with per-field errors.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      const prototypeKey = result.target === "json" ? c.get("bodyPrototypeKey") : undefined;
      if (prototypeKey !== undefined) {
        // Strict schemas take `__proto__` for a known key (every object inherits one).
        throw new ApiError("VALIDATION_FAILED", `Invalid request body: ${prototypeKey}: unknown field`, {
          errors: [{ path: prototypeKey, message: "unknown field" }],
        });
      }
      if (!result.success) {
        const errors = zodFieldErrors(result.error);
        const where = result.target === "json" ? "request body" : result.target;
        const first = errors[0];
        // A body that breaks its schema is 422; a malformed query or path is a bad request, 400.
        throw new ApiError(
          result.target === "json" ? "VALIDATION_FAILED" : "INVALID_PARAMETER",
          `Invalid ${where}${first ? `: ${first.path}: ${first.message}` : ""}`,
          { errors },
        );
      }
    },
  });
}

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().openapi({ example: "VALIDATION_FAILED" }),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    available: z
      .number()
      .int()
      .optional()
      .openapi({ description: "INSUFFICIENT_FUNDS: what the wallet has available, in minor units." }),
    needed: z.number().int().optional().openapi({
      description: "INSUFFICIENT_FUNDS: what the operation needs from available, in minor units.",
    }),
  })
  .openapi("Problem");

/** Shorthand for the error responses of a route, all problem+json. */
export function problems(...statuses: number[]) {
  const out: Record<
    number,
    { description: string; content: { "application/problem+json": { schema: typeof ProblemSchema } } }
  > = {};
  for (const status of statuses) {
    out[status] = {
      description: "Problem",
      content: { "application/problem+json": { schema: ProblemSchema } },
    };
  }
  return out;
}

/** One problem+json response, with what it means on this route (e.g. the codes it carries). */
export function problem(description: string) {
  return { description, content: { "application/problem+json": { schema: ProblemSchema } } };
}

export function jsonContent<T>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

type SecurityRequirement = Record<string, string[]>;

/** A session is required: the bearer token or the session cookie. */
export const sessionSecurity: SecurityRequirement[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
/** Anyone may call; a session, when sent, personalises the answer (the `{}` alternative). */
export const optionalSessionSecurity: SecurityRequirement[] = [...sessionSecurity, {}];
/** No credentials are read. */
export const publicSecurity: SecurityRequirement[] = [];

export const IdempotencyKeyHeader = z.object({
  "idempotency-key": z.string().min(1).max(255).optional().openapi({
    description: "Retry-safe creation: the same key returns the first response for 24 h or more.",
  }),
});
