import { describe, expect, it } from "vitest";
import { type Order, orderFor } from "../../../src/durable/orders/order";
import {
  acceptOffer,
  declineOffer,
  expireOffer,
  makeOffer,
  type OfferContext,
  offerFor,
  offerView,
  owedOnOffers,
  type SecondChanceOffer,
} from "../../../src/durable/orders/second-chance";
import { cancelBySeller, openOrder } from "../../../src/durable/orders/transitions";

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const TERMS = { feeBps: 0, funded: true };

const sale = (price = 30_000): Order =>
  openOrder(
    { id: "auc_1", auctionId: "auc_1", buyerId: "usr_w", sellerId: "usr_s", currency: "KRW", price },
    TERMS,
    T0,
  ).order;
const cancelled = (order: Order, at = T0 + DAY): Order => {
  const change = cancelBySeller(order, "seller", at);
  if (!change.ok) throw new Error(change.code);
  return change.next;
};

const ended = { id: "auc_1", sellerId: "usr_s", currency: "KRW", endsAt: T0, hasBids: true };
const soldThenCancelled = (): OfferContext => ({
  auction: { ...ended, status: "closed", outcome: "sold" },
  orders: [cancelled(sale())],
  offers: [],
});
const reserveNotMet = (): OfferContext => ({
  auction: { ...ended, status: "closed", outcome: "unsold" },
  orders: [],
  offers: [],
});
const runnerUp = { bidderId: "usr_r", handle: "b***2", highestBid: 25_000 };

function offered(ctx: OfferContext, at = T0 + 2 * DAY): SecondChanceOffer {
  const made = makeOffer(ctx, "usr_s", runnerUp, at);
  if (!made.ok) throw new Error(made.code);
  return made.offer;
}

describe("second-chance offers: who may offer what, when", () => {
  it("offers the item to a bidder at their highest bid, for 48 hours, once the buyer's order was cancelled", () => {
    const made = makeOffer(soldThenCancelled(), "usr_s", runnerUp, T0 + 2 * DAY);
    expect(made).toEqual({
      ok: true,
      offer: {
        number: 1,
        auctionId: "auc_1",
        sellerId: "usr_s",
        bidderId: "usr_r",
        bidderHandle: "b***2",
        currency: "KRW",
        price: 25_000,
        status: "open",
        offeredAt: T0 + 2 * DAY,
        expiresAt: T0 + 4 * DAY,
        decidedAt: null,
        orderId: null,
      },
    });
  });

  it("also when the auction ended unsold under its reserve, even to the highest bidder", () => {
    const leader = { bidderId: "usr_l", handle: "b***1", highestBid: 38_000 };
    expect(makeOffer(reserveNotMet(), "usr_s", leader, T0 + HOUR)).toMatchObject({
      ok: true,
      offer: { bidderId: "usr_l", price: 38_000 },
    });
  });

  it("is the seller's alone: anyone else is FORBIDDEN, checked first", () => {
    const running: OfferContext = {
      ...reserveNotMet(),
      auction: { ...ended, status: "open", outcome: null },
    };
    expect(makeOffer(running, "usr_r", runnerUp, T0)).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });

  it.each([
    ["still open", { status: "open", outcome: null }, [], "The auction has not ended."],
    ["cancelled", { status: "cancelled", outcome: null }, [], "The auction was cancelled."],
    [
      "unsold without bids",
      { status: "closed", outcome: "unsold", hasBids: false },
      [],
      "Nobody bid on this auction.",
    ],
    [
      "sold, order in progress",
      { status: "closed", outcome: "sold" },
      [sale()],
      "The item is sold: its order is paid.",
    ],
  ] as const)(
    "refuses while the auction is %s: 409 SECOND_CHANCE_STATE",
    (_name, auction, orders, detail) => {
      const ctx: OfferContext = { auction: { ...ended, ...auction }, orders: [...orders], offers: [] };
      expect(makeOffer(ctx, "usr_s", runnerUp, T0 + DAY)).toEqual({
        ok: false,
        code: "SECOND_CHANCE_STATE",
        detail,
      });
    },
  );

  it("can be made up to 60 days after the end or the refund, not later", () => {
    const ctx = soldThenCancelled();
    expect(makeOffer(ctx, "usr_s", runnerUp, T0 + DAY + 60 * DAY).ok).toBe(true);
    expect(makeOffer(ctx, "usr_s", runnerUp, T0 + DAY + 60 * DAY + 1)).toMatchObject({
      ok: false,
      code: "SECOND_CHANCE_STATE",
      detail: "Second-chance offers can be made for 60 days after the sale fell through.",
    });
    expect(makeOffer(reserveNotMet(), "usr_s", runnerUp, T0 + 60 * DAY + 1)).toMatchObject({
      code: "SECOND_CHANCE_STATE",
    });
  });

  it("keeps one offer open at a time; once it expired or was declined, the seller may offer to another bidder", () => {
    const ctx = soldThenCancelled();
    const first = offered(ctx);
    const third = { bidderId: "usr_t", handle: "b***3", highestBid: 22_000 };
    const withOpen = { ...ctx, offers: [first] };
    expect(makeOffer(withOpen, "usr_s", third, T0 + 3 * DAY)).toEqual({
      ok: false,
      code: "SECOND_CHANCE_STATE",
      detail: "Your offer to b***2 is open until 2026-11-05T12:00:00.000Z.",
    });
    // Past its 48 hours an open offer no longer counts, even before the alarm has marked it.
    expect(makeOffer(withOpen, "usr_s", third, first.expiresAt)).toMatchObject({
      ok: true,
      offer: { number: 2, bidderId: "usr_t", price: 22_000 },
    });
    const declined = declineOffer(first, "bidder", T0 + 3 * DAY);
    if (!declined.ok) throw new Error(declined.code);
    expect(makeOffer({ ...ctx, offers: [declined.offer] }, "usr_s", third, T0 + 3 * DAY).ok).toBe(true);
  });

  it("names an unknown handle UNKNOWN_BIDDER and refuses the previous buyer or a bidder offered before", () => {
    const ctx = soldThenCancelled();
    expect(makeOffer(ctx, "usr_s", null, T0 + 2 * DAY)).toEqual({
      ok: false,
      code: "UNKNOWN_BIDDER",
      detail: "Nobody with that handle bid on this auction.",
    });
    const winner = { bidderId: "usr_w", handle: "b***1", highestBid: 30_000 };
    expect(makeOffer(ctx, "usr_s", winner, T0 + 2 * DAY)).toEqual({
      ok: false,
      code: "BIDDER_NOT_ELIGIBLE",
      detail: "b***1 already bought this item.",
    });
    const expired = expireOffer(offered(ctx), T0 + 5 * DAY);
    if (!expired) throw new Error("not expired");
    expect(makeOffer({ ...ctx, offers: [expired] }, "usr_s", runnerUp, T0 + 5 * DAY)).toEqual({
      ok: false,
      code: "BIDDER_NOT_ELIGIBLE",
      detail: "b***2 was offered this item before.",
    });
  });
});

