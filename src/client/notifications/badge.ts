import { type Lang, translate } from "../../shared/i18n";

/** The header's unread badge (web contract, "Layout"): the count, hidden at 0, and the link's label. */
export function showUnread(count: number, lang: Lang): void {
  for (const element of document.querySelectorAll<HTMLElement>("[data-unread-count]")) {
    element.textContent = String(count);
    element.hidden = count === 0;
  }
  for (const link of document.querySelectorAll("[data-unread-link]")) {
    link.setAttribute("aria-label", translate(lang, "nav.inbox", { count }));
  }
}
