/**
 * What an inbox message is (SPEC §7): its kinds and its shape before it gets a row. Shared by the
 * modules that decide who hears about what (notifications.ts, offer-notifications.ts).
 */

export { INBOX_KINDS, type InboxKind } from "../shared/inbox-kinds";

import type { InboxKind } from "../shared/inbox-kinds";

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