describe("second-chance offers: the bidder's answer", () => {
  const ctx = soldThenCancelled();

  it("accepting opens the item's next order, paid at the offer's price", () => {
    const offer = offered(ctx);
    const accepted = acceptOffer(offer, "bidder", ctx.orders, TERMS, T0 + 3 * DAY);
    expect(accepted).toMatchObject({
      ok: true,
      replay: false,
      offer: { status: "accepted", decidedAt: T0 + 3 * DAY, orderId: "auc_1.2" },
      order: { id: "auc_1.2", buyerId: "usr_r", sellerId: "usr_s", price: 25_000, status: "paid" },
    });
    if (!accepted.ok || accepted.replay) throw new Error("not accepted");
    expect(accepted.money.map((m) => [m.transfer.id, m.transfer.debit, m.transfer.amount])).toEqual([
      ["order:auc_1.2:pay", "user:usr_r:KRW:held", 25_000],
      ["order:auc_1.2:pending", "escrow:auc_1", 25_000],
    ]);
    // After an unsold close, the item's first order is `.1`.
    const unsold = acceptOffer(offered(reserveNotMet()), "bidder", [], TERMS, T0 + 3 * DAY);
    expect(unsold).toMatchObject({ ok: true, order: { id: "auc_1.1" } });
  });

  it("accepting again answers the same acceptance; only the bidder accepts or declines", () => {
    const first = acceptOffer(offered(ctx), "bidder", ctx.orders, TERMS, T0 + 3 * DAY);
    if (!first.ok || first.replay) throw new Error("not accepted");
    expect(acceptOffer(first.offer, "bidder", [...ctx.orders, first.order], TERMS, T0 + 3 * DAY)).toEqual({
      ok: true,
      replay: true,
      offer: first.offer,
    });
    for (const role of ["seller", "admin"] as const) {
      expect(acceptOffer(offered(ctx), role, ctx.orders, TERMS, T0 + 3 * DAY)).toMatchObject({
        ok: false,
        code: "FORBIDDEN",
      });
      expect(declineOffer(offered(ctx), role, T0 + 3 * DAY)).toMatchObject({ ok: false, code: "FORBIDDEN" });
    }
  });

  it("an offer past its 48 hours cannot be accepted, even before the alarm marked it", () => {
    const offer = offered(ctx);
    expect(acceptOffer(offer, "bidder", ctx.orders, TERMS, offer.expiresAt - 1).ok).toBe(true);
    expect(acceptOffer(offer, "bidder", ctx.orders, TERMS, offer.expiresAt)).toEqual({
      ok: false,
      code: "SECOND_CHANCE_STATE",
      detail: "The offer expired at 2026-11-05T12:00:00.000Z.",
    });
    expect(declineOffer(offer, "bidder", offer.expiresAt)).toMatchObject({ code: "SECOND_CHANCE_STATE" });
  });

  it("declining closes the offer once; a declined offer cannot be accepted", () => {
    const declined = declineOffer(offered(ctx), "bidder", T0 + 3 * DAY);
    expect(declined).toMatchObject({
      ok: true,
      replay: false,
      offer: { status: "declined", decidedAt: T0 + 3 * DAY },
    });
    if (!declined.ok) throw new Error(declined.code);
    expect(declineOffer(declined.offer, "bidder", T0 + 4 * DAY)).toEqual({
      ok: true,
      replay: true,
      offer: declined.offer,
    });
    expect(acceptOffer(declined.offer, "bidder", ctx.orders, TERMS, T0 + 3 * DAY)).toEqual({
      ok: false,
      code: "SECOND_CHANCE_STATE",
      detail: "You declined this offer.",
    });
  });

  it("expires an open offer at its time, exactly once", () => {
    const offer = offered(ctx);
    expect(expireOffer(offer, offer.expiresAt - 1)).toBeNull();
    const expired = expireOffer(offer, offer.expiresAt + 5);
    expect(expired).toMatchObject({ status: "expired", decidedAt: offer.expiresAt });
    if (!expired) throw new Error("not expired");
    expect(expireOffer(expired, offer.expiresAt + 10)).toBeNull();
  });
});

