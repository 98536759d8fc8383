import { formatPrice } from "../format";
import { INBOX_KINDS, type InboxKind } from "../inbox-kinds";
import { fill } from "./fill";
import type { Lang } from "./lang";

/**
 * An inbox message in the reader's language, from its `kind` and `data` (SPEC §7: data carries the
 * structured fields so a client can localise). `{title}` is the auction's title, `{price}` the
 * formatted price.
 */
export const INBOX_TEXT: Record<InboxKind, Record<Lang, string>> = {
  outbid: {
    en: "You were outbid on {title}; the price is now {price}.",
    ko: "{title}에 더 높은 입찰이 들어왔습니다. 현재가 {price}.",
  },
  bid_received: {
    en: "{title} received a bid; the price is now {price}.",
    ko: "{title}에 입찰이 들어왔습니다. 현재가 {price}.",
  },
  auction_ending_soon: {
    en: "{title} ends soon; the price is {price}.",
    ko: "{title} 마감이 임박했습니다. 현재가 {price}.",
  },
  auction_won: { en: "You won {title} for {price}.", ko: "{title}을(를) {price}에 낙찰받았습니다." },
  auction_lost: { en: "You did not win {title}.", ko: "{title}을(를) 낙찰받지 못했습니다." },
  auction_sold: { en: "{title} sold for {price}.", ko: "{title}이(가) {price}에 판매되었습니다." },
  auction_unsold: { en: "{title} ended without a sale.", ko: "{title}이(가) 유찰되었습니다." },
  auction_cancelled: { en: "{title} was cancelled.", ko: "{title} 경매가 취소되었습니다." },
  top_up_succeeded: { en: "{price} was added to your wallet.", ko: "지갑에 {price}이(가) 충전되었습니다." },
  top_up_failed: { en: "Your top-up of {price} did not go through.", ko: "{price} 충전이 실패했습니다." },
  order_paid: { en: "{title} is paid for: {price}.", ko: "{title} 결제가 완료되었습니다: {price}." },
  order_shipped: { en: "{title} has been shipped.", ko: "{title}이(가) 발송되었습니다." },
  order_completed: { en: "The order for {title} is complete.", ko: "{title} 거래가 완료되었습니다." },
  order_disputed: { en: "The order for {title} is in dispute.", ko: "{title} 주문에 분쟁이 접수되었습니다." },
  order_refunded: { en: "The order for {title} was refunded.", ko: "{title} 주문이 환불되었습니다." },
  order_cancelled: { en: "The sale of {title} was cancelled.", ko: "{title} 판매가 취소되었습니다." },
  second_chance_offered: {
    en: "You have an offer to buy {title} for {price}.",
    ko: "{title}을(를) {price}에 구매할 수 있는 제안이 왔습니다.",
  },
  second_chance_declined: {
    en: "Your offer for {title} was declined.",
    ko: "{title} 제안이 거절되었습니다.",
  },
  second_chance_expired: { en: "Your offer for {title} expired.", ko: "{title} 제안이 만료되었습니다." },
};

function isInboxKind(kind: string): kind is InboxKind {
  return (INBOX_KINDS as readonly string[]).includes(kind);
}

/** What an inbox message needs to be written in the reader's language (the inbox row or its push). */
export interface InboxMessageFacts {
  kind: string;
  /** The server's English title: what stands in when the kind or its data cannot be read. */
  title: string;
  data: Record<string, unknown>;
}

/**
 * An inbox message in the reader's language, from its kind and data (SPEC §7), the same on the
 * inbox page and in a pushed toast. Auction messages carry `price`, wallet messages `amount`.
 */
export function inboxMessageText(lang: Lang, message: InboxMessageFacts): string {
  const { kind, data } = message;
  if (!isInboxKind(kind)) return message.title;
  const params: Record<string, string> = {};
  if (typeof data.auctionTitle === "string") params.title = data.auctionTitle;
  const amount = typeof data.price === "number" ? data.price : data.amount;
  if (typeof amount === "number" && typeof data.currency === "string") {
    params.price = formatPrice(amount, data.currency, lang);
  }
  const text = fill(INBOX_TEXT[kind][lang], params);
  return /\{\w+\}/.test(text) ? message.title : text;
}
