import { type PageData, parsePageData } from "../page-data";

/** This page's data (`#page-data`), read once. */
export function readPage(): PageData {
  const script = document.getElementById("page-data");
  return parsePageData(script?.textContent ?? null, document.documentElement.lang || null);
}

/** `ws(s)://<this host><path>`: the live sockets are same-origin, authenticated by the cookie. */
export function socketUrl(path: string): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${path}`;
}