describe("second-chance offers: who sees what", () => {
  const ctx = soldThenCancelled();

  it("the seller and an admin see the latest offer, a bidder their own, anyone else nothing", () => {
    const first = expireOffer(offered(ctx), T0 + 5 * DAY);
    if (!first) throw new Error("not expired");
    const made = makeOffer(
      { ...ctx, offers: [first] },
      "usr_s",
      { bidderId: "usr_t", handle: "b***3", highestBid: 22_000 },
      T0 + 6 * DAY,
    );
    if (!made.ok) throw new Error(made.code);
    const offers = [first, made.offer];
    expect(offerFor(offers, "usr_s", false)).toEqual({ offer: made.offer, role: "seller" });
    expect(offerFor(offers, "usr_r", false)).toEqual({ offer: first, role: "bidder" });
    expect(offerFor(offers, "usr_t", false)).toEqual({ offer: made.offer, role: "bidder" });
    expect(offerFor(offers, "usr_a", true)).toEqual({ offer: made.offer, role: "admin" });
    expect(offerFor(offers, "usr_x", false)).toBeNull();
    expect(offerFor([], "usr_s", false)).toBeNull();
  });

  it("shows the status as of now and the price, never the bidder's id", () => {
    const offer = offered(ctx);
    expect(offerView(offer, "bidder", offer.expiresAt)).toEqual({
      auctionId: "auc_1",
      bidderHandle: "b***2",
      yourRole: "bidder",
      price: 25_000,
      currency: "KRW",
      status: "expired",
      offeredAt: "2026-11-03T12:00:00.000Z",
      expiresAt: "2026-11-05T12:00:00.000Z",
      decidedAt: "2026-11-05T12:00:00.000Z",
      orderId: null,
    });
  });

  it("a bidder who accepted owes the price until it is paid from their hold; nobody else owes anything", () => {
    const accepted = acceptOffer(offered(ctx), "bidder", ctx.orders, TERMS, T0 + 3 * DAY);
    if (!accepted.ok || accepted.replay) throw new Error("not accepted");
    expect(owedOnOffers([accepted.offer], "usr_r")).toBe(25_000);
    expect(owedOnOffers([accepted.offer], "usr_t")).toBe(0);
    expect(owedOnOffers([offered(ctx)], "usr_r")).toBe(0);
  });

  it("GET order: each party sees the latest order they are party to, an admin the latest", () => {
    const first = cancelled(sale());
    const accepted = acceptOffer(offered(ctx), "bidder", [first], TERMS, T0 + 3 * DAY);
    if (!accepted.ok || accepted.replay) throw new Error("not accepted");
    const orders = [first, accepted.order];
    expect(orderFor(orders, "usr_w", false)?.id).toBe("auc_1");
    expect(orderFor(orders, "usr_r", false)?.id).toBe("auc_1.2");
    expect(orderFor(orders, "usr_s", false)?.id).toBe("auc_1.2");
    expect(orderFor(orders, "usr_a", true)?.id).toBe("auc_1.2");
    expect(orderFor(orders, "usr_x", false)).toBeNull();
  });
});
