import type { Lang } from "./i18n/lang";

/**
 * How the site writes money and time, shared by the server-rendered pages and the browser code so
 * a live update reads exactly like the page it updates (SPEC §10). Pure: `Intl` only.
 */

const priceFormats = new Map<string, Intl.NumberFormat>();

function priceFormat(currency: string, lang: Lang, plain: boolean): Intl.NumberFormat {
  const key = `${lang}:${currency}:${plain}`;
  let format = priceFormats.get(key);
  if (!format) {
    format = plain
      ? new Intl.NumberFormat(lang)
      : new Intl.NumberFormat(lang, { style: "currency", currency });
    priceFormats.set(key, format);
  }
  return format;
}

const minorDigitsCache = new Map<string, number>();

/**
 * Digits after the point in a currency's minor unit (KRW 0, USD 2), from Intl's own data; a code
 * Intl does not know gets ISO 4217's most common exponent, 2. Every price the platform writes
 * (these pages, the broker's inbox texts) scales by it.
 */
export function minorDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

/**
 * `amount` is in the currency's minor unit (SPEC §2). Korean readers write won as `12,000원`;
 * everything else is Intl's currency style (`₩12,000`, `$12.50`).
 */
export function formatPrice(amount: number, currency: string, lang: Lang): string {
  const value = amount / 10 ** minorDigits(currency);
  if (lang === "ko" && currency === "KRW") return `${priceFormat(currency, lang, true).format(value)}원`;
  return priceFormat(currency, lang, false).format(value);
}

const UNITS = {
  en: { d: "d", h: "h", m: "m", s: "s", ended: "Ended", separator: " " },
  ko: { d: "일", h: "시간", m: "분", s: "초", ended: "종료", separator: " " },
} as const;

/**
 * A countdown: the two largest units, rounded down so it never promises time that is not left
 * ("2d 3h", "3h 07m", "4m 05s", "9s"), or "Ended".
 */
export function formatTimeLeft(ms: number, lang: Lang): string {
  const units = UNITS[lang];
  if (ms <= 0) return units.ended;
  const total = Math.floor(ms / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  const join = (a: string, b: string) => `${a}${units.separator}${b}`;
  if (days > 0) return join(`${days}${units.d}`, `${hours}${units.h}`);
  if (hours > 0) return join(`${hours}${units.h}`, `${pad(minutes)}${units.m}`);
  if (minutes > 0) return join(`${minutes}${units.m}`, `${pad(seconds)}${units.s}`);
  return `${seconds}${units.s}`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A moment as a reader writes it. The site's market is Korea, and the server and the browser must
 * print the same text, so times are shown in Korea's zone unless a caller says otherwise.
 */
export function formatDateTime(iso: string, lang: Lang, timeZone = "Asia/Seoul"): string {
  const key = `${lang}:${timeZone}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone });
    dateTimeFormats.set(key, format);
  }
  return format.format(new Date(iso));
}
