/** Where a form goes after it succeeds (web contract: data-redirect, data-redirect-template, ?next=). */

/** `/auctions/{id}` filled from the JSON response's top-level fields; null when one is missing. */
export function fillTemplate(template: string, response: unknown): string | null {
  if (typeof response !== "object" || response === null) return null;
  const fields = new Map(Object.entries(response));
  let missing = false;
  const filled = template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const value = fields.get(name);
    if (typeof value !== "string" && typeof value !== "number") {
      missing = true;
      return "";
    }
    return encodeURIComponent(String(value));
  });
  return missing ? null : filled;
}

/**
 * The login page's `?next=`, only when it is a path on this site: an open redirect would let a
 * link to our login page send people anywhere once they have signed in.
 */
export function safeNext(search: string): string | null {
  const next = new URLSearchParams(search).get("next");
  if (next === null || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return null;
  return next;
}
