import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createAuction, expectProblem, signUp } from "../../helpers";
import { bid, expectHealthyWallet, runBroker, signUpWith, walletOf } from "./support";

/** SPEC §8 "Funds to bid", through the API: a bid holds its commitment while it leads. */

async function openAuction(overrides: Record<string, unknown> = {}) {
  const seller = await signUp("fseller");
  const auction = await createAuction(seller, { startingPrice: 10_000, ...overrides });
  return { seller, auctionId: auction.id as string };
}

describe("funds to bid", () => {
  it("refuses a bid the wallet cannot cover: 422 INSUFFICIENT_FUNDS with available and needed, nothing changes", async () => {
    const { auctionId } = await openAuction();
    const poor = await signUpWith("fpoor", 12_000);
    const refused = await bid(poor, auctionId, { amount: 11_000, maxAmount: 15_000 });
    expectProblem(refused, 422, "INSUFFICIENT_FUNDS");
    expect(refused.body).toMatchObject({ available: 12_000, needed: 15_000 });
    expect(await walletOf(poor)).toEqual({ available: 12_000, held: 0, holds: [] });
    const auction = await bid(poor, auctionId, { amount: 1 });
    expectProblem(auction, 422, "BID_TOO_LOW");
    await expectHealthyWallet(poor);
  });

  it("answers the auction's own refusal before the money: a bid too low from an empty wallet is BID_TOO_LOW", async () => {
    const { auctionId } = await openAuction();
    const empty = await signUp("fempty");
    expectProblem(await bid(empty, auctionId, { amount: 5_000 }), 422, "BID_TOO_LOW");
    expectProblem(await bid(empty, auctionId, {}), 422, "INSUFFICIENT_FUNDS");
  });

  it("holds the commitment while leading: the maximum of a proxy bid, the minimum of {}", async () => {
    const { auctionId } = await openAuction();
    const alice = await signUpWith("falice", 100_000);
    expect((await bid(alice, auctionId, { maxAmount: 30_000 })).status).toBe(201);
    const wallet = await walletOf(alice);
    expect(wallet).toMatchObject({ available: 70_000, held: 30_000 });
    expect(wallet.holds).toEqual([expect.objectContaining({ auctionId, amount: 30_000 })]);

    const other = await openAuction();
    const bob = await signUpWith("fbob", 100_000);
    expect((await bid(bob, other.auctionId, {})).status).toBe(201);
    expect(await walletOf(bob)).toMatchObject({ available: 90_000, held: 10_000 });
  });

  it("gives an instantly outbid bid its money back before it answers", async () => {
    const { auctionId } = await openAuction();
    const alice = await signUpWith("falice", 100_000);
    const bob = await signUpWith("fbob", 50_000);
    expect((await bid(alice, auctionId, { maxAmount: 30_000 })).status).toBe(201);
    const outbid = await bid(bob, auctionId, { amount: 20_000 });
    expect(outbid.status).toBe(201);
    expect(outbid.body.result).toBe("outbid");
    expect(await walletOf(bob)).toEqual({ available: 50_000, held: 0, holds: [] });
    await expectHealthyWallet(bob);
  });

  it("gives a refused bid its money back before it answers", async () => {
    const { auctionId } = await openAuction({ buyNowPrice: 40_000 });
    const bob = await signUpWith("fbob", 100_000);
    expect((await bid(bob, auctionId, { amount: 12_000 })).status).toBe(201);
    // Raising to the buy-now price is refused after the worker reserved the raise.
    expectProblem(await bid(bob, auctionId, { maxAmount: 45_000 }), 422, "BID_AT_OR_ABOVE_BUY_NOW");
    expect(await walletOf(bob)).toMatchObject({ available: 88_000, held: 12_000 });
  });

  it("voids an outbid leader's hold once the broker has the event", async () => {
    const { auctionId } = await openAuction();
    const alice = await signUpWith("falice", 100_000);
    const bob = await signUpWith("fbob", 100_000);
    expect((await bid(alice, auctionId, { amount: 11_000 })).status).toBe(201);
    expect((await bid(bob, auctionId, { amount: 15_000 })).status).toBe(201);
    expect((await walletOf(alice)).held).toBe(11_000);
    await runBroker(auctionId);
    expect(await walletOf(alice)).toEqual({ available: 100_000, held: 0, holds: [] });
    expect(await walletOf(bob)).toMatchObject({ available: 85_000, held: 15_000 });
    // Delivered again: nothing more moves.
    await runBroker(auctionId);
    expect(await walletOf(alice)).toEqual({ available: 100_000, held: 0, holds: [] });
    await expectHealthyWallet(alice);
  });

  it("raises the leader's one hold when they raise their maximum", async () => {
    const { auctionId } = await openAuction();
    const alice = await signUpWith("falice", 100_000);
    expect((await bid(alice, auctionId, { maxAmount: 20_000 })).status).toBe(201);
    expect((await bid(alice, auctionId, { maxAmount: 35_000 })).body.result).toBe("max_raised");
    const wallet = await walletOf(alice);
    expect(wallet).toMatchObject({ available: 65_000, held: 35_000 });
    expect(wallet.holds).toHaveLength(1);
  });

  it("leaves exactly one hold after a proxy duel: the leader's, for their maximum", async () => {
    const { auctionId } = await openAuction();
    const alice = await signUpWith("falice", 200_000);
    const bob = await signUpWith("fbob", 200_000);
    for (const [who, max] of [
      [alice, 30_000],
      [bob, 45_000],
      [alice, 60_000],
      [bob, 80_000],
      [alice, 95_000],
    ] as const) {
      expect((await bid(who, auctionId, { maxAmount: max })).status).toBe(201);
    }
    await runBroker(auctionId);
    const [a, b] = [await walletOf(alice), await walletOf(bob)];
    expect(a.holds.map((h) => [h.auctionId, h.amount])).toEqual([[auctionId, 95_000]]);
    expect(b).toEqual({ available: 200_000, held: 0, holds: [] });
    await expectHealthyWallet(alice);
    await expectHealthyWallet(bob);
  });

  it("replays an Idempotency-Key without holding twice", async () => {
    const { auctionId } = await openAuction();
    const alice = await signUpWith("falice", 100_000);
    const first = await bid(alice, auctionId, { amount: 12_000 }, "same-bid");
    const again = await bid(alice, auctionId, { amount: 12_000 }, "same-bid");
    expect(again.text).toBe(first.text);
    expect(await walletOf(alice)).toMatchObject({ available: 88_000, held: 12_000 });
  });

  it("a {} bid reserves the minimum it last heard of; when the minimum has moved, it raises the hold to the room's figure plus a margin, which comes back through the broker", async () => {
    const { auctionId } = await openAuction();
    const alice = await signUpWith("falice", 100_000);
    const bob = await signUpWith("fbob", 100_000);
    const carol = await signUpWith("fcarol", 100_000);
    expect((await bid(alice, auctionId, {})).body.auction.minimumNextBid).toBe(11_000);
    // Bob bids through another worker (straight to his wallet and the room): this one still thinks 11,000.
    const reserved = await env.WALLET.getByName(bob.id).reserveForBid(bob.id, {
      auctionId,
      currency: "KRW",
      atLeast: 15_000,
      purpose: "bid",
    });
    if (!reserved.ok) throw new Error(reserved.code);
    const elsewhere = await env.AUCTION_ROOM.getByName(auctionId).placeBid({
      bidderId: bob.id,
      amount: 15_000,
      maxAmount: null,
      idempotencyKey: null,
      requestHash: "elsewhere",
      hold: { reservation: reserved.reservation, amount: reserved.holdAmount },
    });
    expect(elsewhere.ok).toBe(true);

    const placed = await bid(carol, auctionId, {});
    expect(placed.status).toBe(201);
    expect(placed.body.bid.amount).toBe(16_000);
    // Retried with the room's 16,000 plus one increment of margin; the bid itself is 16,000.
    expect(await walletOf(carol)).toMatchObject({ available: 83_000, held: 17_000 });
    const heldMoves = async () => {
      const entries = await call("GET", "/api/v1/me/wallet/entries", { token: carol.token });
      return entries.body.items
        .filter((e: { account: string }) => e.account === "held")
        .map((e: { kind: string; amount: number }) => [e.kind, e.amount]);
    };
    expect(await heldMoves()).toEqual([
      ["hold_raise", 6_000],
      ["hold", 11_000],
    ]);
    await runBroker(auctionId);
    const wallet = await walletOf(carol);
    expect(wallet).toMatchObject({ available: 84_000, held: 16_000 });
    expect(wallet.holds).toHaveLength(1);
    expect((await heldMoves())[0]).toEqual(["hold_release", -1_000]);
  });
});
