import { minorDigits } from "../shared/format";
import type { AuctionEvent, WalletEvent } from "./events";
import {
  messagesWith,
  type Notification,
  type NotificationData,
  type WalletNotificationData,
} from "./notification-types";
import { offerNotifications } from "./offer-notifications";

export {
  INBOX_KINDS,
  type InboxKind,
  type Notification,
  type NotificationData,
  type WalletNotificationData,
} from "./notification-types";

/**
 * Who hears about an event, and what they read (SPEC §7). Pure: the consumer supplies the
 * watchers from D1 and does all the I/O; this decides recipients and texts only.
 */

/** A message as the API and the live channel show it. */
export interface InboxMessageView {
  id: string;
  kind: string;
  auctionId: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

/** A row of `inbox_messages` as D1 returns it. */
export type InboxRow = {
  id: string;
  recipient_id: string;
  event_id: string;
  kind: string;
  auction_id: string;
  title: string;
  body: string;
  data: string;
  created_at: number;
  read_at: number | null;
};

export function inboxMessageView(row: InboxRow): InboxMessageView {
  // `data` was written by the broker from a typed NotificationData; it is JSON of an object.
  const data: unknown = JSON.parse(row.data);
  return {
    id: row.id,
    kind: row.kind,
    auctionId: row.auction_id,
    title: row.title,
    body: row.body,
    data: typeof data === "object" && data !== null && !Array.isArray(data) ? { ...data } : {},
    createdAt: new Date(row.created_at).toISOString(),
    readAt: row.read_at === null ? null : new Date(row.read_at).toISOString(),
  };
}

/** `12000, "KRW"` → `"12,000 KRW"`; `1250, "USD"` → `"12.50 USD"`. Amounts are in minor units. */
export function formatPrice(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const scale = 10 ** digits;
  const whole = String(Math.floor(amount / scale)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = digits > 0 ? `.${String(amount % scale).padStart(digits, "0")}` : "";
  return `${whole}${fraction} ${currency}`;
}

/** Keeps the first occurrence of each id, drops `exclude`. */
function uniqueRecipients(ids: readonly string[], exclude: string): string[] {
  const seen = new Set<string>([exclude]);
  const out: string[] = [];
  for (const id of ids) {
    if (!seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  }
  return out;
}

/**
 * The inbox messages an event produces, in a stable order. `watcherIds` are the users watching
 * the auction (only ending-soon and cancellation reach watchers). The seller never gets a
 * bidder's or watcher's message about their own auction; an administrator's cancellation gets
 * the seller a message of their own.
 */
export function notificationsFor(event: AuctionEvent, watcherIds: readonly string[]): Notification[] {
  const { catalog } = event;
  const sellerId = catalog.sellerId;
  const quoted = `"${catalog.title}"`;
  const base = (price: number): NotificationData => ({
    auctionId: event.auctionId,
    auctionTitle: catalog.title,
    price,
    currency: catalog.currency,
    endsAt: new Date(catalog.endsAt).toISOString(),
  });
  const money = (price: number) => formatPrice(price, catalog.currency);

  switch (event.type) {
    case "bid.placed": {
      // A leader raising their own maximum moves nothing anyone can see.
      if (event.result === "max_raised") return [];
      const data = { ...base(event.price), leaderHandle: event.leaderHandle, bidCount: catalog.bidCount };
      const out: Notification[] = [];
      if (event.previousLeaderId !== null && event.previousLeaderId !== event.leaderId) {
        out.push({
          recipientId: event.previousLeaderId,
          kind: "outbid",
          title: "You've been outbid",
          body: `Someone outbid you on ${quoted}; the price is now ${money(event.price)}.`,
          data,
        });
      }
      out.push({
        recipientId: sellerId,
        kind: "bid_received",
        title: "New bid on your item",
        body: `${quoted} received a bid; the price is now ${money(event.price)}.`,
        data,
      });
      return out;
    }
    case "auction.ending_soon": {
      const data = base(catalog.currentPrice);
      return uniqueRecipients([...event.bidderIds, ...watcherIds], sellerId).map((recipientId) => ({
        recipientId,
        kind: "auction_ending_soon",
        title: "Auction ending soon",
        body: `${quoted} ends soon; the price is ${money(catalog.currentPrice)}.`,
        data,
      }));
    }
    case "auction.closed": {
      const price = event.finalPrice ?? catalog.currentPrice;
      const data = { ...base(price), outcome: event.outcome, endedBy: event.endedBy };
      const sold = event.outcome === "sold" && event.winnerId !== null;
      const out: Notification[] = [];
      if (sold && event.winnerId !== null) {
        out.push({
          recipientId: event.winnerId,
          kind: "auction_won",
          title: "You won the auction",
          body: `You won ${quoted} for ${money(price)}.`,
          data,
        });
      }
      const losers = uniqueRecipients(event.bidderIds, sellerId).filter((id) => id !== event.winnerId);
      for (const recipientId of losers) {
        out.push({
          recipientId,
          kind: "auction_lost",
          title: "You did not win",
          body: sold
            ? `${quoted} went to another bidder for ${money(price)}.`
            : `${quoted} ended without a sale at ${money(price)}.`,
          data,
        });
      }
      out.push(
        sold
          ? {
              recipientId: sellerId,
              kind: "auction_sold",
              title: "Your item sold",
              body: `${quoted} sold for ${money(price)}.`,
              data,
            }
          : {
              recipientId: sellerId,
              kind: "auction_unsold",
              title: "Your item did not sell",
              body: `${quoted} ended without a sale at ${money(price)}.`,
              data,
            },
      );
      return out;
    }
    case "auction.cancelled": {
      const byAdmin = event.byAdmin === true;
      const data = { ...base(catalog.currentPrice), cancelledBy: byAdmin ? "admin" : "seller" };
      const who = byAdmin ? "An administrator" : "The seller";
      const out: Notification[] = uniqueRecipients([...event.bidderIds, ...watcherIds], sellerId).map(
        (recipientId) => ({
          recipientId,
          kind: "auction_cancelled",
          title: "Auction cancelled",
          body: `${who} cancelled ${quoted} at ${money(catalog.currentPrice)}.`,
          data,
        }),
      );
      // The seller learns why their listing was taken down; the reason may name a bidder (shill
      // bidding), so only the seller reads it.
      if (byAdmin) {
        const reason = event.reason ?? "";
        out.push({
          recipientId: sellerId,
          kind: "auction_cancelled",
          title: "Your listing was cancelled",
          body: `An administrator cancelled your listing ${quoted}: ${reason}`,
          data: { ...data, reason },
        });
      }
      return out;
    }
    case "order.paid":
    case "order.shipped":
    case "order.completed":
    case "order.disputed":
    case "order.refunded":
      return orderNotifications(event, quoted, base(event.order.price), money(event.order.price));
    case "second_chance.offered":
    case "second_chance.declined":
    case "second_chance.expired":
      return offerNotifications(event, quoted, base(event.offer.price), money);
    case "auction.created":
    case "auction.updated":
    case "auction.opened":
    case "auction.extended":
      return [];
  }
}

type OrderEvent = Extract<AuctionEvent, { order: unknown }>;

/** SPEC §8's order messages: each step told to the side that acts next or gains or loses money. */
function orderNotifications(
  event: OrderEvent,
  quoted: string,
  base: NotificationData,
  price: string,
): Notification[] {
  const { order } = event;
  const data: NotificationData = { ...base, orderStatus: order.status, orderId: order.id };
  const to = messagesWith(data);
  switch (event.type) {
    case "order.paid":
      return [
        to(
          order.sellerId,
          "order_paid",
          "Paid: ship it",
          // A later order of the same item is a second-chance sale (durable/orders/second-chance.ts).
          order.id === order.auctionId
            ? `The buyer paid ${price} for ${quoted}; please ship it.`
            : `The bidder accepted your second-chance offer and paid ${price} for ${quoted}; please ship it.`,
        ),
      ];
    case "order.shipped":
      return [to(order.buyerId, "order_shipped", "Your item is on its way", `${quoted} was shipped.`)];
    case "order.completed":
      return [
        to(
          order.sellerId,
          "order_completed",
          "Payout released",
          `${quoted} is complete; ${price} less fees is available to you.`,
        ),
      ];
    case "order.disputed":
      return [
        to(order.sellerId, "order_disputed", "The buyer opened a dispute", `The buyer disputes ${quoted}.`),
      ];
    case "order.refunded":
      return order.resolution === "seller_cancelled"
        ? [
            to(
              order.buyerId,
              "order_cancelled",
              "The seller cancelled",
              `The seller cancelled ${quoted}; ${price} is back in your wallet.`,
            ),
          ]
        : [
            to(
              order.buyerId,
              "order_refunded",
              "Refunded",
              `${quoted} was refunded; ${price} is back in your wallet.`,
            ),
            to(
              order.sellerId,
              "order_refunded",
              "Order refunded",
              `An administrator refunded the buyer of ${quoted}.`,
            ),
          ];
  }
}

/** Whether the event can reach watchers, i.e. whether the consumer must look them up. */
export function needsWatchers(event: AuctionEvent): boolean {
  return event.type === "auction.ending_soon" || event.type === "auction.cancelled";
}

/** The one message a wallet event produces, for the wallet's owner. */
export function walletNotificationsFor(event: WalletEvent): Notification[] {
  // A wallet's ledger feeds the D1 ledger only; its owner already saw the change in the reply.
  if (event.type === "wallet.ledger") return [];
  const data: WalletNotificationData = {
    topUpId: event.topUpId,
    amount: event.amount,
    currency: event.currency,
  };
  const money = formatPrice(event.amount, event.currency);
  switch (event.type) {
    case "wallet.top_up_succeeded":
      return [
        {
          recipientId: event.userId,
          kind: "top_up_succeeded",
          title: "Top-up received",
          body: `${money} was added to your wallet.`,
          data,
        },
      ];
    case "wallet.top_up_failed":
      return [
        {
          recipientId: event.userId,
          kind: "top_up_failed",
          title: "Top-up failed",
          body: `Your top-up of ${money} did not go through; nothing was charged to your wallet.`,
          data,
        },
      ];
  }
}
