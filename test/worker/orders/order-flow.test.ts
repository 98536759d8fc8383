import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { roomStub, setRoomClock } from "../../durable/auction-room/helpers";
import { call, createAuction, expectProblem, signUp, signUpAdmin, type TestUser } from "../../helpers";
import { bid, expectHealthyWallet, moneyOf, runBroker, signUpWith } from "../funds/support";

/** SPEC §8 "Orders": from the hammer to the payout, over the API. */

const DAY = 24 * 3600_000;

const orderOf = (user: TestUser, auctionId: string) =>
  call("GET", `/api/v1/auctions/${auctionId}/order`, { token: user.token });
const step = (user: TestUser, auctionId: string, action: string, body?: unknown) =>
  call("POST", `/api/v1/auctions/${auctionId}/order/${action}`, { token: user.token, body });

/** An auction sold at 21,000 to `buyer` (who had 100,000), closed by time on the room's clock. */
async function sold() {
  const seller = await signUp("oseller");
  const buyer = await signUpWith("obuyer", 100_000);
  const rival = await signUpWith("orival", 100_000);
  const auction = await createAuction(seller, { startingPrice: 10_000 });
  const auctionId = auction.id as string;
  expect((await bid(buyer, auctionId, { maxAmount: 50_000 })).status).toBe(201);
  expect((await bid(rival, auctionId, { amount: 20_000 })).status).toBe(201);
  const closedAt = Date.parse(auction.endsAt) + 1_000;
  await setRoomClock(auctionId, closedAt);
  expect((await call("GET", `/api/v1/auctions/${auctionId}`)).body).toMatchObject({
    status: "closed",
    currentPrice: 21_000,
  });
  await runBroker(auctionId);
  return { seller, buyer, rival, auctionId, closedAt };
}

