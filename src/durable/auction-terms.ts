import type { FieldError } from "../shared/field-error";
import type { NewAuction } from "./auction-room/state";
import { hasIncrementTable } from "./bidding";

export const MAX_MONEY = 1_000_000_000_000;
export const MIN_DURATION_MS = 10 * 1000;
export const MAX_DURATION_MS = 30 * 24 * 3600 * 1000;
export const MAX_START_AHEAD_MS = 30 * 24 * 3600 * 1000;

/** The money, time and soft-close fields of an auction: checked together at create and at every PATCH. */
export type AuctionTerms = Pick<
  NewAuction,
  | "currency"
  | "startingPrice"
  | "reservePrice"
  | "buyNowPrice"
  | "minIncrement"
  | "startsAt"
  | "endsAt"
  | "softClose"
>;

/**
 * Rules that relate several fields (SPEC §4), so a schema on one field cannot express them.
 * `now` bounds how far ahead an auction may start.
 */
export function auctionTermErrors(terms: AuctionTerms, now: number): FieldError[] {
  const errors: FieldError[] = [];
  if (terms.reservePrice !== null && terms.reservePrice < terms.startingPrice) {
    errors.push({ path: "reservePrice", message: "must be at least startingPrice" });
  }
  if (terms.buyNowPrice !== null) {
    if (terms.buyNowPrice <= terms.startingPrice) {
      errors.push({ path: "buyNowPrice", message: "must be greater than startingPrice" });
    } else if (terms.reservePrice !== null && terms.buyNowPrice < terms.reservePrice) {
      errors.push({ path: "buyNowPrice", message: "must be at least reservePrice" });
    }
  }
  if (terms.minIncrement === null && !hasIncrementTable(terms.currency)) {
    errors.push({
      path: "minIncrement",
      message: `is required for ${terms.currency}, which has no default increment table`,
    });
  }
  if (terms.startsAt > now + MAX_START_AHEAD_MS) {
    errors.push({ path: "startsAt", message: "must be at most 30 days ahead" });
  }
  const duration = terms.endsAt - terms.startsAt;
  if (duration < MIN_DURATION_MS || duration > MAX_DURATION_MS) {
    errors.push({ path: "endsAt", message: "the auction must last between 10 seconds and 30 days" });
  }
  if (terms.softClose?.hardEndsAt != null && terms.softClose.hardEndsAt < terms.endsAt) {
    errors.push({ path: "softClose.hardEndsAt", message: "must not be before endsAt" });
  }
  return errors;
}
