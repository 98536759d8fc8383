import { describe, expect, it } from "vitest";
import { setRoomClock } from "../durable/auction-room/helpers";
import { call, createAuction, expectProblem, fund, signUp, signUpFunded, type TestUser } from "../helpers";

function bid(user: TestUser, auctionId: string, body: Record<string, unknown>, key?: string) {
  return call("POST", `/api/v1/auctions/${auctionId}/bids`, {
    token: user.token,
    body,
    headers: key ? { "idempotency-key": key } : {},
  });
}

describe("POST /api/v1/auctions/{id}/bids", () => {
  it("accepts a first bid at the starting price and replies with the new state", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller, { startingPrice: 10_000 });
    const res = await bid(alice, a.id, { amount: 10_000 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      bid: {
        id: expect.any(String),
        amount: 10_000,
        maxAmount: 10_000,
        kind: "manual",
        placedAt: expect.any(String),
      },
      result: "leading",
      auction: {
        currentPrice: 10_000,
        bidCount: 1,
        leaderIsYou: true,
        minimumNextBid: 11_000, // 10,000 + the KRW increment of 1,000 at that price
        reserveMet: true,
        endsAt: a.endsAt,
        extended: false,
      },
    });
    const detail = await call("GET", `/api/v1/auctions/${a.id}`, { token: alice.token });
    expect(detail.body).toMatchObject({
      currentPrice: 10_000,
      bidCount: 1,
      leaderIsYou: true,
      leader: { handle: "b***1" },
    });
  });

  it("bids the minimum for {} and runs a proxy duel with eBay semantics", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const bob = await signUpFunded("bob");
    const a = await createAuction(seller, { startingPrice: 10_000 });
    const proxy = await bid(alice, a.id, { maxAmount: 30_000 });
    expect(proxy.body.result).toBe("leading");
    expect(proxy.body.bid).toMatchObject({ amount: 10_000, maxAmount: 30_000, kind: "proxy" });
    expect(proxy.body.auction.currentPrice).toBe(10_000);

    // Bob bids 20,000: Alice's proxy answers at 20,000 + 1,000.
    const manual = await bid(bob, a.id, { amount: 20_000 });
    expect(manual.status).toBe(201);
    expect(manual.body.result).toBe("outbid");
    expect(manual.body.auction).toMatchObject({
      currentPrice: 21_000,
      leaderIsYou: false,
      minimumNextBid: 22_000,
    });

    // Bob's {} bids the minimum, 22,000; still below Alice's max.
    const minimum = await bid(bob, a.id, {});
    expect(minimum.body.bid.amount).toBe(22_000);
    expect(minimum.body.auction.currentPrice).toBe(23_000);

    // Bob's proxy above Alice's max takes the lead at her max + increment.
    const over = await bid(bob, a.id, { maxAmount: 50_000 });
    expect(over.body.result).toBe("leading");
    expect(over.body.auction).toMatchObject({ currentPrice: 31_000, leaderIsYou: true });

    // The leader raising their own max does not raise the price.
    const raise = await bid(bob, a.id, { maxAmount: 60_000 });
    expect(raise.body.result).toBe("max_raised");
    expect(raise.body.auction.currentPrice).toBe(31_000);

    const history = await call("GET", `/api/v1/auctions/${a.id}/bids`, { token: bob.token });
    expect(
      history.body.items.map((h: { amount: number; kind: string; bidder: { handle: string } }) => [
        h.amount,
        h.kind,
        h.bidder.handle,
      ]),
    ).toEqual([
      [31_000, "proxy", "you"],
      [30_000, "proxy", "b***1"],
      [23_000, "proxy", "b***1"],
      [22_000, "manual", "you"],
      [21_000, "proxy", "b***1"],
      [20_000, "manual", "you"],
      [10_000, "proxy", "b***1"],
    ]);
    expect(history.text).not.toContain("maxAmount");
    expect(history.text).not.toContain("50000");
    expect(history.text).not.toContain("60000");
    // Anonymous viewers see handles only.
    const anonymous = await call("GET", `/api/v1/auctions/${a.id}/bids?limit=2`);
    expect(anonymous.body.items.map((h: { bidder: { handle: string } }) => h.bidder.handle)).toEqual([
      "b***2",
      "b***1",
    ]);
    const next = await call(
      "GET",
      `/api/v1/auctions/${a.id}/bids?limit=2&cursor=${anonymous.body.nextCursor}`,
    );
    expect(next.body.items.map((h: { amount: number }) => h.amount)).toEqual([23_000, 22_000]);
  });

  it("jumps the price to the reserve when the leader's max reaches it", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller, { startingPrice: 10_000, reservePrice: 40_000 });
    const res = await bid(alice, a.id, { maxAmount: 45_000 });
    expect(res.body.auction).toMatchObject({ currentPrice: 40_000, reserveMet: true });
  });

  it("refuses, in the spec's order, each broken rule with its own code", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller, { startingPrice: 10_000, buyNowPrice: 100_000 });
    // Funded, so that being the seller is the only reason the seller's bid is refused.
    await fund(seller);
    expectProblem(await bid(alice, "auc_00000000000000000000", { amount: 10_000 }), 404, "AUCTION_NOT_FOUND");
    expectProblem(await bid(seller, a.id, { amount: 10_000 }), 403, "SELLER_CANNOT_BID");
    const low = await bid(alice, a.id, { amount: 9_999 });
    expectProblem(low, 422, "BID_TOO_LOW");
    expect(low.body.detail).toContain("10000");
    expectProblem(await bid(alice, a.id, { maxAmount: 9_000 }), 422, "BID_TOO_LOW");
    expectProblem(await bid(alice, a.id, { amount: 100_000 }), 422, "BID_AT_OR_ABOVE_BUY_NOW");
    expectProblem(await bid(alice, a.id, { maxAmount: 150_000 }), 422, "BID_AT_OR_ABOVE_BUY_NOW");
    const later = await createAuction(seller, { startsAt: new Date(Date.now() + 3_600_000).toISOString() });
    expectProblem(await bid(alice, later.id, { amount: 10_000 }), 409, "AUCTION_NOT_OPEN");
    expectProblem(await call("POST", `/api/v1/auctions/${a.id}/bids`, { body: {} }), 401, "UNAUTHENTICATED");
    // Nothing was written by any refusal.
    expect((await call("GET", `/api/v1/auctions/${a.id}`)).body.bidCount).toBe(0);
  });

  it.each([
    ["negative amount", { amount: -1 }],
    ["fractional amount", { amount: 10_000.5 }],
    ["string amount", { amount: "10000" }],
    ["max below amount", { amount: 20_000, maxAmount: 15_000 }],
    ["unknown field", { amount: 10_000, bidderId: "usr_x" }],
    ["amount over 10^12", { amount: 1_000_000_000_001 }],
  ])("refuses a %s with 422 VALIDATION_FAILED", async (_name, body) => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller);
    expectProblem(await bid(alice, a.id, body), 422, "VALIDATION_FAILED");
    expect((await call("GET", `/api/v1/auctions/${a.id}`)).body.bidCount).toBe(0);
  });

  it("refuses a leader bid that does not raise their maximum", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller);
    await bid(alice, a.id, { maxAmount: 30_000 });
    expectProblem(await bid(alice, a.id, { maxAmount: 25_000 }), 422, "MAX_NOT_RAISED");
  });

  it("rate-limits a user to 5 bids per second per auction with 429 RATE_LIMITED and Retry-After", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const bob = await signUpFunded("bob");
    const a = await createAuction(seller);
    // The room's clock stands still, so all of this happens "within one second" however slow the machine.
    const frozenAt = Date.now();
    await setRoomClock(a.id, frozenAt);
    const statuses: number[] = [];
    // Alternate so every bid is a real raise; Alice's 6th inside the same second is refused.
    for (let i = 0; i < 6; i++) {
      statuses.push((await bid(alice, a.id, {})).status);
      await bid(bob, a.id, {});
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    const limited = await bid(alice, a.id, {});
    expectProblem(limited, 429, "RATE_LIMITED");
    expect(limited.headers.get("retry-after")).toBe("1");
    // A second later she may bid again.
    await setRoomClock(a.id, frozenAt + 1_001);
    expect((await bid(alice, a.id, {})).status).toBe(201);
  });

  it("replays a bid with the same Idempotency-Key byte for byte, once", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller);
    const first = await bid(alice, a.id, { amount: 12_000 }, "bid-key-1");
    const again = await bid(alice, a.id, { amount: 12_000 }, "bid-key-1");
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect((await call("GET", `/api/v1/auctions/${a.id}`)).body.bidCount).toBe(1);
    expectProblem(await bid(alice, a.id, { amount: 13_000 }, "bid-key-1"), 422, "IDEMPOTENCY_KEY_REUSED");
  });
});

