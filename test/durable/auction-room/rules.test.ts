import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AuctionRoom } from "../../../src/durable/auction-room";
import type { NewAuction } from "../../../src/durable/auction-room/state";
import { fundedPlaceBid } from "./helpers";

/**
 * The AuctionRoom's rules driven through its RPC methods directly, on the room's injected clock:
 * no HTTP, no sign-ups, no wall-clock time. (The HTTP tests cover the mapping to the API.)
 */

const T0 = Date.UTC(2026, 8, 1, 12, 0, 0);
const MINUTE = 60_000;
let counter = 0;

/** A fresh room whose clock reads `at` (epoch ms) until moved with `setClock`. */
async function freshRoom(overrides: Partial<NewAuction> = {}, at = T0) {
  counter += 1;
  const id = `auc_rules${String(counter).padStart(15, "0")}`;
  const stub = env.AUCTION_ROOM.getByName(id);
  await setClock(stub, at);
  const input: NewAuction = {
    id,
    sellerId: "usr_seller",
    sellerNickname: "Seller",
    title: "Desk lamp",
    description: "",
    category: null,
    imageUrls: [],
    currency: "KRW",
    startingPrice: 10_000,
    reservePrice: null,
    buyNowPrice: null,
    minIncrement: null,
    startsAt: at,
    endsAt: at + 60 * MINUTE,
    softClose: { windowSeconds: 300, extendSeconds: 300, hardEndsAt: null },
    createdAt: at,
    ...overrides,
  };
  const created = await stub.create(input, `hash-${id}`);
  if (!created.ok) throw new Error(created.code);
  return stub;
}

type RoomStub = DurableObjectStub<AuctionRoom>;

async function setClock(stub: RoomStub, at: number): Promise<void> {
  await runInDurableObject(stub, (room: AuctionRoom) => {
    room.clock = () => at;
  });
}

/** A bid as the worker sends it: the bidder's commitment reserved on their Wallet first. */
function bid(stub: RoomStub, bidderId: string, amount: number | null, maxAmount: number | null = null) {
  const auctionId = stub.id.name ?? "";
  return fundedPlaceBid(auctionId, { bidderId, amount, maxAmount, idempotencyKey: null, requestHash: "h" });
}

function bodyOf(reply: Awaited<ReturnType<typeof bid>>) {
  if (!reply.ok) throw new Error(`${reply.code}: ${reply.detail}`);
  return JSON.parse(reply.body);
}

describe("AuctionRoom rules on its own clock", () => {
  it("refuses in the spec's order even when a bid breaks several rules", async () => {
    const room = await freshRoom({ buyNowPrice: 50_000 });
    // The seller, too low and over buy-now at once: the seller rule comes first.
    expect(await bid(room, "usr_seller", 1, 60_000)).toMatchObject({ ok: false, code: "SELLER_CANNOT_BID" });
    // Too low and over buy-now: the minimum comes first.
    expect(await bid(room, "usr_a", 1, 60_000)).toMatchObject({ ok: false, code: "BID_TOO_LOW" });
    expect(await bid(room, "usr_a", 50_000)).toMatchObject({ ok: false, code: "BID_AT_OR_ABOVE_BUY_NOW" });
  });

  it("extends the end for a bid inside the soft-close window, by the room's clock", async () => {
    const room = await freshRoom();
    await setClock(room, T0 + 58 * MINUTE);
    const reply = bodyOf(await bid(room, "usr_a", 10_000));
    expect(reply.auction).toMatchObject({
      extended: true,
      endsAt: new Date(T0 + 63 * MINUTE).toISOString(),
    });
  });

  it("refuses a bid once its clock passes the end, and the alarm then closes it once", async () => {
    const room = await freshRoom();
    bodyOf(await bid(room, "usr_a", 10_000));
    await setClock(room, T0 + 60 * MINUTE);
    expect(await bid(room, "usr_b", 20_000)).toMatchObject({ ok: false, code: "AUCTION_NOT_OPEN" });
    await runDurableObjectAlarm(room);
    const view = await room.snapshot("usr_a");
    expect(view).toMatchObject({
      status: "closed",
      outcome: "sold",
      winnerId: "usr_a",
      currentPrice: 10_000,
    });
  });

  it("opens a scheduled auction when its clock reaches startsAt", async () => {
    const room = await freshRoom({ startsAt: T0 + 10 * MINUTE, endsAt: T0 + 70 * MINUTE });
    expect(await bid(room, "usr_a", 10_000)).toMatchObject({ ok: false, code: "AUCTION_NOT_OPEN" });
    await setClock(room, T0 + 10 * MINUTE);
    expect(bodyOf(await bid(room, "usr_a", 10_000)).result).toBe("leading");
  });

  it("allows five accepted bids per second per bidder, then 429 until a second has passed", async () => {
    const room = await freshRoom();
    const results: string[] = [];
    for (let i = 0; i < 6; i++) {
      // Alternate bidders so every one of Alice's bids is a real raise.
      const alice = await bid(room, "usr_alice", null);
      results.push(alice.ok ? "ok" : alice.code);
      await bid(room, "usr_bob", null);
    }
    expect(results).toEqual(["ok", "ok", "ok", "ok", "ok", "RATE_LIMITED"]);
    await setClock(room, T0 + 1_001);
    expect((await bid(room, "usr_alice", null)).ok).toBe(true);
  });

  it("answers a proxy duel with the price one increment over the runner-up's maximum", async () => {
    const room = await freshRoom();
    bodyOf(await bid(room, "usr_a", null, 30_000));
    const reply = bodyOf(await bid(room, "usr_b", null, 25_000));
    expect(reply).toMatchObject({ result: "outbid", auction: { currentPrice: 26_000, leaderIsYou: false } });
    const history = await room.history("usr_b", 10, null);
    if (!history.ok) throw new Error(history.code);
    expect(history.items.map((h) => [h.bidder.handle, h.amount, h.kind])).toEqual([
      ["b***1", 26_000, "proxy"],
      ["you", 25_000, "proxy"],
      ["b***1", 10_000, "proxy"],
    ]);
  });
});

