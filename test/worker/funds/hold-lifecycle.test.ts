import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Wallet } from "../../../src/durable/wallet";
import { ORPHAN_AFTER_MS, RECHECK_AFTER_MS } from "../../../src/durable/wallet";
import { setRoomClock } from "../../durable/auction-room/helpers";
import { call, createAuction, expectProblem, signUp, signUpAdmin } from "../../helpers";
import { bid, expectHealthyWallet, runBroker, signUpWith, walletOf } from "./support";

/** SPEC §8 "Funds to bid": how holds end — concurrency, orphans, buy-now, cancel, close. */

describe("holds under concurrency, crashes and endings", () => {
  it("one user with funds for 10 bids sends 20 bids at once on 20 auctions: at most 10 succeed, nothing overspent", async () => {
    const seller = await signUp("cseller");
    const auctions = await Promise.all(
      Array.from({ length: 20 }, () => createAuction(seller, { startingPrice: 10_000 })),
    );
    const bidder = await signUpWith("cbidder", 100_000);
    const replies = await Promise.all(auctions.map((a) => bid(bidder, a.id, { amount: 10_000 })));
    const statuses = replies.map((r) => r.status);
    const accepted = statuses.filter((s) => s === 201).length;
    expect(accepted).toBe(10);
    for (const refused of replies.filter((r) => r.status !== 201))
      expectProblem(refused, 422, "INSUFFICIENT_FUNDS");
    const wallet = await walletOf(bidder);
    expect(wallet).toMatchObject({ available: 0, held: 100_000 });
    expect(wallet.holds).toHaveLength(10);
    await expectHealthyWallet(bidder);
  });

  it("voids an orphan hold (reserved, never bid: a crash in between) after asking the auction, which then refuses it", async () => {
    const seller = await signUp("oseller");
    const auction = await createAuction(seller, { startingPrice: 10_000 });
    const user = await signUpWith("orphan", 50_000);
    const wallet = env.WALLET.getByName(user.id);
    const reserved = await wallet.reserveForBid(user.id, {
      auctionId: auction.id,
      currency: "KRW",
      atLeast: 20_000,
      purpose: "bid",
    });
    if (!reserved.ok) throw new Error(reserved.code);
    expect(await walletOf(user)).toMatchObject({ available: 30_000, held: 20_000 });

    const later = Date.now() + ORPHAN_AFTER_MS + 1_000;
    await runInDurableObject(wallet, async (instance: Wallet) => {
      instance.clock = () => later;
      await instance.alarm();
    });
    expect(await walletOf(user)).toEqual({ available: 50_000, held: 0, holds: [] });
    // The worker, waking up at last, cannot use that reservation any more.
    const late = await env.AUCTION_ROOM.getByName(auction.id).placeBid({
      bidderId: user.id,
      amount: 20_000,
      maxAmount: null,
      idempotencyKey: null,
      requestHash: "late",
      hold: { reservation: reserved.reservation, amount: reserved.holdAmount },
    });
    expect(late).toMatchObject({ ok: false, code: "HOLD_TOO_SMALL", needed: 20_000 });
    await expectHealthyWallet(user);
  });

  it("keeps a leader's hold when the sweep asks about it: the auction still needs it", async () => {
    const seller = await signUp("oseller");
    const auction = await createAuction(seller, { startingPrice: 10_000 });
    const leader = await signUpWith("oleader", 50_000);
    expect((await bid(leader, auction.id, { maxAmount: 25_000 })).status).toBe(201);
    const later = Date.now() + ORPHAN_AFTER_MS + 1_000;
    await runInDurableObject(env.WALLET.getByName(leader.id), async (instance: Wallet) => {
      instance.clock = () => later;
      await instance.alarm();
    });
    expect(await walletOf(leader)).toMatchObject({ available: 25_000, held: 25_000 });
  });

  it("asks the room again about a hold it has not heard of for 10 minutes: an outbid lost for good still frees the money", async () => {
    const seller = await signUp("oseller");
    const auction = await createAuction(seller, { startingPrice: 10_000 });
    const leader = await signUpWith("oleader", 50_000);
    const rival = await signUpWith("orival", 50_000);
    expect((await bid(leader, auction.id, { maxAmount: 25_000 })).status).toBe(201);
    const wallet = env.WALLET.getByName(leader.id);
    const sweepAt = async (at: number) =>
      runInDurableObject(wallet, async (instance: Wallet) => {
        instance.clock = () => at;
        await instance.alarm();
      });
    const start = Date.now();
    await sweepAt(start + ORPHAN_AFTER_MS + 1_000);
    expect((await walletOf(leader)).held).toBe(25_000);
    // Outbid, and the event never reaches the broker.
    expect((await bid(rival, auction.id, { maxAmount: 40_000 })).status).toBe(201);
    await sweepAt(start + ORPHAN_AFTER_MS + RECHECK_AFTER_MS + 2_000);
    expect(await walletOf(leader)).toEqual({ available: 50_000, held: 0, holds: [] });
    await expectHealthyWallet(leader);
  });

  it("buy-now needs the price in the wallet, and holds it for the sale", async () => {
    const seller = await signUp("bseller");
    const auction = await createAuction(seller, { startingPrice: 10_000, buyNowPrice: 30_000 });
    const poor = await signUpWith("bpoor", 29_999);
    const refused = await call("POST", `/api/v1/auctions/${auction.id}/buy-now`, { token: poor.token });
    expectProblem(refused, 422, "INSUFFICIENT_FUNDS");
    expect(refused.body).toMatchObject({ available: 29_999, needed: 30_000 });
    expect(await walletOf(poor)).toEqual({ available: 29_999, held: 0, holds: [] });

    const leader = await signUpWith("bleader", 50_000);
    expect((await bid(leader, auction.id, { maxAmount: 20_000 })).status).toBe(201);
    const buyer = await signUpWith("bbuyer", 40_000);
    const bought = await call("POST", `/api/v1/auctions/${auction.id}/buy-now`, { token: buyer.token });
    expect(bought.status).toBe(201);
    expect(await walletOf(buyer)).toMatchObject({ available: 10_000, held: 30_000 });
    await runBroker(auction.id);
    expect(await walletOf(leader)).toEqual({ available: 50_000, held: 0, holds: [] });
  });

  it("an administrator's cancellation releases the leader's hold", async () => {
    const seller = await signUp("xseller");
    const auction = await createAuction(seller, { startingPrice: 10_000 });
    const leader = await signUpWith("xleader", 50_000);
    expect((await bid(leader, auction.id, { maxAmount: 30_000 })).status).toBe(201);
    const admin = await signUpAdmin("xadmin");
    const cancelled = await call("POST", `/api/v1/admin/auctions/${auction.id}/cancel`, {
      token: admin.token,
      body: { reason: "Counterfeit" },
    });
    expect(cancelled.status).toBe(200);
    await runBroker(auction.id);
    expect(await walletOf(leader)).toEqual({ available: 50_000, held: 0, holds: [] });
  });

  it("at the close, the winner pays the final price (the rest released) and an unsold leader gets everything back", async () => {
    const seller = await signUp("tseller");
    const sold = await createAuction(seller, { startingPrice: 10_000 });
    const unsold = await createAuction(seller, { startingPrice: 10_000, reservePrice: 40_000 });
    const winner = await signUpWith("twinner", 100_000);
    const other = await signUpWith("tother", 100_000);
    expect((await bid(winner, sold.id, { maxAmount: 50_000 })).status).toBe(201);
    expect((await bid(other, sold.id, { amount: 20_000 })).status).toBe(201);
    expect((await bid(other, unsold.id, { maxAmount: 30_000 })).status).toBe(201);
    const afterEnd = Date.now() + 2 * 3600_000;
    for (const id of [sold.id, unsold.id]) {
      await setRoomClock(id, afterEnd);
      expect((await call("GET", `/api/v1/auctions/${id}`)).body.status).toBe("closed");
      await runBroker(id);
    }
    // Sold at 21,000 (one increment over 20,000): that goes into the order's escrow, the rest of
    // the 50,000 maximum back to available.
    expect(await walletOf(winner)).toEqual({ available: 79_000, held: 0, holds: [] });
    expect(await walletOf(other)).toEqual({ available: 100_000, held: 0, holds: [] });
    // A paid winner bidding on the closed auction holds nothing: the sale is paid already.
    expectProblem(await bid(winner, sold.id, { amount: 30_000 }), 409, "AUCTION_NOT_OPEN");
    expect(await walletOf(winner)).toEqual({ available: 79_000, held: 0, holds: [] });
    await expectHealthyWallet(winner);
  });
});
