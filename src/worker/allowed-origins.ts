import { z } from "zod";

/** One origin as a browser sends it: scheme, host and optional port, nothing else. */
const OriginSchema = z
  .string()
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, "an origin such as https://example.com");

const parsed = new Map<string, ReadonlySet<string>>();

/**
 * `ALLOWED_ORIGINS` from the deployment's configuration: origins separated by commas or spaces,
 * default none. A malformed entry fails loudly at the first request rather than silently
 * allowing or refusing a partner site.
 */
export function allowedOrigins(configured: string | undefined): ReadonlySet<string> {
  const raw = configured ?? "";
  const known = parsed.get(raw);
  if (known) return known;
  const entries = raw.split(/[\s,]+/).filter((entry) => entry.length > 0);
  const origins = new Set(entries.map((entry) => OriginSchema.parse(entry.toLowerCase())));
  parsed.set(raw, origins);
  return origins;
}

/** The site's own origin or one the deployment allows. */
export function isAllowedOrigin(origin: string, requestUrl: string, configured: string | undefined): boolean {
  return origin === new URL(requestUrl).origin || allowedOrigins(configured).has(origin.toLowerCase());
}
