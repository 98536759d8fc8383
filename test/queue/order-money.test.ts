import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/worker/index";
import { roomStub, setRoomClock, storedEvents } from "../durable/auction-room/helpers";
import { call, createAuction, signUp, signUpAdmin, type TestUser } from "../helpers";
import { bid, expectHealthyWallet, moneyOf, runWalletBroker, signUpWith } from "../worker/funds/support";

/**
 * SPEC §8 "Orders" under the queue's worst manners: the broker hands each order event's money to
 * the wallets exactly once, however often and in whatever order the queue delivers it, and a step
 * whose money cannot apply yet is retried (or dead-lettered) without touching anyone's balance.
 */

const EVENTS_QUEUE = "auction-events";
const DLQ = "auction-events-dlq";

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Points the room's event queue at a sink, so only this test delivers its events, in the order it
 * chooses (the pool's real queue would otherwise deliver them, in order, about a second later).
 * The room keeps every event in its outbox all the same: storedEvents reads them there.
 */
async function keepRoomEventsFromQueue(auctionId: string): Promise<void> {
  const sink = { send: async () => {}, sendBatch: async () => {} };
  await runInDurableObject(roomStub(auctionId), (instance) => {
    Reflect.set(instance, "env", { ...env, EVENTS: sink });
  });
}

interface Sale {
  seller: TestUser;
  buyer: TestUser;
  rival: TestUser;
  auctionId: string;
}

/** The buyer (100,000 KRW, max 50,000) wins at 21,000 over a rival's 20,000; nothing delivered yet. */
async function sale(): Promise<Sale> {
  const seller = await signUp("qseller");
  const buyer = await signUpWith("qbuyer", 100_000);
  const rival = await signUpWith("qrival", 100_000);
  const auction = await createAuction(seller, { startingPrice: 10_000 });
  const auctionId: string = auction.id;
  await keepRoomEventsFromQueue(auctionId);
  expect((await bid(buyer, auctionId, { maxAmount: 50_000 })).status).toBe(201);
  expect((await bid(rival, auctionId, { amount: 20_000 })).status).toBe(201);
  await setRoomClock(auctionId, Date.parse(auction.endsAt) + 1_000);
  expect((await call("GET", `/api/v1/auctions/${auctionId}`)).body).toMatchObject({
    status: "closed",
    currentPrice: 21_000,
  });
  return { seller, buyer, rival, auctionId };
}

let admin: TestUser | null = null;

/**
 * The ledger check (SPEC §9) after the test's own deliveries: the sale's wallets hand over their
 * ledgers too, and the whole D1 ledger must check out.
 */
async function expectLedgerOk(sold: Sale): Promise<void> {
  admin ??= await signUpAdmin("qadmin");
  await runWalletBroker(sold.seller, sold.buyer, sold.rival);
  const check = await call("GET", "/api/v1/admin/ledger/check", { token: admin.token });
  expect(check.body).toMatchObject({ ok: true, problems: [] });
}

/**
 * The sale ended in a payout, applied exactly once: the seller has the price, the buyer what was
 * left, every event confirmed, both wallets self-consistent and the D1 ledger checks out.
 */
async function expectPaidOut(sold: Sale, all: readonly { seq: number }[]): Promise<void> {
  expect(await moneyOf(sold.seller)).toEqual({ available: 21_000, held: 0, pendingPayout: 0 });
  expect(await moneyOf(sold.buyer)).toEqual({ available: 79_000, held: 0, pendingPayout: 0 });
  expect(await confirmedSeqs(sold.auctionId)).toEqual(all.map((e) => e.seq));
  await expectHealthyWallet(sold.seller);
  await expectHealthyWallet(sold.buyer);
  await expectLedgerOk(sold);
}

const orderStep = async (user: TestUser, auctionId: string, action: string, body?: unknown) => {
  const response = await call("POST", `/api/v1/auctions/${auctionId}/order/${action}`, {
    token: user.token,
    body,
  });
  expect(response.status).toBe(200);
};

interface Delivery {
  seq: number;
  type: string;
  body: string;
  attempts: number;
}

/** The room's events as the queue would carry them, by type (the first of each), oldest first. */
async function roomEvents(auctionId: string) {
  const all: Delivery[] = (await storedEvents(auctionId)).map((e) => ({ ...e, attempts: 1 }));
  const byType = (type: string) => {
    const found = all.find((e) => e.type === type);
    if (!found) throw new Error(`no ${type} event in ${all.map((e) => e.type).join(", ")}`);
    return found;
  };
  return { all, byType };
}

let batchCounter = 0;

/** One batch on `queue` through the worker's queue handler, as the Queues runtime runs it. */
async function deliver(queue: string, auctionId: string, deliveries: readonly Delivery[]) {
  batchCounter += 1;
  const messages = deliveries.map((d, i) => ({
    id: `${auctionId}-${d.seq}-${batchCounter}-${i}`,
    timestamp: new Date(),
    attempts: d.attempts,
    body: d.body,
  }));
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  const result = await getQueueResult(batch, ctx);
  const seqOf = (id: string) => deliveries[messages.findIndex((m) => m.id === id)]?.seq;
  return {
    acked: result.explicitAcks.map(seqOf),
    retried: result.retryMessages.map((m) => seqOf(m.msgId)),
  };
}

/** Each event in a batch of its own, in the order given: what a queue that reorders everything does. */
async function deliverOneByOne(auctionId: string, deliveries: readonly Delivery[]) {
  const retried: (number | undefined)[] = [];
  for (const delivery of deliveries)
    retried.push(...(await deliver(EVENTS_QUEUE, auctionId, [delivery])).retried);
  return retried;
}

const confirmedSeqs = async (auctionId: string) =>
  (await storedEvents(auctionId)).filter((e) => e.confirmed_at !== null).map((e) => e.seq);

describe("broker: order money under redelivery", () => {
  it("pays the seller once when every event arrives twice and the completion comes first", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const sold = await sale();
    const { seller, buyer, auctionId } = sold;
    await orderStep(seller, auctionId, "ship", { carrier: "CJ" });
    await orderStep(buyer, auctionId, "confirm");
    const { all, byType } = await roomEvents(auctionId);
    const completed = byType("order.completed");

    // The payout cannot be released before it is pending: retried, and nobody's money moves.
    expect(await deliver(EVENTS_QUEUE, auctionId, [completed])).toEqual({
      acked: [],
      retried: [completed.seq],
    });
    expect(await moneyOf(seller)).toEqual({ available: 0, held: 0, pendingPayout: 0 });
    expect(await moneyOf(buyer)).toEqual({ available: 50_000, held: 50_000, pendingPayout: 0 });

    // Newest first, one batch each: only the completion fails again (its payout is not pending
    // until order.paid, which comes after it); then everything, twice, in one batch.
    expect(await deliverOneByOne(auctionId, [...all].reverse())).toEqual([completed.seq]);
    expect(await moneyOf(seller)).toEqual({ available: 0, held: 0, pendingPayout: 21_000 });
    expect(await deliverOneByOne(auctionId, [completed])).toEqual([]);
    const twice = await deliver(EVENTS_QUEUE, auctionId, [...all, ...all]);
    expect(twice.retried).toEqual([]);

    await expectPaidOut(sold, all);
  });

  it("refunds the buyer once when the cancellation arrives before the sale, then everything twice", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const sold = await sale();
    const { seller, buyer, auctionId } = sold;
    await orderStep(seller, auctionId, "cancel");
    const { all, byType } = await roomEvents(auctionId);
    const refunded = byType("order.refunded");

    expect(await deliver(EVENTS_QUEUE, auctionId, [refunded])).toEqual({
      acked: [],
      retried: [refunded.seq],
    });
    expect(await moneyOf(seller)).toEqual({ available: 0, held: 0, pendingPayout: 0 });
    expect(await deliverOneByOne(auctionId, [...all].reverse())).toEqual([refunded.seq]);
    expect(await deliverOneByOne(auctionId, [refunded, refunded])).toEqual([]);
    expect((await deliver(EVENTS_QUEUE, auctionId, [...all, ...all])).retried).toEqual([]);

    expect(await moneyOf(buyer)).toEqual({ available: 100_000, held: 0, pendingPayout: 0 });
    expect(await moneyOf(seller)).toEqual({ available: 0, held: 0, pendingPayout: 0 });
    await expectHealthyWallet(seller);
    await expectHealthyWallet(buyer);
    await expectLedgerOk(sold);
  });
});

