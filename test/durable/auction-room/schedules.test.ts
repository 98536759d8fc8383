import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AuctionRoom } from "../../../src/durable/auction-room";
import { ENDING_SOON_LEAD_MS } from "../../../src/durable/auction-room/state";
import { call, createAuction, signUp, signUpFunded } from "../../helpers";
import { roomStub } from "./helpers";

// The room's wake-ups are rows of its schedules table (kit/alarm-scheduler.ts), one per name.

type Row = { key: string; due_at: number };
const lifecycleRows = (auctionId: string) =>
  runInDurableObject(roomStub(auctionId), (_room, ctx) =>
    ctx.storage.sql
      .exec<Row>("SELECT key, due_at FROM schedules WHERE key LIKE 'auction.%' ORDER BY key")
      .toArray()
      .map((r) => [r.key, r.due_at]),
  );

async function times(auctionId: string) {
  const detail = await call("GET", `/api/v1/auctions/${auctionId}`);
  return { startsAt: Date.parse(detail.body.startsAt), endsAt: Date.parse(detail.body.endsAt) };
}

describe("room schedules", () => {
  it("wakes an open auction for ending soon and for its close", async () => {
    const seller = await signUp("s");
    const a = await createAuction(seller, { durationSeconds: 3600 });
    const { endsAt } = await times(a.id);
    expect(await lifecycleRows(a.id)).toEqual([
      ["auction.close", endsAt],
      ["auction.ending-soon", endsAt - ENDING_SOON_LEAD_MS],
    ]);
  });

  it("wakes a scheduled auction only for its opening", async () => {
    const seller = await signUp("s");
    const a = await createAuction(seller, { startsAt: new Date(Date.now() + 3_600_000).toISOString() });
    const { startsAt } = await times(a.id);
    expect(await lifecycleRows(a.id)).toEqual([["auction.open", startsAt]]);
  });

  it("moves the close when soft close extends the end", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    // A window longer than the auction: the first bid falls inside it.
    const a = await createAuction(seller, {
      durationSeconds: 600,
      softClose: { windowSeconds: 900, extendSeconds: 1200 },
    });
    const res = await call("POST", `/api/v1/auctions/${a.id}/bids`, { token: alice.token, body: {} });
    expect(res.body.auction.extended).toBe(true);
    const rows = await lifecycleRows(a.id);
    expect(rows.find(([key]) => key === "auction.close")).toEqual([
      "auction.close",
      Date.parse(res.body.auction.endsAt),
    ]);
  });

  it("drops every lifecycle wake-up once the auction is cancelled", async () => {
    const seller = await signUp("s");
    const a = await createAuction(seller);
    await call("DELETE", `/api/v1/auctions/${a.id}`, { token: seller.token });
    expect(await lifecycleRows(a.id)).toEqual([]);
  });

  it("derives its schedules again on its next alarm when they are missing (a room from before schedules)", async () => {
    const seller = await signUp("s");
    const a = await createAuction(seller, { durationSeconds: 3600 });
    const { endsAt } = await times(a.id);
    await runInDurableObject(roomStub(a.id), (_room, ctx) => {
      ctx.storage.sql.exec("DELETE FROM schedules");
    });
    await runInDurableObject(roomStub(a.id), (room: AuctionRoom) => room.alarm());
    expect(await lifecycleRows(a.id)).toEqual([
      ["auction.close", endsAt],
      ["auction.ending-soon", endsAt - ENDING_SOON_LEAD_MS],
    ]);
  });
});
