/** Where a form goes after it succeeds (web contract: data-redirect, data-redirect-template). */

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
