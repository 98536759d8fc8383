import { describe, expect, it } from "vitest";
import { openOrder } from "../../src/durable/orders/transitions";
import { notificationsFor } from "../../src/queue/notifications";
import { ENDS_AT, event, T0 } from "./events";

const AUCTION = "auc_pure";
const SELLER = "usr_seller";
const EXPIRES = T0 + 48 * 3600_000;

const offer = (status: "open" | "declined" | "expired") => ({
  number: 1,
  auctionId: AUCTION,
  sellerId: SELLER,
  bidderId: "usr_r",
  bidderHandle: "b***2",
  currency: "KRW",
  price: 20_000,
  status,
  offeredAt: T0,
  expiresAt: EXPIRES,
  decidedAt: status === "open" ? null : EXPIRES,
  orderId: null,
});

const base = {
  auctionId: AUCTION,
  auctionTitle: "Vintage film camera",
  price: 20_000,
  currency: "KRW",
  endsAt: new Date(ENDS_AT).toISOString(),
};

describe("notificationsFor: second-chance offers", () => {
  it("tells the bidder they are offered the item, at what price, until when", () => {
    const e = event(AUCTION, 9, { type: "second_chance.offered", offer: offer("open") });
    expect(notificationsFor(e, ["usr_watcher"])).toEqual([
      {
        recipientId: "usr_r",
        kind: "second_chance_offered",
        title: "A second chance to buy",
        body: 'The seller offers you "Vintage film camera" at your highest bid, 20,000 KRW, until 2026-09-03T12:00:00.000Z.',
        data: {
          ...base,
          bidderHandle: "b***2",
          offerStatus: "open",
          expiresAt: new Date(EXPIRES).toISOString(),
        },
      },
    ]);
  });

  it("tells the seller a bidder declined", () => {
    const e = event(AUCTION, 10, { type: "second_chance.declined", offer: offer("declined") });
    expect(notificationsFor(e, [])).toEqual([
      expect.objectContaining({
        recipientId: SELLER,
        kind: "second_chance_declined",
        title: "Your offer was declined",
        body: 'b***2 declined your offer of "Vintage film camera" at 20,000 KRW.',
      }),
    ]);
  });

  it("tells both sides an offer expired, and the seller that another bidder may be offered it", () => {
    const e = event(AUCTION, 10, { type: "second_chance.expired", offer: offer("expired") });
    const out = notificationsFor(e, []);
    expect(out.map((n) => [n.recipientId, n.kind, n.title, n.body])).toEqual([
      [
        "usr_r",
        "second_chance_expired",
        "The offer expired",
        'The offer of "Vintage film camera" at 20,000 KRW has expired.',
      ],
      [
        SELLER,
        "second_chance_expired",
        "Your offer expired",
        'b***2 did not answer your offer of "Vintage film camera" at 20,000 KRW in time; you may offer it to another bidder.',
      ],
    ]);
  });

  it("asks the seller to ship a second-chance sale, naming its order", () => {
    const sale = {
      id: `${AUCTION}.2`,
      auctionId: AUCTION,
      buyerId: "usr_r",
      sellerId: SELLER,
      currency: "KRW",
      price: 20_000,
    };
    const { order, money } = openOrder(sale, { feeBps: 0, funded: true }, T0);
    const e = event(AUCTION, 11, { type: "order.paid", order, money });
    expect(notificationsFor(e, [])).toEqual([
      {
        recipientId: SELLER,
        kind: "order_paid",
        title: "Paid: ship it",
        body: 'The bidder accepted your second-chance offer and paid 20,000 KRW for "Vintage film camera"; please ship it.',
        data: { ...base, orderStatus: "paid", orderId: `${AUCTION}.2` },
      },
    ]);
  });
});
