import { describe, expect, it } from "vitest";
import { formatPrice, notificationsFor } from "../../src/queue/notifications";
import { adminCancelled, bidPlaced, cancelled, closed, ENDS_AT, endingSoon, event } from "./events";

const AUCTION = "auc_pure";
const SELLER = "usr_seller";

/** recipient → kind, the part of each decision a user notices first. */
function kinds(list: ReturnType<typeof notificationsFor>) {
  return list.map((n) => [n.recipientId, n.kind]);
}

describe("notificationsFor: bid.placed", () => {
  it("tells the previous leader they were outbid and the seller that a bid came in", () => {
    const e = bidPlaced(AUCTION, 3, {
      bidderId: "usr_b",
      leaderId: "usr_b",
      previousLeaderId: "usr_a",
      price: 12_000,
    });
    const out = notificationsFor(e, []);
    expect(kinds(out)).toEqual([
      ["usr_a", "outbid"],
      [SELLER, "bid_received"],
    ]);
    const [outbid, received] = out;
    expect(outbid).toEqual({
      recipientId: "usr_a",
      kind: "outbid",
      title: "You've been outbid",
      body: 'Someone outbid you on "Vintage film camera"; the price is now 12,000 KRW.',
      data: {
        auctionId: AUCTION,
        auctionTitle: "Vintage film camera",
        price: 12_000,
        currency: "KRW",
        endsAt: new Date(ENDS_AT).toISOString(),
        leaderHandle: "b***1",
        bidCount: 2,
      },
    });
    expect(received?.title).toBe("New bid on your item");
    expect(received?.body).toBe('"Vintage film camera" received a bid; the price is now 12,000 KRW.');
  });

  it("sends no outbid message for the first bid, only bid_received", () => {
    const e = bidPlaced(AUCTION, 2, {
      bidderId: "usr_a",
      leaderId: "usr_a",
      previousLeaderId: null,
      price: 10_000,
    });
    expect(kinds(notificationsFor(e, []))).toEqual([[SELLER, "bid_received"]]);
  });

  it("sends no outbid message when a proxy defended the lead (the leader did not change)", () => {
    const e = bidPlaced(AUCTION, 4, {
      bidderId: "usr_b",
      leaderId: "usr_a",
      previousLeaderId: "usr_a",
      price: 13_000,
      result: "outbid",
    });
    expect(kinds(notificationsFor(e, []))).toEqual([[SELLER, "bid_received"]]);
  });

  it("sends nothing when the leader only raised their maximum (no new public bid)", () => {
    const e = bidPlaced(AUCTION, 5, {
      bidderId: "usr_a",
      leaderId: "usr_a",
      previousLeaderId: "usr_a",
      price: 13_000,
      result: "max_raised",
    });
    expect(notificationsFor(e, [])).toEqual([]);
  });
});

describe("notificationsFor: auction.ending_soon", () => {
  it("reaches every bidder and watcher once, never the seller", () => {
    const e = endingSoon(AUCTION, 6, ["usr_a", "usr_b"]);
    const out = notificationsFor(e, ["usr_b", "usr_w", SELLER, "usr_w"]);
    expect(kinds(out)).toEqual([
      ["usr_a", "auction_ending_soon"],
      ["usr_b", "auction_ending_soon"],
      ["usr_w", "auction_ending_soon"],
    ]);
    expect(out[0]?.title).toBe("Auction ending soon");
    expect(out[0]?.body).toBe('"Vintage film camera" ends soon; the price is 10,000 KRW.');
  });
});

