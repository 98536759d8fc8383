import { formatPrice } from "../../shared/format";
import { fill, type Lang } from "../../shared/i18n";
import { INBOX_TEXT } from "../../shared/i18n/inbox";
import { INBOX_KINDS, type InboxKind } from "../../shared/inbox-kinds";
import type { LiveMessage } from "../../shared/live-frames";

function isInboxKind(kind: string): kind is InboxKind {
  return (INBOX_KINDS as readonly string[]).includes(kind);
}

/**
 * A pushed inbox message in the reader's language, from its kind and data (SPEC §7), as the inbox
 * page writes it. The server's English title stands in for a kind this build does not know yet or
 * data it cannot read.
 */
export function notificationText(lang: Lang, message: LiveMessage): string {
  const { kind, data } = message;
  if (!isInboxKind(kind)) return message.title;
  const template = INBOX_TEXT[kind][lang];
  const params: Record<string, string> = {};
  if (typeof data.auctionTitle === "string") params.title = data.auctionTitle;
  // Wallet messages carry `amount`, auction messages `price`.
  const amount = typeof data.price === "number" ? data.price : data.amount;
  if (typeof amount === "number" && typeof data.currency === "string") {
    params.price = formatPrice(amount, data.currency, lang);
  }
  const text = fill(template, params);
  return /\{\w+\}/.test(text) ? message.title : text;
}

/**
 * Whether a notification gets a toast. An outbid on the auction this page shows has had its toast
 * from the room's own frame, which comes first; the notification then only moves the badge.
 */
export function toastsFor(message: LiveMessage, openAuctionId: string | null): boolean {
  return !(message.kind === "outbid" && message.auctionId === openAuctionId);
}
