import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AuctionRoom } from "../../../src/durable/auction-room";
import { endingSoonAt } from "../../../src/durable/auction-room/state";
import { REDELIVERY_AFTER_MS } from "../../../src/durable/kit/outbox-rules";
import { call, createAuction, signUp, signUpFunded, type TestUser } from "../../helpers";
import { editState, roomStub, storedEvents, untilAllConfirmed } from "./helpers";

// SPEC §1: events are never lost, even when the queue loses a message. A room keeps each event
// until the broker confirms it wrote the event's effects, and sends it again when no confirmation
// comes. The real queue and broker run here; time is moved by rewriting the stored timestamps.

async function bid(user: TestUser, auctionId: string, body: Record<string, unknown>) {
  const res = await call("POST", `/api/v1/auctions/${auctionId}/bids`, { token: user.token, body });
  if (res.status !== 201) throw new Error(`bid failed: ${res.text}`);
}

/** Waits (bounded) until the broker has confirmed every event of the room; returns the events. */
async function inboxOfEvent(eventId: string) {
  const { results } = await env.DB.prepare(
    "SELECT recipient_id, kind FROM inbox_messages WHERE event_id = ? ORDER BY kind",
  )
    .bind(eventId)
    .all<{ recipient_id: string; kind: string }>();
  return results.map((r) => [r.recipient_id, r.kind]);
}

function sql(auctionId: string, statement: string, ...params: (number | string | null)[]) {
  return runInDurableObject(roomStub(auctionId), (_room, ctx) => {
    ctx.storage.sql.exec(statement, ...params);
  });
}

const alarmAt = (auctionId: string) =>
  runInDurableObject(roomStub(auctionId), (_room, ctx) => ctx.storage.getAlarm());

async function auctionWithTwoBids() {
  const seller = await signUp("s");
  const alice = await signUpFunded("alice");
  const bob = await signUpFunded("bob");
  const a = await createAuction(seller, { durationSeconds: 3600 });
  await bid(alice, a.id, {});
  await bid(bob, a.id, {});
  return { seller, alice, bob, a };
}

describe("outbox: events stay until the broker confirms them", () => {
  it("marks each event confirmed once the broker has written it", async () => {
    const { a } = await auctionWithTwoBids();
    const events = await untilAllConfirmed(a.id);
    expect(events.map((e) => [e.seq, e.type, e.publish_count])).toEqual([
      [1, "auction.created", 1],
      [2, "bid.placed", 1],
      [3, "bid.placed", 1],
    ]);
  });

  it("sends an event the queue lost again once its redelivery time has come; the broker writes its rows once", async () => {
    const { seller, alice, a } = await auctionWithTwoBids();
    await untilAllConfirmed(a.id);
    // The queue lost seq 3 (Bob's bid): the broker never wrote it, so it never confirmed it.
    await env.DB.prepare("DELETE FROM inbox_messages WHERE event_id = ?").bind(`${a.id}:3`).run();
    await sql(
      a.id,
      "UPDATE events SET confirmed_at = NULL, redeliver_at = ? WHERE seq = 3",
      Date.now() - REDELIVERY_AFTER_MS,
    );

    await runInDurableObject(roomStub(a.id), (room: AuctionRoom) => room.alarm());
    const sent = await storedEvents(a.id);
    expect(sent.map((e) => [e.seq, e.publish_count])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
    ]);

    await untilAllConfirmed(a.id);
    expect(await inboxOfEvent(`${a.id}:3`)).toEqual([
      [seller.id, "bid_received"],
      [alice.id, "outbid"],
    ]);
    // Delivered twice now (seq 2 was never lost): still one row per recipient.
    await sql(a.id, "UPDATE events SET confirmed_at = NULL, redeliver_at = 0 WHERE seq = 2");
    await runInDurableObject(roomStub(a.id), (room: AuctionRoom) => room.alarm());
    await untilAllConfirmed(a.id);
    expect(await inboxOfEvent(`${a.id}:2`)).toEqual([[seller.id, "bid_received"]]);
    expect(await inboxOfEvent(`${a.id}:3`)).toEqual([
      [seller.id, "bid_received"],
      [alice.id, "outbid"],
    ]);
  });

  it("does not send a confirmed event again, nor an unconfirmed one before its time; the alarm waits for it", async () => {
    const { a } = await auctionWithTwoBids();
    await untilAllConfirmed(a.id);
    const notYet = Date.now() + 60_000;
    await sql(a.id, "UPDATE events SET confirmed_at = NULL, redeliver_at = ? WHERE seq = 2", notYet);
    await sql(a.id, "UPDATE events SET redeliver_at = 0 WHERE seq = 3"); // overdue, but confirmed

    await runInDurableObject(roomStub(a.id), (room: AuctionRoom) => room.alarm());
    expect((await storedEvents(a.id)).map((e) => [e.seq, e.publish_count])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    // Due before the auction's own times (ending soon is 50 minutes away).
    expect(await alarmAt(a.id)).toBe(notYet);
  });

  it("leaves an idle, fully confirmed room's alarm to the auction's own times, and none once it is closed", async () => {
    const { a } = await auctionWithTwoBids();
    await untilAllConfirmed(a.id);
    await runInDurableObject(roomStub(a.id), (room: AuctionRoom) => room.alarm());
    const detail = await call("GET", `/api/v1/auctions/${a.id}`);
    const endsAt = Date.parse(detail.body.endsAt);
    expect(await alarmAt(a.id)).toBe(endingSoonAt({ startsAt: Date.parse(detail.body.startsAt), endsAt }));

    await editState(a.id, (s) => {
      s.endsAt = Date.now() - 1;
    });
    expect(await runDurableObjectAlarm(roomStub(a.id))).toBe(true);
    await untilAllConfirmed(a.id);
    await runInDurableObject(roomStub(a.id), (room: AuctionRoom) => room.alarm());
    expect(await alarmAt(a.id)).toBeNull();
  });

  it("publishes a backlog of large events in batches the queue accepts", async () => {
    const seller = await signUp("s");
    // Each event carries the listing: about 15 KB of UTF-8 here, so 21 of them exceed one batch.
    const a = await createAuction(seller, { description: "가".repeat(5000), durationSeconds: 3600 });
    const bidders = await Promise.all(Array.from({ length: 5 }, (_, i) => signUpFunded(`b${i}`)));
    // Taking turns, so every bid outbids the last and nobody passes the per-second bid limit.
    for (let round = 0; round < 4; round++) for (const bidder of bidders) await bid(bidder, a.id, {});
    await untilAllConfirmed(a.id);
    // As if every send had failed: the whole backlog is due again, and the alarm sends it.
    await sql(a.id, "UPDATE events SET confirmed_at = NULL, redeliver_at = 0");
    await runInDurableObject(roomStub(a.id), (room: AuctionRoom) => room.alarm());
    const events = await storedEvents(a.id);
    expect(events).toHaveLength(21);
    expect(events.filter((e) => e.publish_count !== 2)).toEqual([]);
    await untilAllConfirmed(a.id);
  });
});
