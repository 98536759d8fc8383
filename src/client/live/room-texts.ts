import { formatDateTime, formatPrice, formatTimeLeft } from "../../shared/format";
import { type Lang, translate } from "../../shared/i18n";
import { STANDING_MESSAGE } from "../../shared/standing";
import { timeLeft } from "./countdown";
import type { RoomResult, RoomState } from "./room-state";

/** The auction page's live figures as text, exactly as the server renders them (web contract). */
export interface RoomTexts {
  price: string;
  bidCount: string;
  leader: string;
  minimum: string;
  reserve: string;
  timeLeft: string;
  status: string;
  standing: string;
  result: string;
}

function resultText(result: RoomResult, currency: string, lang: Lang): string {
  switch (result?.kind) {
    case "sold":
      return translate(lang, "auction.soldTo", {
        handle: result.winner ?? "",
        price: formatPrice(result.price, currency, lang),
      });
    case "unsold":
      return translate(lang, "auction.notSold");
    case "cancelled":
      return translate(lang, "auction.cancelled");
    default:
      return "";
  }
}

export function roomTexts(state: RoomState, lang: Lang, clientNow: number): RoomTexts {
  const price = (amount: number) => formatPrice(amount, state.currency, lang);
  // Like the server's page: only an open auction counts down.
  const running = state.status === "open";
  return {
    price: price(state.price),
    bidCount: String(state.bidCount),
    leader: state.leader ?? translate(lang, "auction.noLeader"),
    minimum: price(state.minimumNextBid),
    reserve: translate(lang, state.reserveMet ? "auction.reserveMet" : "auction.reserveNotMet"),
    timeLeft: formatTimeLeft(running ? timeLeft(state.endsAt, clientNow, state.offsetMs) : 0, lang),
    status: translate(lang, `status.${state.status}`),
    standing: state.standing === null ? "" : translate(lang, STANDING_MESSAGE[state.standing]),
    result: resultText(state.result, state.currency, lang),
  };
}

/** One row of the bid history: "<handle> <price> <time>". */
export function historyLine(
  item: { amount: number; bidder: { handle: string }; placedAt: string },
  currency: string,
  lang: Lang,
): { handle: string; price: string; time: string; iso: string } {
  return {
    handle: item.bidder.handle,
    price: formatPrice(item.amount, currency, lang),
    time: formatDateTime(item.placedAt, lang),
    iso: item.placedAt,
  };
}
