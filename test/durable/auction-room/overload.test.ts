import { describe, expect, it } from "vitest";
import { QUEUE_BUDGET_MS } from "../../../src/durable/kit/load-shedding";
import { roomError } from "../../../src/worker/room-failure";
import { call, createAuction, signUp } from "../../helpers";
import { fundedPlaceBid, roomStub } from "./helpers";

describe("AuctionRoom under overload", () => {
  it("sheds a bid that waited past the budget before doing anything, and takes the same bid once it is fresh", async () => {
    const seller = await signUp("ovs");
    const alice = await signUp("ova");
    const auction = await createAuction(seller, { startingPrice: 10_000 });
    const request = {
      bidderId: alice.id,
      amount: null,
      maxAmount: null,
      idempotencyKey: "k-1",
      requestHash: "h-1",
    };
    const shed = await roomStub(auction.id).placeBid({
      ...request,
      sentAt: Date.now() - QUEUE_BUDGET_MS - 50,
    });
    expect(shed).toMatchObject({ ok: false, code: "OVERLOADED", retryAfterSeconds: 1 });
    const after = await call("GET", `/api/v1/auctions/${auction.id}`);
    expect(after.body).toMatchObject({ bidCount: 0, currentPrice: 10_000 });
    // Nothing was stored under the key: the retry is evaluated, not replayed as a refusal.
    const retried = await fundedPlaceBid(auction.id, { ...request, sentAt: Date.now() });
    expect(retried.ok).toBe(true);
  });

  it("sheds a late buy-now the same way", async () => {
    const seller = await signUp("ovs");
    const bob = await signUp("ovb");
    const auction = await createAuction(seller, { startingPrice: 10_000, buyNowPrice: 50_000 });
    const shed = await roomStub(auction.id).buyNow({
      buyerId: bob.id,
      idempotencyKey: null,
      requestHash: "buy-now",
      sentAt: Date.now() - QUEUE_BUDGET_MS - 50,
    });
    expect(shed).toMatchObject({ ok: false, code: "OVERLOADED" });
    expect((await call("GET", `/api/v1/auctions/${auction.id}`)).body.status).toBe("open");
  });
});

describe("the worker's answer to a shed call", () => {
  it("is 503 OVERLOADED with Retry-After", async () => {
    const error = roomError({ ok: false, code: "OVERLOADED", detail: "busy", retryAfterSeconds: 1 });
    expect(error.status).toBe(503);
    expect(error.headers).toEqual({ "retry-after": "1" });
  });
});