describe("orders", () => {
  it("a sale opens a paid order: the price leaves the buyer's hold for escrow, the seller sees it pending", async () => {
    const { seller, buyer, rival, auctionId } = await sold();
    const order = await orderOf(buyer, auctionId);
    expect(order.status).toBe(200);
    expect(order.body).toMatchObject({
      status: "paid",
      price: 21_000,
      fee: 0,
      payout: 21_000,
      yourRole: "buyer",
    });
    expect((await orderOf(seller, auctionId)).body.yourRole).toBe("seller");
    expect((await orderOf(await signUpAdmin("oadmin"), auctionId)).body.yourRole).toBe("admin");
    expectProblem(await orderOf(rival, auctionId), 404, "ORDER_NOT_FOUND");
    expect(await moneyOf(buyer)).toEqual({ available: 79_000, held: 0, pendingPayout: 0 });
    expect(await moneyOf(seller)).toEqual({ available: 0, held: 0, pendingPayout: 21_000 });
    expect(await moneyOf(rival)).toEqual({ available: 100_000, held: 0, pendingPayout: 0 });
    await runBroker(auctionId);
    expect(await moneyOf(buyer)).toEqual({ available: 79_000, held: 0, pendingPayout: 0 });
    await expectHealthyWallet(buyer);
    await expectHealthyWallet(seller);
  });

  it("ships and completes: each step only by its party and in its state; the payout reaches the seller once", async () => {
    const { seller, buyer, auctionId } = await sold();
    expectProblem(await step(buyer, auctionId, "ship", {}), 403, "FORBIDDEN");
    expectProblem(await step(buyer, auctionId, "confirm"), 409, "ORDER_STATE");
    const shipped = await step(seller, auctionId, "ship", { carrier: "CJ", trackingNumber: "6012" });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({
      status: "shipped",
      shipment: { carrier: "CJ", trackingNumber: "6012" },
    });
    expectProblem(await step(seller, auctionId, "ship", {}), 409, "ORDER_STATE");
    expectProblem(await step(seller, auctionId, "confirm"), 403, "FORBIDDEN");
    const done = await step(buyer, auctionId, "confirm");
    expect(done.body).toMatchObject({ status: "completed", resolution: "buyer_confirmed" });
    await runBroker(auctionId);
    await runBroker(auctionId);
    expect(await moneyOf(seller)).toEqual({ available: 21_000, held: 0, pendingPayout: 0 });
    expect(await moneyOf(buyer)).toEqual({ available: 79_000, held: 0, pendingPayout: 0 });
    await expectHealthyWallet(seller);
  });

  it("completes by itself 7 days after shipping, on the room's alarm", async () => {
    const { seller, buyer, auctionId, closedAt } = await sold();
    expect((await step(seller, auctionId, "ship", {})).status).toBe(200);
    await setRoomClock(auctionId, closedAt + 7 * DAY + 1_000);
    expect(await runDurableObjectAlarm(roomStub(auctionId))).toBe(true);
    expect((await orderOf(buyer, auctionId)).body).toMatchObject({
      status: "completed",
      resolution: "auto_confirmed",
    });
    await runBroker(auctionId);
    expect((await moneyOf(seller)).available).toBe(21_000);
  });

  it("lets the buyer dispute a paid order only past the ship deadline; an admin refunds it", async () => {
    const { seller, buyer, auctionId, closedAt } = await sold();
    expectProblem(await step(buyer, auctionId, "dispute", { reason: "Not sent" }), 409, "ORDER_STATE");
    await setRoomClock(auctionId, closedAt + 5 * DAY + 1_000);
    expectProblem(await step(seller, auctionId, "dispute", { reason: "Hm" }), 403, "FORBIDDEN");
    const disputed = await step(buyer, auctionId, "dispute", { reason: "Not sent" });
    expect(disputed.body).toMatchObject({ status: "disputed", disputeReason: "Not sent" });
    const admin = await signUpAdmin("oadmin");
    const resolve = (who: TestUser) =>
      call("POST", `/api/v1/admin/orders/${auctionId}/resolve`, {
        token: who.token,
        body: { outcome: "refund", reason: "Never shipped" },
      });
    expectProblem(await resolve(buyer), 403, "FORBIDDEN");
    const resolved = await resolve(admin);
    expect(resolved.body).toMatchObject({ status: "refunded", resolution: "admin_refunded" });
    expectProblem(await resolve(admin), 409, "ORDER_STATE");
    await runBroker(auctionId);
    expect(await moneyOf(buyer)).toEqual({ available: 100_000, held: 0, pendingPayout: 0 });
    expect(await moneyOf(seller)).toEqual({ available: 0, held: 0, pendingPayout: 0 });
    const audit = await env.DB.prepare("SELECT action, reason FROM audit_log WHERE target_id = ?")
      .bind(auctionId)
      .all();
    expect(audit.results).toEqual([{ action: "order.resolve", reason: "Never shipped" }]);
  });

  it("an admin releasing a dispute after shipping pays the seller", async () => {
    const { seller, buyer, auctionId } = await sold();
    await step(seller, auctionId, "ship", {});
    expect((await step(buyer, auctionId, "dispute", { reason: "Scratched" })).status).toBe(200);
    const admin = await signUpAdmin("oadmin");
    const released = await call("POST", `/api/v1/admin/orders/${auctionId}/resolve`, {
      token: admin.token,
      body: { outcome: "release", reason: "As described" },
    });
    expect(released.body).toMatchObject({ status: "completed", resolution: "admin_released" });
    await runBroker(auctionId);
    expect((await moneyOf(seller)).available).toBe(21_000);
  });

  it("the seller cancelling before shipping refunds the buyer in full", async () => {
    const { seller, buyer, auctionId } = await sold();
    expectProblem(await step(buyer, auctionId, "cancel"), 403, "FORBIDDEN");
    expect((await step(seller, auctionId, "cancel")).body).toMatchObject({
      status: "refunded",
      resolution: "seller_cancelled",
    });
    await runBroker(auctionId);
    expect(await moneyOf(buyer)).toEqual({ available: 100_000, held: 0, pendingPayout: 0 });
    expect(await moneyOf(seller)).toEqual({ available: 0, held: 0, pendingPayout: 0 });
    const inbox = await call("GET", "/api/v1/me/inbox", { token: buyer.token });
    expect(inbox.body.items.map((m: { kind: string }) => m.kind)).toContain("order_cancelled");
  });

  it("buy-now opens a paid order at once; GET /me/orders lists it for both sides", async () => {
    const seller = await signUp("oseller");
    const buyer = await signUpWith("obuyer", 40_000);
    const auction = await createAuction(seller, { startingPrice: 10_000, buyNowPrice: 30_000 });
    expect(
      (await call("POST", `/api/v1/auctions/${auction.id}/buy-now`, { token: buyer.token })).status,
    ).toBe(201);
    await runBroker(auction.id);
    expect(await moneyOf(buyer)).toEqual({ available: 10_000, held: 0, pendingPayout: 0 });
    const mine = await call("GET", "/api/v1/me/orders?role=buyer", { token: buyer.token });
    expect(mine.body.items).toEqual([
      expect.objectContaining({ auctionId: auction.id, role: "buyer", status: "paid", price: 30_000 }),
    ]);
    const selling = await call("GET", "/api/v1/me/orders?role=seller&status=paid", { token: seller.token });
    expect(selling.body.items.map((o: { auctionId: string }) => o.auctionId)).toEqual([auction.id]);
    expect((await call("GET", "/api/v1/me/orders?role=seller", { token: buyer.token })).body.items).toEqual(
      [],
    );
  });
});