describe("broker: order money when part of a batch fails", () => {
  it("retries only the event whose money cannot apply yet, acks the rest, and settles on redelivery", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const sold = await sale();
    const { seller, buyer, auctionId } = sold;
    await orderStep(seller, auctionId, "ship", {});
    await orderStep(buyer, auctionId, "confirm");
    const { all, byType } = await roomEvents(auctionId);
    const shipped = byType("order.shipped");
    const completed = byType("order.completed");

    // The batch as a whole fails (the payout is not pending yet); tried one by one, the shipment
    // is written and acked, the completion retried — and not confirmed, so the room sends it again.
    const first = await deliver(EVENTS_QUEUE, auctionId, [shipped, completed]);
    expect(first).toEqual({ acked: [shipped.seq], retried: [completed.seq] });
    const confirmed = await confirmedSeqs(auctionId);
    expect(confirmed).toContain(shipped.seq);
    expect(confirmed).not.toContain(completed.seq);
    expect(await moneyOf(seller)).toEqual({ available: 0, held: 0, pendingPayout: 0 });

    // The queue's retry comes with the rest of the room's events: all written, all acked.
    const rest = all.filter((e) => e.seq !== shipped.seq && e.seq !== completed.seq);
    const retry = await deliver(EVENTS_QUEUE, auctionId, [...rest, { ...completed, attempts: 2 }]);
    expect(retry.retried).toEqual([]);
    expect(retry.acked).toEqual([...rest, completed].map((e) => e.seq));

    await expectPaidOut(sold, all);
  });

  it("dead-letters a completion the queue gave up on without moving money; replaying it pays once", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const sold = await sale();
    const { seller, buyer, auctionId } = sold;
    await orderStep(seller, auctionId, "ship", {});
    await orderStep(buyer, auctionId, "confirm");
    const { all, byType } = await roomEvents(auctionId);
    const completed = byType("order.completed");
    const upToShipped = all.filter((e) => e.seq < completed.seq);
    expect((await deliver(EVENTS_QUEUE, auctionId, upToShipped)).retried).toEqual([]);
    expect(await moneyOf(seller)).toEqual({ available: 0, held: 0, pendingPayout: 21_000 });

    // After max_retries the queue moves the message to the dead-letter queue: recorded, acked,
    // confirmed to the room (which stops sending it); the payout stays pending.
    const dead = await deliver(DLQ, auctionId, [{ ...completed, attempts: 6 }]);
    expect(dead).toEqual({ acked: [completed.seq], retried: [] });
    const letters = await env.DB.prepare("SELECT queue, body, attempts FROM dead_letters WHERE body = ?")
      .bind(JSON.stringify(completed.body))
      .all();
    expect(letters.results).toEqual([{ queue: DLQ, body: JSON.stringify(completed.body), attempts: 6 }]);
    expect(await confirmedSeqs(auctionId)).toEqual(all.map((e) => e.seq));
    expect(await moneyOf(seller)).toEqual({ available: 0, held: 0, pendingPayout: 21_000 });
    expect(await moneyOf(buyer)).toEqual({ available: 79_000, held: 0, pendingPayout: 0 });

    // An operator replays the recorded body onto the queue, twice by mistake: paid once.
    const replay = { ...completed, body: JSON.parse(String(letters.results[0]?.body)) };
    expect((await deliver(EVENTS_QUEUE, auctionId, [replay, replay])).retried).toEqual([]);
    expect(await moneyOf(seller)).toEqual({ available: 21_000, held: 0, pendingPayout: 0 });
    await expectHealthyWallet(seller);
    await expectHealthyWallet(buyer);
    await expectLedgerOk(sold);
  });
});
