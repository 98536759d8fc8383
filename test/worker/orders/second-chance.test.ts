import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { roomStub, setRoomClock, storedEvents } from "../../durable/auction-room/helpers";
import { call, createAuction, expectProblem, signUp, signUpAdmin, type TestUser } from "../../helpers";
import { bid, expectHealthyWallet, moneyOf, runBroker, signUpWith } from "../funds/support";

/** Second-chance offers (issue 11): when a sale falls through, the item goes to another bidder. */

const HOUR = 3600_000;

const offer = (user: TestUser, auctionId: string, bidderHandle: unknown) =>
  call("POST", `/api/v1/auctions/${auctionId}/second-chance`, { token: user.token, body: { bidderHandle } });
const offerOf = (user: TestUser, auctionId: string) =>
  call("GET", `/api/v1/auctions/${auctionId}/second-chance`, { token: user.token });
const answer = (user: TestUser, auctionId: string, verb: "accept" | "decline") =>
  call("POST", `/api/v1/auctions/${auctionId}/second-chance/${verb}`, { token: user.token });
const orderOf = (user: TestUser, auctionId: string) =>
  call("GET", `/api/v1/auctions/${auctionId}/order`, { token: user.token });
const kinds = async (user: TestUser) =>
  (await call("GET", "/api/v1/me/inbox", { token: user.token })).body.items.map(
    (m: { kind: string }) => m.kind,
  );

/**
 * Sold at 21,000 to `winner` (b***1) over `rival` (b***2, highest bid 20,000) and `third`
 * (b***3, 15,000); then the seller cancelled the order before shipping: the winner is refunded.
 */
async function fellThrough() {
  const seller = await signUp("sseller");
  const winner = await signUpWith("swinner", 100_000);
  const rival = await signUpWith("srival", 100_000);
  const third = await signUpWith("sthird", 100_000);
  const auction = await createAuction(seller, { startingPrice: 10_000 });
  const auctionId = auction.id as string;
  expect((await bid(winner, auctionId, { maxAmount: 50_000 })).status).toBe(201);
  expect((await bid(rival, auctionId, { amount: 12_000 })).status).toBe(201);
  expect((await bid(third, auctionId, { amount: 15_000 })).status).toBe(201);
  expect((await bid(rival, auctionId, { amount: 20_000 })).status).toBe(201);
  const closedAt = Date.parse(auction.endsAt) + 1_000;
  await setRoomClock(auctionId, closedAt);
  expect((await call("GET", `/api/v1/auctions/${auctionId}`)).body).toMatchObject({
    status: "closed",
    currentPrice: 21_000,
  });
  const cancelled = await call("POST", `/api/v1/auctions/${auctionId}/order/cancel`, { token: seller.token });
  expect(cancelled.body).toMatchObject({ status: "refunded", resolution: "seller_cancelled" });
  await runBroker(auctionId);
  return { seller, winner, rival, third, auctionId, closedAt };
}

