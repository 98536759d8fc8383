import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Wallet } from "../../../src/durable/wallet";
import { setRoomClock } from "../../durable/auction-room/helpers";
import { call, createAuction, signUp, signUpAdmin, type TestUser } from "../../helpers";
import { bid, runBroker, runWalletBroker, signUpWith } from "../funds/support";

/** SPEC §9 `GET /api/v1/admin/ledger/check`, over a whole sale; one test, since it reads the whole ledger. */

const check = (admin: TestUser) => call("GET", "/api/v1/admin/ledger/check", { token: admin.token });

describe("GET /api/v1/admin/ledger/check", () => {
  it("is ok after a whole sale once every side is delivered, and names the side that is not", async () => {
    const admin = await signUpAdmin("ladmin");
    const seller = await signUp("lseller");
    const buyer = await signUpWith("lbuyer", 100_000);
    const rival = await signUpWith("lrival", 100_000);
    const auction = await createAuction(seller, { startingPrice: 10_000 });
    const auctionId = auction.id as string;
    expect((await bid(buyer, auctionId, { maxAmount: 50_000 })).status).toBe(201);
    expect((await bid(rival, auctionId, { amount: 20_000 })).status).toBe(201);
    await setRoomClock(auctionId, Date.parse(auction.endsAt) + 1_000);
    expect((await call("GET", `/api/v1/auctions/${auctionId}`)).body.status).toBe("closed");
    // The seller's wallet lives a month ahead: its flush, due at once by its clock, waits for the
    // test to hand it over (runWalletBroker) instead of racing the check below.
    await runInDurableObject(env.WALLET.getByName(seller.id), (wallet: Wallet) => {
      wallet.clock = () => Date.now() + 30 * 24 * 3_600_000;
    });
    await runBroker(auctionId);
    expect(
      (await call("POST", `/api/v1/auctions/${auctionId}/order/ship`, { token: seller.token, body: {} }))
        .status,
    ).toBe(200);
    expect(
      (await call("POST", `/api/v1/auctions/${auctionId}/order/confirm`, { token: buyer.token })).status,
    ).toBe(200);
    await runBroker(auctionId);

    // The seller's Wallet has not handed over its ledger yet: its side of the payout is missing.
    await runWalletBroker(admin, buyer, rival);
    const partial = await check(admin);
    expect(partial.status).toBe(200);
    expect(partial.body.ok).toBe(false);
    expect(partial.body.problems).toContainEqual({
      code: "SIDE_MISSING",
      transferId: `order:${auctionId}:pending`,
      owner: `wallet:${seller.id}`,
    });

    await runWalletBroker(seller);
    await runWalletBroker(admin, buyer, rival, seller);
    const full = await check(admin);
    expect(full.body).toMatchObject({ ok: true, problems: [] });
    expect(full.body.transfers).toBeGreaterThan(5);
    expect((await check(buyer)).status).toBe(403);
  });

  it("is exact once the queue has drained, while a wallet's own moves (a bid's hold) still wait for their flush", async () => {
    const admin = await signUpAdmin("wadmin");
    const seller = await signUp("wseller");
    const buyer = await signUpWith("wbuyer", 100_000);
    await runWalletBroker(buyer);
    const auction = await createAuction(seller, { startingPrice: 10_000 });
    expect((await bid(buyer, auction.id as string, { maxAmount: 50_000 })).status).toBe(201);
    await runBroker(auction.id as string);
    const waiting = () =>
      runInDurableObject(
        env.WALLET.getByName(buyer.id),
        (_wallet, ctx) =>
          ctx.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM pending_ledger").one().n,
      );
    // The hold (available → held) is written and waits up to LEDGER_FLUSH_SECONDS to leave.
    expect(await waiting()).toBe(1);
    const result = await check(admin);
    expect(result.body).toMatchObject({ ok: true, problems: [] });
    expect(await waiting()).toBe(1);
  });
});
