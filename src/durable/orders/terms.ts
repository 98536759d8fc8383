import type { OrderTerms } from "./order";

/** SPEC §8's defaults: auto-confirm 7 days after shipping, ship within 5 days, no fee. */
export const DEFAULT_ORDER_TERMS: OrderTerms = {
  autoConfirmMs: 7 * 24 * 3600_000,
  shipDeadlineMs: 5 * 24 * 3600_000,
  feeBps: 0,
  funded: true,
};

/** The deployment's settings as wrangler.toml [vars] give them (strings). */
export interface OrderSettings {
  BIDS_REQUIRE_FUNDS?: string;
  ORDER_AUTO_CONFIRM_SECONDS?: string;
  ORDER_SHIP_DEADLINE_SECONDS?: string;
  PLATFORM_FEE_BPS?: string;
}

function wholeNumber(raw: string | undefined, max: number): number | null {
  if (raw === undefined || raw.trim() === "") return null;
  const value = Number(raw);
  return Number.isSafeInteger(value) && value >= 0 && value <= max ? value : null;
}

/**
 * Order terms from the settings. A setting that is not a whole number in range is a deployment
 * mistake: it falls back to the default rather than stop every sale (and says so).
 */
export function orderTermsOf(
  settings: OrderSettings,
  warn: (message: string) => void = () => {},
): OrderTerms {
  const read = (name: keyof OrderSettings, max: number): number | null => {
    const value = wholeNumber(settings[name], max);
    if (value === null && settings[name] !== undefined)
      warn(`${name}=${settings[name]} is not valid; using the default`);
    return value;
  };
  const autoConfirm = read("ORDER_AUTO_CONFIRM_SECONDS", 365 * 24 * 3600);
  const shipDeadline = read("ORDER_SHIP_DEADLINE_SECONDS", 365 * 24 * 3600);
  const feeBps = read("PLATFORM_FEE_BPS", 10_000);
  return {
    autoConfirmMs: autoConfirm === null ? DEFAULT_ORDER_TERMS.autoConfirmMs : autoConfirm * 1000,
    shipDeadlineMs: shipDeadline === null ? DEFAULT_ORDER_TERMS.shipDeadlineMs : shipDeadline * 1000,
    feeBps: feeBps ?? DEFAULT_ORDER_TERMS.feeBps,
    funded: settings.BIDS_REQUIRE_FUNDS !== "false",
  };
}
