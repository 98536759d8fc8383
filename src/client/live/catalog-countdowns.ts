import { formatTimeLeft } from "../../shared/format";
import type { Lang } from "../../shared/i18n";
import { clockOffset, nextTickIn, timeLeft } from "./countdown";

/**
 * The catalog's `<time data-countdown data-ends-at data-server-time>` (web contract): ticked on
 * the server's clock as the page rendered it, all on one timer that wakes when the soonest whole
 * second changes, and stops once every auction has ended.
 */
export function startCatalogCountdowns(lang: Lang): void {
  const now = Date.now();
  const countdowns = [...document.querySelectorAll<HTMLElement>("[data-countdown]")]
    .map((element) => ({
      element,
      endsAt: Date.parse(element.dataset.endsAt ?? ""),
      offsetMs: clockOffset(element.dataset.serverTime ?? "", now),
    }))
    .filter((countdown) => !Number.isNaN(countdown.endsAt));
  if (countdowns.length === 0) return;

  const tick = () => {
    const clientNow = Date.now();
    let wait: number | null = null;
    for (const { element, endsAt, offsetMs } of countdowns) {
      const left = timeLeft(endsAt, clientNow, offsetMs);
      const text = formatTimeLeft(left, lang);
      if (element.textContent !== text) element.textContent = text;
      const next = nextTickIn(left);
      if (next !== null) wait = wait === null ? next : Math.min(wait, next);
    }
    if (wait !== null) window.setTimeout(tick, wait);
  };
  tick();
}