describe("POST /api/v1/auctions/{id}/buy-now", () => {
  it("closes the auction at once, sold to the caller at the buy-now price", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const bob = await signUpFunded("bob");
    const a = await createAuction(seller, { startingPrice: 10_000, buyNowPrice: 50_000 });
    await bid(alice, a.id, { amount: 12_000 });
    const res = await call("POST", `/api/v1/auctions/${a.id}/buy-now`, {
      token: bob.token,
      headers: { "idempotency-key": "buy-1" },
    });
    expect(res.status).toBe(201);
    expect(res.body.price).toBe(50_000);
    expect(res.body.auction).toMatchObject({
      status: "closed",
      outcome: "sold",
      endedBy: "buy_now",
      currentPrice: 50_000,
      winnerId: bob.id,
      leaderIsYou: true,
      buyNowAvailable: false,
    });
    const replay = await call("POST", `/api/v1/auctions/${a.id}/buy-now`, {
      token: bob.token,
      headers: { "idempotency-key": "buy-1" },
    });
    expect(replay.text).toBe(res.text);
    expectProblem(
      await call("POST", `/api/v1/auctions/${a.id}/buy-now`, { token: alice.token }),
      409,
      "BUY_NOW_UNAVAILABLE",
    );
    expectProblem(await bid(alice, a.id, {}), 409, "AUCTION_NOT_OPEN");
  });

  it("is unavailable without a buy-now price and forbidden to the seller", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const plain = await createAuction(seller);
    expectProblem(
      await call("POST", `/api/v1/auctions/${plain.id}/buy-now`, { token: alice.token }),
      409,
      "BUY_NOW_UNAVAILABLE",
    );
    const withBuyNow = await createAuction(seller, { buyNowPrice: 90_000 });
    // Funded, so that being the seller is the only reason the seller's buy-now is refused.
    await fund(seller);
    expectProblem(
      await call("POST", `/api/v1/auctions/${withBuyNow.id}/buy-now`, { token: seller.token }),
      403,
      "SELLER_CANNOT_BID",
    );
  });
});
