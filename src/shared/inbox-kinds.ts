/** The kinds of inbox message (SPEC §7), read by the broker that writes them and the pages that show them. */
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
