import type { AuctionEvent } from "./events";
import { messagesWith, type Notification, type NotificationData } from "./notification-types";

type OfferEvent = Extract<AuctionEvent, { offer: unknown }>;

/**
 * The messages of a second-chance offer (issue 11): the bidder hears of the offer, the seller of
 * a refusal, and both of an expiry (the seller may then offer the item to someone else). An
 * acceptance is the new order's `order.paid`, which asks the seller to ship.
 */
export function offerNotifications(
  event: OfferEvent,
  quoted: string,
  base: NotificationData,
  money: (amount: number) => string,
): Notification[] {
  const { offer } = event;
  const price = money(offer.price);
  const data: NotificationData = {
    ...base,
    bidderHandle: offer.bidderHandle,
    offerStatus: offer.status,
    expiresAt: new Date(offer.expiresAt).toISOString(),
  };
  const to = messagesWith(data);
  switch (event.type) {
    case "second_chance.offered":
      return [
        to(
          offer.bidderId,
          "second_chance_offered",
          "A second chance to buy",
          `The seller offers you ${quoted} at your highest bid, ${price}, until ${data.expiresAt}.`,
        ),
      ];
    case "second_chance.declined":
      return [
        to(
          offer.sellerId,
          "second_chance_declined",
          "Your offer was declined",
          `${offer.bidderHandle} declined your offer of ${quoted} at ${price}.`,
        ),
      ];
    case "second_chance.expired":
      return [
        to(
          offer.bidderId,
          "second_chance_expired",
          "The offer expired",
          `The offer of ${quoted} at ${price} has expired.`,
        ),
        to(
          offer.sellerId,
          "second_chance_expired",
          "Your offer expired",
          `${offer.bidderHandle} did not answer your offer of ${quoted} at ${price} in time; you may offer it to another bidder.`,
        ),
      ];
  }
}
