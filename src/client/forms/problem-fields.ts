import * as z from "zod/mini";

/** An API refusal (RFC 9457, SPEC §2) as the forms use it. */
const ProblemSchema = z.object({
  code: z.string(),
  detail: z.string(),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});
export type Problem = z.infer<typeof ProblemSchema>;
export type FieldError = NonNullable<Problem["errors"]>[number];

/** The problem in a response body, or null when the body is not one (a proxy's HTML page, say). */
export function problemOf(body: unknown): Problem | null {
  const parsed = ProblemSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/**
 * Which of the form's fields (`data-error-for` paths) each error belongs to: its own path, else
 * the closest enclosing one (`imageUrls.2` → `imageUrls`). Errors no field shows are `unmatched`,
 * for the form's own message.
 */
export function fieldErrors(
  errors: readonly FieldError[],
  knownPaths: readonly string[],
): { byPath: Map<string, string[]>; unmatched: string[] } {
  const known = new Set(knownPaths);
  const byPath = new Map<string, string[]>();
  const unmatched: string[] = [];
  for (const error of errors) {
    const segments = error.path.split(".");
    let target: string | null = null;
    for (let n = segments.length; n > 0 && target === null; n--) {
      const candidate = segments.slice(0, n).join(".");
      if (known.has(candidate)) target = candidate;
    }
    if (target === null) unmatched.push(error.message);
    else byPath.set(target, [...(byPath.get(target) ?? []), error.message]);
  }
  return { byPath, unmatched };
}