describe("second-chance offers", () => {
  it("offers the item to the runner-up at their highest bid; accepting pays it into escrow as a new order", async () => {
    const { seller, winner, rival, auctionId, closedAt } = await fellThrough();
    const made = await offer(seller, auctionId, "b***2");
    expect(made.status).toBe(201);
    expect(made.body).toEqual({
      auctionId,
      bidderHandle: "b***2",
      yourRole: "seller",
      price: 20_000,
      currency: "KRW",
      status: "open",
      offeredAt: new Date(closedAt).toISOString(),
      expiresAt: new Date(closedAt + 48 * HOUR).toISOString(),
      decidedAt: null,
      orderId: null,
    });
    expect((await offerOf(rival, auctionId)).body).toMatchObject({ yourRole: "bidder", status: "open" });
    expectProblem(await offerOf(winner, auctionId), 404, "SECOND_CHANCE_NOT_FOUND");
    await runBroker(auctionId);
    const inbox = await call("GET", "/api/v1/me/inbox", { token: rival.token });
    // The room's clock stands still here: every message has the same time, so find it by kind.
    const told = inbox.body.items.find((m: { kind: string }) => m.kind === "second_chance_offered");
    expect(told).toMatchObject({
      kind: "second_chance_offered",
      title: "A second chance to buy",
      data: { price: 20_000, currency: "KRW", expiresAt: new Date(closedAt + 48 * HOUR).toISOString() },
    });

    const accepted = await answer(rival, auctionId, "accept");
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({
      id: `${auctionId}.2`,
      secondChance: true,
      status: "paid",
      price: 20_000,
      buyerId: rival.id,
      sellerId: seller.id,
      yourRole: "buyer",
    });
    // The price is held on the bidder's wallet until the broker pays it into escrow.
    expect(await moneyOf(rival)).toEqual({ available: 80_000, held: 20_000, pendingPayout: 0 });
    expect((await answer(rival, auctionId, "accept")).body).toEqual(accepted.body);
    await runBroker(auctionId);
    expect(await moneyOf(rival)).toEqual({ available: 80_000, held: 0, pendingPayout: 0 });
    expect(await moneyOf(seller)).toEqual({ available: 0, held: 0, pendingPayout: 20_000 });
    expect(await moneyOf(winner)).toEqual({ available: 100_000, held: 0, pendingPayout: 0 });
    await runBroker(auctionId);
    expect(await moneyOf(rival)).toEqual({ available: 80_000, held: 0, pendingPayout: 0 });
    for (const user of [rival, seller, winner]) await expectHealthyWallet(user);
    expect(await kinds(seller)).toContain("order_paid");
    expect((await offerOf(seller, auctionId)).body).toMatchObject({
      status: "accepted",
      decidedAt: new Date(closedAt).toISOString(),
      orderId: `${auctionId}.2`,
    });
  });

  it("afterwards the order calls act on the new order; the first buyer still sees their refunded one", async () => {
    const { seller, winner, rival, auctionId } = await fellThrough();
    expect((await offer(seller, auctionId, "b***2")).status).toBe(201);
    expect((await answer(rival, auctionId, "accept")).status).toBe(201);
    await runBroker(auctionId);
    expect((await orderOf(winner, auctionId)).body).toMatchObject({
      id: auctionId,
      secondChance: false,
      status: "refunded",
    });
    expect((await orderOf(seller, auctionId)).body).toMatchObject({ id: `${auctionId}.2`, status: "paid" });
    expectProblem(
      await call("POST", `/api/v1/auctions/${auctionId}/order/confirm`, { token: winner.token }),
      409,
      "ORDER_STATE",
    );
    const ship = await call("POST", `/api/v1/auctions/${auctionId}/order/ship`, {
      token: seller.token,
      body: {},
    });
    expect(ship.body).toMatchObject({ id: `${auctionId}.2`, status: "shipped" });
    const confirm = await call("POST", `/api/v1/auctions/${auctionId}/order/confirm`, { token: rival.token });
    expect(confirm.body).toMatchObject({ status: "completed" });
    await runBroker(auctionId);
    expect(await moneyOf(seller)).toEqual({ available: 20_000, held: 0, pendingPayout: 0 });
    const selling = await call("GET", "/api/v1/me/orders?role=seller", { token: seller.token });
    expect(selling.body.items.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([
      [`${auctionId}.2`, "completed"],
      [auctionId, "refunded"],
    ]);
  });

  it("is the seller's to make, only once the sale fell through, one at a time, to a bidder who has not bought it", async () => {
    const { seller, winner, rival, third, auctionId } = await fellThrough();
    expectProblem(await offer(rival, auctionId, "b***3"), 403, "FORBIDDEN");
    expectProblem(await offer(seller, auctionId, "b***9"), 422, "UNKNOWN_BIDDER");
    expectProblem(await offer(seller, auctionId, "bob"), 422, "VALIDATION_FAILED");
    expectProblem(await offer(seller, auctionId, "b***1"), 422, "BIDDER_NOT_ELIGIBLE");
    expectProblem(await offer(seller, "auc_00000000000000000000", "b***2"), 404, "AUCTION_NOT_FOUND");
    expect((await offer(seller, auctionId, "b***2")).status).toBe(201);
    const second = await offer(seller, auctionId, "b***3");
    expectProblem(second, 409, "SECOND_CHANCE_STATE");
    expect(second.body.detail).toMatch(/^Your offer to b\*\*\*2 is open until /);
    expectProblem(await answer(seller, auctionId, "accept"), 403, "FORBIDDEN");
    expectProblem(await answer(seller, auctionId, "decline"), 403, "FORBIDDEN");
    expectProblem(await answer(third, auctionId, "accept"), 404, "SECOND_CHANCE_NOT_FOUND");
    expectProblem(await answer(winner, auctionId, "decline"), 404, "SECOND_CHANCE_NOT_FOUND");
    const admin = await signUpAdmin("sadmin");
    expect((await offerOf(admin, auctionId)).body).toMatchObject({
      yourRole: "admin",
      bidderHandle: "b***2",
    });
    expectProblem(await answer(admin, auctionId, "accept"), 403, "FORBIDDEN");
  });

  it("is refused while the auction runs and while its order stands: 409 SECOND_CHANCE_STATE", async () => {
    const seller = await signUp("sseller");
    const buyer = await signUpWith("sbuyer", 100_000);
    const other = await signUpWith("sother", 100_000);
    const auction = await createAuction(seller, { startingPrice: 10_000 });
    const auctionId = auction.id as string;
    expect((await bid(other, auctionId, { amount: 10_000 })).status).toBe(201);
    expect((await bid(buyer, auctionId, { amount: 12_000 })).status).toBe(201);
    const running = await offer(seller, auctionId, "b***1");
    expectProblem(running, 409, "SECOND_CHANCE_STATE");
    expect(running.body.detail).toBe("The auction has not ended.");
    await setRoomClock(auctionId, Date.parse(auction.endsAt) + 1_000);
    const sold = await offer(seller, auctionId, "b***1");
    expectProblem(sold, 409, "SECOND_CHANCE_STATE");
    expect(sold.body.detail).toBe("The item is sold: its order is paid.");
    expectProblem(await offerOf(seller, auctionId), 404, "SECOND_CHANCE_NOT_FOUND");
  });

  it("expires 48 hours later on the room's alarm: both are told, and the seller may offer to another bidder", async () => {
    const { seller, rival, auctionId, closedAt } = await fellThrough();
    expect((await offer(seller, auctionId, "b***2")).status).toBe(201);
    const lastEvent = async () => (await storedEvents(auctionId)).at(-1)?.type;
    await setRoomClock(auctionId, closedAt + 48 * HOUR - 1);
    expect(await runDurableObjectAlarm(roomStub(auctionId))).toBe(true);
    expect(await lastEvent()).toBe("second_chance.offered");
    await setRoomClock(auctionId, closedAt + 48 * HOUR);
    expect(await runDurableObjectAlarm(roomStub(auctionId))).toBe(true);
    // The alarm itself expired it (reads would too, but none came in between).
    expect(await lastEvent()).toBe("second_chance.expired");
    expect((await offerOf(seller, auctionId)).body).toMatchObject({
      status: "expired",
      decidedAt: new Date(closedAt + 48 * HOUR).toISOString(),
    });
    const late = await answer(rival, auctionId, "accept");
    expectProblem(late, 409, "SECOND_CHANCE_STATE");
    expect(late.body.detail).toBe(`The offer expired at ${new Date(closedAt + 48 * HOUR).toISOString()}.`);
    await runBroker(auctionId);
    expect(await kinds(rival)).toContain("second_chance_expired");
    expect(await kinds(seller)).toContain("second_chance_expired");
    expect(await moneyOf(rival)).toEqual({ available: 100_000, held: 0, pendingPayout: 0 });
    expectProblem(await offer(seller, auctionId, "b***2"), 422, "BIDDER_NOT_ELIGIBLE");
    expect((await offer(seller, auctionId, "b***3")).body).toMatchObject({
      bidderHandle: "b***3",
      price: 15_000,
      status: "open",
    });
  });

  it("declining tells the seller, who may then offer to another bidder", async () => {
    const { seller, rival, auctionId } = await fellThrough();
    expect((await offer(seller, auctionId, "b***2")).status).toBe(201);
    const declined = await answer(rival, auctionId, "decline");
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: "declined", yourRole: "bidder" });
    expect((await answer(rival, auctionId, "decline")).body).toEqual(declined.body);
    const accept = await answer(rival, auctionId, "accept");
    expectProblem(accept, 409, "SECOND_CHANCE_STATE");
    expect(accept.body.detail).toBe("You declined this offer.");
    await runBroker(auctionId);
    expect(await kinds(seller)).toContain("second_chance_declined");
    expect((await offer(seller, auctionId, "b***3")).status).toBe(201);
  });

  it("accepting needs the price available: 422 INSUFFICIENT_FUNDS changes nothing, the offer stays open", async () => {
    const { seller, rival, auctionId } = await fellThrough();
    expect((await offer(seller, auctionId, "b***2")).status).toBe(201);
    const withdrawal = await call("POST", "/api/v1/me/wallet/withdrawals", {
      token: rival.token,
      body: { amount: 90_000, currency: "KRW" },
      headers: { "idempotency-key": "sc-withdraw" },
    });
    expect(withdrawal.status).toBe(201);
    const refused = await answer(rival, auctionId, "accept");
    expectProblem(refused, 422, "INSUFFICIENT_FUNDS");
    expect(refused.body).toMatchObject({ available: 10_000, needed: 20_000 });
    expect(await moneyOf(rival)).toEqual({ available: 10_000, held: 90_000, pendingPayout: 0 });
    expect((await offerOf(rival, auctionId)).body.status).toBe("open");
    expectProblem(await orderOf(rival, auctionId), 404, "ORDER_NOT_FOUND");
  });

  it("after an unsold close under the reserve, offers even the highest bidder; the item's first order is `.1`", async () => {
    const seller = await signUp("sseller");
    const leader = await signUpWith("sleader", 100_000);
    const auction = await createAuction(seller, { startingPrice: 10_000, reservePrice: 40_000 });
    const auctionId = auction.id as string;
    expect((await bid(leader, auctionId, { maxAmount: 30_000 })).status).toBe(201);
    await setRoomClock(auctionId, Date.parse(auction.endsAt) + 1_000);
    expect((await call("GET", `/api/v1/auctions/${auctionId}`)).body.outcome).toBe("unsold");
    await runBroker(auctionId);
    expect((await offer(seller, auctionId, "b***1")).body).toMatchObject({ price: 10_000 });
    expect((await answer(leader, auctionId, "accept")).body).toMatchObject({
      id: `${auctionId}.1`,
      price: 10_000,
    });
    await runBroker(auctionId);
    expect(await moneyOf(leader)).toEqual({ available: 90_000, held: 0, pendingPayout: 0 });
    expect(await moneyOf(seller)).toEqual({ available: 0, held: 0, pendingPayout: 10_000 });
    await expectHealthyWallet(leader);
  });
});
