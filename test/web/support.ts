import { exports } from "cloudflare:workers";
import type { TestUser } from "../helpers";

export interface PageResponse {
  status: number;
  headers: Headers;
  html: string;
}

export interface PageOptions {
  user?: TestUser;
  lang?: "ko" | "en";
  acceptLanguage?: string;
}

/** Opens a page as a browser would: a navigation accepting HTML, the session and language cookies. */
export async function openPage(path: string, options: PageOptions = {}): Promise<PageResponse> {
  const cookies = [
    options.user ? `sa_session=${options.user.token}` : null,
    options.lang ? `lang=${options.lang}` : null,
  ].filter(Boolean);
  const headers: Record<string, string> = { accept: "text/html,application/xhtml+xml" };
  if (cookies.length > 0) headers.cookie = cookies.join("; ");
  if (options.acceptLanguage) headers["accept-language"] = options.acceptLanguage;
  const response = await exports.default.fetch(
    new Request(`https://auction.test${path}`, { headers, redirect: "manual" }),
  );
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** The text of the first element carrying the attribute (e.g. `data-live="price"`), tags stripped. */
export function textOf(html: string, attribute: string): string | null {
  const match = html.match(new RegExp(`<(\\w+)[^>]*\\s${attribute}[^>]*>([\\s\\S]*?)</\\1>`));
  return match?.[2] === undefined ? null : plainText(match[2]);
}

/** The cells' text of every table row carrying the attribute (e.g. `data-entry`), tags stripped. */
export function rowsOf(html: string, attribute: string): string[][] {
  const rows = html.matchAll(new RegExp(`<tr[^>]*\\s${attribute}[^>]*>([\\s\\S]*?)</tr>`, "g"));
  return [...rows].map(([, row = ""]) =>
    [...row.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map(([, cell = ""]) => plainText(cell)),
  );
}

/** An HTML fragment's text as a reader sees it: tags gone, white space collapsed. */
function plainText(fragment: string): string {
  return fragment
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** The page's `#page-data` JSON. */
export function pageData(html: string): Record<string, unknown> {
  const match = html.match(/<script type="application\/json" id="page-data">([\s\S]*?)<\/script>/);
  if (!match?.[1]) throw new Error("no #page-data on the page");
  return JSON.parse(match[1]);
}
