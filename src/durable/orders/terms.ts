import { wholeNumberSetting } from "../../shared/whole-number-setting";
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

/**
 * Order terms from the settings; a setting that is not a whole number in range falls back to the
 * default (and says so).
 */
export function orderTermsOf(
  settings: OrderSettings,
  warn: (message: string) => void = () => {},
): OrderTerms {
  const read = (name: keyof OrderSettings, max: number): number | null =>
    wholeNumberSetting(name, settings[name], { min: 0, max }, warn);
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
