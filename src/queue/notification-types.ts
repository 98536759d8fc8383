/**
 * What an inbox message is (SPEC §7): its kinds and its shape before it gets a row. Shared by the
 * modules that decide who hears about what (notifications.ts, offer-notifications.ts).
 */

export const INBOX_KINDS = [
  "outbid",
  "bid_received",
  "auction_ending_soon",
  "auction_won",
  "auction_lost",
  "auction_sold",
  "auction_unsold",
  "auction_cancelled",
  "top_up_succeeded",
  "top_up_failed",
  "order_paid",
  "order_shipped",
  "order_completed",
  "order_disputed",
  "order_refunded",
  "order_cancelled",
  "second_chance_offered",
  "second_chance_declined",
  "second_chance_expired",
] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];

/** Structured fields of a message, so a client can render it in its own language. */
export type NotificationData = {
  auctionId: string;
  auctionTitle: string;
  /** Minor units of `currency`. */
  price: number;
  currency: string;
  /** ISO-8601 UTC. */
  endsAt: string;
  [extra: string]: string | number | boolean | null;
};

/** Structured fields of a wallet message (SPEC §8): which top-up, how much. */
export type WalletNotificationData = { topUpId: string; amount: number; currency: string };

/** One message for one recipient, before it gets an id and a row in the inbox. */
export interface Notification {
  recipientId: string;
  kind: InboxKind;
  /** Short English headline. */
  title: string;
  /** One English sentence naming the auction (or top-up) and its price. */
  body: string;
  data: NotificationData | WalletNotificationData;
}

/** Builds messages that all carry the same `data`: `to(recipient, kind, title, body)`. */
export function messagesWith(
  data: NotificationData,
): (recipientId: string, kind: InboxKind, title: string, body: string) => Notification {
  return (recipientId, kind, title, body) => ({ recipientId, kind, title, body, data });
}