/** The room's outbox, oldest first, as the events it will publish. */
async function eventsOf(stub: RoomStub) {
  return runInDurableObject(stub, (_room, ctx) =>
    ctx.storage.sql
      .exec<{ body: string }>("SELECT body FROM events ORDER BY seq")
      .toArray()
      .map((row) => JSON.parse(row.body)),
  );
}

describe("AuctionRoom.cancelByAdmin (SPEC §9)", () => {
  const order = { adminId: "usr_admin", reason: "Counterfeit item" };

  it("cancels an open auction with bids: the event names every bidder and the reason; no bid afterwards", async () => {
    const room = await freshRoom();
    bodyOf(await bid(room, "usr_a", null, 30_000));
    bodyOf(await bid(room, "usr_b", 20_000));
    await setClock(room, T0 + MINUTE);
    const result = await room.cancelByAdmin(order);
    expect(result).toMatchObject({
      ok: true,
      view: { status: "cancelled", outcome: null, bidCount: 3, currentPrice: 21_000 },
      cancellation: {
        adminId: "usr_admin",
        reason: "Counterfeit item",
        at: T0 + MINUTE,
        previousStatus: "open",
        bidCount: 3,
        bidders: 2,
      },
    });
    expect(await bid(room, "usr_b", null, 90_000)).toMatchObject({ ok: false, code: "AUCTION_NOT_OPEN" });
    const last = (await eventsOf(room)).at(-1);
    expect(last).toMatchObject({
      type: "auction.cancelled",
      seq: 4,
      occurredAt: T0 + MINUTE,
      bidderIds: ["usr_a", "usr_b"],
      byAdmin: true,
      reason: "Counterfeit item",
      catalog: { status: "cancelled", currentPrice: 21_000 },
    });
    expect(await room.snapshot(null)).toMatchObject({ status: "cancelled" });
  });

  it("cancels a scheduled auction", async () => {
    const room = await freshRoom({ startsAt: T0 + 10 * MINUTE, endsAt: T0 + 70 * MINUTE });
    expect(await room.cancelByAdmin(order)).toMatchObject({
      ok: true,
      view: { status: "cancelled" },
      cancellation: { previousStatus: "scheduled", bidCount: 0, bidders: 0 },
    });
    await setClock(room, T0 + 10 * MINUTE);
    expect(await room.snapshot(null)).toMatchObject({ status: "cancelled" });
  });

  it("refuses a second cancellation (409) and answers with the first one's record, writing nothing", async () => {
    const room = await freshRoom();
    bodyOf(await bid(room, "usr_a", 10_000));
    const first = await room.cancelByAdmin(order);
    if (!first.ok) throw new Error(first.code);
    await setClock(room, T0 + MINUTE);
    const again = await room.cancelByAdmin({ adminId: "usr_other_admin", reason: "Duplicate listing" });
    expect(again).toEqual({
      ok: false,
      code: "AUCTION_NOT_OPEN",
      detail: "The auction is already cancelled.",
      cancellation: first.cancellation,
    });
    expect((await eventsOf(room)).filter((e) => e.type === "auction.cancelled")).toHaveLength(1);
  });

  it("refuses a closed auction and one its seller cancelled, with no record to audit", async () => {
    const closed = await freshRoom();
    bodyOf(await bid(closed, "usr_a", 10_000));
    await setClock(closed, T0 + 60 * MINUTE);
    expect(await closed.cancelByAdmin(order)).toEqual({
      ok: false,
      code: "AUCTION_NOT_OPEN",
      detail: "The auction is already closed.",
    });
    const withdrawn = await freshRoom();
    expect((await withdrawn.cancel("usr_seller")).ok).toBe(true);
    expect(await withdrawn.cancelByAdmin(order)).toEqual({
      ok: false,
      code: "AUCTION_NOT_OPEN",
      detail: "The auction is already cancelled.",
    });
  });

  it("answers AUCTION_NOT_FOUND for a room that holds no auction", async () => {
    const nobody = env.AUCTION_ROOM.getByName("auc_rules_nothing_here_000");
    expect(await nobody.cancelByAdmin(order)).toMatchObject({ ok: false, code: "AUCTION_NOT_FOUND" });
  });
});
