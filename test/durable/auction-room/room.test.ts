import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AuctionRoom } from "../../../src/durable/auction-room";
import { call, createAuction, expectProblem, signUp, signUpFunded } from "../../helpers";
import { editState, roomStub, storedEvents, untilAllConfirmed } from "./helpers";

async function bid(token: string, auctionId: string, body: Record<string, unknown>) {
  return call("POST", `/api/v1/auctions/${auctionId}/bids`, { token, body });
}

describe("closing by alarm", () => {
  it("closes sold to the leader at the current price, exactly once even when the alarm runs again", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const bob = await signUpFunded("bob");
    const a = await createAuction(seller, { startingPrice: 10_000 });
    await bid(alice.token, a.id, { maxAmount: 20_000 });
    await bid(bob.token, a.id, { amount: 15_000 });
    await editState(a.id, (s) => {
      s.endsAt = Date.now() - 1;
    });
    expect(await runDurableObjectAlarm(roomStub(a.id))).toBe(true);
    // A retried or late alarm must not close it again.
    await runInDurableObject(roomStub(a.id), (room: AuctionRoom) => room.alarm());
    await runInDurableObject(roomStub(a.id), (room: AuctionRoom) => room.alarm());

    const detail = await call("GET", `/api/v1/auctions/${a.id}`, { token: alice.token });
    expect(detail.body).toMatchObject({
      status: "closed",
      outcome: "sold",
      endedBy: "time",
      currentPrice: 16_000,
      winnerId: alice.id,
      leaderIsYou: true,
    });
    const closed = (await storedEvents(a.id)).filter((e) => e.type === "auction.closed");
    expect(closed).toHaveLength(1);
    expect(JSON.parse(closed[0]?.body ?? "{}")).toMatchObject({
      outcome: "sold",
      finalPrice: 16_000,
      winnerId: alice.id,
      bidderIds: [alice.id, bob.id],
    });
  });

  it("closes unsold when the reserve is not met, and unsold with no bids", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const reserved = await createAuction(seller, { startingPrice: 10_000, reservePrice: 50_000 });
    await bid(alice.token, reserved.id, { amount: 20_000 });
    const empty = await createAuction(seller);
    for (const id of [reserved.id, empty.id]) {
      await editState(id, (s) => {
        s.endsAt = Date.now() - 1;
      });
      await runDurableObjectAlarm(roomStub(id));
      const detail = await call("GET", `/api/v1/auctions/${id}`);
      expect(detail.body).toMatchObject({ status: "closed", outcome: "unsold", winnerId: null });
    }
  });

  it("refuses a bid after endsAt even before the alarm has run, and closes then", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const bob = await signUpFunded("bob");
    const a = await createAuction(seller);
    await bid(alice.token, a.id, { amount: 10_000 });
    await editState(a.id, (s) => {
      s.endsAt = Date.now() - 1;
    });
    expectProblem(await bid(bob.token, a.id, { amount: 50_000 }), 409, "AUCTION_NOT_OPEN");
    const detail = await call("GET", `/api/v1/auctions/${a.id}`);
    expect(detail.body).toMatchObject({
      status: "closed",
      outcome: "sold",
      winnerId: alice.id,
      currentPrice: 10_000,
    });
    expect((await storedEvents(a.id)).filter((e) => e.type === "auction.closed")).toHaveLength(1);
  });

  it("opens a scheduled auction at startsAt", async () => {
    const seller = await signUp("s");
    const a = await createAuction(seller, { startsAt: new Date(Date.now() + 3_600_000).toISOString() });
    await editState(a.id, (s) => {
      s.startsAt = Date.now() - 1;
      s.endsAt = Date.now() + 3_600_000;
    });
    await runDurableObjectAlarm(roomStub(a.id));
    expect((await call("GET", `/api/v1/auctions/${a.id}`)).body.status).toBe("open");
    expect((await storedEvents(a.id)).map((e) => e.type)).toEqual(["auction.created", "auction.opened"]);
  });

  it("announces ending soon once, 10 minutes before the end", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller, { durationSeconds: 3600 });
    await bid(alice.token, a.id, {});
    await editState(a.id, (s) => {
      s.endsAt = Date.now() + 5 * 60_000;
    });
    await runDurableObjectAlarm(roomStub(a.id));
    await runInDurableObject(roomStub(a.id), (room: AuctionRoom) => room.alarm());
    const soon = (await storedEvents(a.id)).filter((e) => e.type === "auction.ending_soon");
    expect(soon).toHaveLength(1);
    expect(JSON.parse(soon[0]?.body ?? "{}").bidderIds).toEqual([alice.id]);
    expect((await call("GET", `/api/v1/auctions/${a.id}`)).body.status).toBe("open");
  });
});

