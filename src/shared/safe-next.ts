/**
 * A `?next=` address to go to after logging in or switching language, only when it is a path on
 * this site: an open redirect would let a link to our pages send people anywhere. Null otherwise.
 */
export function safeNextPath(next: string | null | undefined): string | null {
  if (!next?.startsWith("/") || next.startsWith("//") || next.includes("\\")) return null;
  return next;
}