describe("notificationsFor: auction.closed", () => {
  it("sold: the winner won, every other bidder lost, the seller sold", () => {
    const e = closed(AUCTION, 9, {
      outcome: "sold",
      winnerId: "usr_b",
      finalPrice: 15_000,
      bidderIds: ["usr_a", "usr_b", "usr_c"],
    });
    const out = notificationsFor(e, ["usr_w"]);
    expect(kinds(out)).toEqual([
      ["usr_b", "auction_won"],
      ["usr_a", "auction_lost"],
      ["usr_c", "auction_lost"],
      [SELLER, "auction_sold"],
    ]);
    expect(out.map((n) => n.body)).toEqual([
      'You won "Vintage film camera" for 15,000 KRW.',
      '"Vintage film camera" went to another bidder for 15,000 KRW.',
      '"Vintage film camera" went to another bidder for 15,000 KRW.',
      '"Vintage film camera" sold for 15,000 KRW.',
    ]);
    expect(out[0]?.data).toMatchObject({ outcome: "sold", endedBy: "time", price: 15_000 });
  });

  it("sold by buy-now to someone who never bid: they won, the bidders lost", () => {
    const e = closed(AUCTION, 9, {
      outcome: "sold",
      winnerId: "usr_buyer",
      finalPrice: 50_000,
      bidderIds: ["usr_a"],
      endedBy: "buy_now",
    });
    expect(kinds(notificationsFor(e, []))).toEqual([
      ["usr_buyer", "auction_won"],
      ["usr_a", "auction_lost"],
      [SELLER, "auction_sold"],
    ]);
  });

  it("unsold with bids (reserve not met): every bidder lost, the seller did not sell", () => {
    const e = closed(AUCTION, 9, {
      outcome: "unsold",
      winnerId: null,
      finalPrice: null,
      bidderIds: ["usr_a"],
    });
    const out = notificationsFor(e, []);
    expect(kinds(out)).toEqual([
      ["usr_a", "auction_lost"],
      [SELLER, "auction_unsold"],
    ]);
    expect(out[0]?.body).toBe('"Vintage film camera" ended without a sale at 10,000 KRW.');
    expect(out[1]?.title).toBe("Your item did not sell");
  });

  it("unsold without bids: only the seller hears", () => {
    const e = closed(AUCTION, 9, { outcome: "unsold", winnerId: null, finalPrice: null, bidderIds: [] });
    expect(kinds(notificationsFor(e, ["usr_w"]))).toEqual([[SELLER, "auction_unsold"]]);
  });
});

describe("notificationsFor: auction.cancelled", () => {
  it("reaches bidders and watchers once, never the seller", () => {
    const e = cancelled(AUCTION, 3, ["usr_a"]);
    const out = notificationsFor(e, ["usr_a", "usr_w", SELLER]);
    expect(kinds(out)).toEqual([
      ["usr_a", "auction_cancelled"],
      ["usr_w", "auction_cancelled"],
    ]);
    expect(out[0]?.body).toBe('The seller cancelled "Vintage film camera" at 10,000 KRW.');
    expect(out[0]?.data).toMatchObject({ cancelledBy: "seller" });
  });

  it("by an administrator: bidders and watchers once, then the seller, who alone reads the reason", () => {
    const e = adminCancelled(AUCTION, 9, ["usr_a", "usr_b"], "Counterfeit item", { currentPrice: 16_000 });
    const out = notificationsFor(e, ["usr_b", "usr_w", SELLER]);
    expect(kinds(out)).toEqual([
      ["usr_a", "auction_cancelled"],
      ["usr_b", "auction_cancelled"],
      ["usr_w", "auction_cancelled"],
      [SELLER, "auction_cancelled"],
    ]);
    expect(out[0]).toMatchObject({
      title: "Auction cancelled",
      body: 'An administrator cancelled "Vintage film camera" at 16,000 KRW.',
      data: { auctionId: AUCTION, price: 16_000, cancelledBy: "admin" },
    });
    expect(out[0]?.data).not.toHaveProperty("reason");
    expect(out[3]).toMatchObject({
      title: "Your listing was cancelled",
      body: 'An administrator cancelled your listing "Vintage film camera": Counterfeit item',
      data: { auctionId: AUCTION, price: 16_000, cancelledBy: "admin", reason: "Counterfeit item" },
    });
  });

  it("keeps reading a seller's cancellation written before admins could cancel (no byAdmin field)", () => {
    const e = cancelled(AUCTION, 3, []);
    expect(e).not.toHaveProperty("byAdmin");
    expect(kinds(notificationsFor(e, ["usr_w"]))).toEqual([["usr_w", "auction_cancelled"]]);
  });
});

describe("notificationsFor: events nobody is told about", () => {
  it.each(["auction.created", "auction.updated", "auction.opened"] as const)("%s → no messages", (type) => {
    expect(notificationsFor(event(AUCTION, 1, { type }), ["usr_w"])).toEqual([]);
  });

  it("auction.extended → no messages", () => {
    const e = event(AUCTION, 7, {
      type: "auction.extended",
      endsAt: ENDS_AT + 300_000,
      previousEndsAt: ENDS_AT,
    });
    expect(notificationsFor(e, ["usr_w"])).toEqual([]);
  });
});

describe("formatPrice", () => {
  it.each([
    [12_000, "KRW", "12,000 KRW"],
    [0, "KRW", "0 KRW"],
    [1_000_000_000_000, "KRW", "1,000,000,000,000 KRW"],
    [1_250, "USD", "12.50 USD"],
    [5, "USD", "0.05 USD"],
    [1_500, "JPY", "1,500 JPY"],
  ])("%i minor units of %s → %s", (amount, currency, text) => {
    expect(formatPrice(amount, currency)).toBe(text);
  });
});