describe("soft close", () => {
  it("extends endsAt to now + extendSeconds for a bid inside the window, never past hardEndsAt", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const bob = await signUpFunded("bob");
    const hardEndsAt = new Date(Date.now() + 3_600_000 + 400_000).toISOString();
    const a = await createAuction(seller, {
      durationSeconds: 3600,
      softClose: { windowSeconds: 300, extendSeconds: 600, hardEndsAt },
    });
    await editState(a.id, (s) => {
      s.endsAt = Date.now() + 60_000;
      if (s.softClose) s.softClose.hardEndsAt = Date.now() + 400_000;
    });
    const before = Date.now();
    const first = await bid(alice.token, a.id, {});
    expect(first.body.auction.extended).toBe(true);
    const extendedTo = Date.parse(first.body.auction.endsAt);
    expect(extendedTo).toBeGreaterThanOrEqual(before + 400_000 - 1000);
    expect(extendedTo).toBeLessThanOrEqual(before + 400_000 + 1000); // capped by hardEndsAt, not now + 600 s
    const second = await bid(bob.token, a.id, {});
    expect(second.body.auction.extended).toBe(false); // already at the hard cap
    expect(second.body.auction.endsAt).toBe(first.body.auction.endsAt);
    const detail = await call("GET", `/api/v1/auctions/${a.id}`);
    expect(detail.body.extendedCount).toBe(1);
    expect((await storedEvents(a.id)).filter((e) => e.type === "auction.extended")).toHaveLength(1);
  });

  it("does not extend a bid outside the window or with soft close off", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const far = await createAuction(seller, { durationSeconds: 3600 });
    expect((await bid(alice.token, far.id, {})).body.auction.extended).toBe(false);
    const off = await createAuction(seller, { durationSeconds: 3600, softClose: null });
    await editState(off.id, (s) => {
      s.endsAt = Date.now() + 30_000;
    });
    const res = await bid(alice.token, off.id, {});
    expect(res.body.auction.extended).toBe(false);
  });
});

describe("durability", () => {
  it("loses nothing when the object is evicted", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const bob = await signUpFunded("bob");
    const a = await createAuction(seller);
    await bid(alice.token, a.id, { maxAmount: 30_000 });
    await evictDurableObject(roomStub(a.id));
    const res = await bid(bob.token, a.id, { amount: 20_000 });
    expect(res.body).toMatchObject({ result: "outbid", auction: { currentPrice: 21_000 } });
    await evictDurableObject(roomStub(a.id));
    const history = await call("GET", `/api/v1/auctions/${a.id}/bids`);
    expect(history.body.items.map((h: { amount: number }) => h.amount)).toEqual([21_000, 20_000, 10_000]);
  });

  it("writes each change's events to the outbox in the same transaction and publishes them", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller);
    await bid(alice.token, a.id, {});
    const events = await storedEvents(a.id);
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, "auction.created"],
      [2, "bid.placed"],
    ]);
    expect(JSON.parse(events[1]?.body ?? "{}")).toMatchObject({
      id: `${a.id}:2`,
      v: 1,
      bidderId: alice.id,
      price: 10_000,
    });
  });

  it("sends again, when the alarm runs, events whose send never reached the queue", async () => {
    const seller = await signUp("s");
    const a = await createAuction(seller);
    await untilAllConfirmed(a.id);
    await runInDurableObject(roomStub(a.id), (_room, ctx) => {
      ctx.storage.sql.exec("UPDATE events SET confirmed_at = NULL, redeliver_at = 0");
    });
    await runInDurableObject(roomStub(a.id), (room: AuctionRoom) => room.alarm());
    const events = await storedEvents(a.id);
    expect(events.map((e) => e.publish_count)).toEqual(events.map(() => 2));
    await untilAllConfirmed(a.id);
  });
});

describe("outbox publishing", () => {
  it("still publishes new events after a publish round that found nothing to send", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller);
    // An alarm with an empty outbox: a publish round that completes without awaiting anything.
    await runInDurableObject(roomStub(a.id), async (room: AuctionRoom) => {
      await room.alarm();
      await room.alarm();
    });
    await bid(alice.token, a.id, {});
    // Sending happens after the reply: the broker confirms the bid's event once it arrives.
    const events = await untilAllConfirmed(a.id);
    expect(events.map((e) => e.type)).toContain("bid.placed");
  });
});
