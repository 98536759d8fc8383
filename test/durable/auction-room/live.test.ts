import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RoomFrameSchema } from "../../../src/shared/live-frames";
import {
  call,
  createAuction,
  expectProblem,
  signUp,
  signUpAdmin,
  signUpFunded,
  type TestUser,
  WEBSOCKET_HANDSHAKE,
} from "../../helpers";
import { probeOf } from "../socket-probe";
import { roomStub } from "./helpers";

function connect(auctionId: string, options: { token?: string; since?: number } = {}) {
  const query = options.since === undefined ? "" : `?since=${options.since}`;
  const headers: Record<string, string> = { ...WEBSOCKET_HANDSHAKE };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return exports.default.fetch(
    new Request(`https://auction.test/api/v1/auctions/${auctionId}/live${query}`, { headers }),
  );
}

async function open(auctionId: string, options: { token?: string; since?: number } = {}) {
  return probeOf(await connect(auctionId, options));
}

function bid(user: TestUser, auctionId: string, body: Record<string, unknown>) {
  return call("POST", `/api/v1/auctions/${auctionId}/bids`, { token: user.token, body });
}

describe("GET /api/v1/auctions/{id}/live", () => {
  it("sends a snapshot on connect, then bid frames in order with seq and serverTime", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const bob = await signUpFunded("bob");
    const a = await createAuction(seller, { startingPrice: 10_000 });
    const watcher = await open(a.id);
    const snapshot = await watcher.next();
    expect(JSON.parse(snapshot)).toMatchObject({
      type: "snapshot",
      seq: 1,
      serverTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      auction: { id: a.id, currentPrice: 10_000, leaderIsYou: false },
    });
    expect(snapshot).not.toContain("reservePrice");

    await bid(alice, a.id, { maxAmount: 30_000 });
    await bid(bob, a.id, { amount: 20_000 });
    const first = await watcher.nextJson();
    const second = await watcher.nextJson();
    expect(first).toMatchObject({
      type: "bid",
      seq: 2,
      price: 10_000,
      bidCount: 1,
      leader: { handle: "b***1" },
      leaderIsYou: false,
      extended: false,
    });
    expect(second).toMatchObject({
      type: "bid",
      seq: 3,
      price: 21_000,
      bidCount: 3,
      leader: { handle: "b***1" },
    });
    expect(JSON.stringify(second)).not.toContain("30000");
  });

  it("gives each bid frame the minimum next bid and whether the reserve is met, replays too", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const bob = await signUpFunded("bob");
    const a = await createAuction(seller, { startingPrice: 10_000, reservePrice: 20_000 });
    const watcher = await open(a.id);
    await watcher.next();
    await bid(alice, a.id, { amount: 10_000 });
    await bid(bob, a.id, { amount: 49_500 });
    // KRW steps by 1,000 below 50,000 and by 2,000 from there (bidding/increments.ts).
    expect(await watcher.nextJson()).toMatchObject({
      type: "bid",
      price: 10_000,
      minimumNextBid: 11_000,
      reserveMet: false,
    });
    expect(await watcher.nextJson()).toMatchObject({
      type: "bid",
      price: 49_500,
      minimumNextBid: 50_500,
      reserveMet: true,
    });
    await bid(alice, a.id, { amount: 50_500 });
    expect(await watcher.nextJson()).toMatchObject({ price: 50_500, minimumNextBid: 52_500 });
    const replay = await open(a.id, { since: 1 });
    expect(await replay.nextJson()).toMatchObject({ seq: 2, minimumNextBid: 11_000, reserveMet: false });
    expect(await replay.nextJson()).toMatchObject({ seq: 3, minimumNextBid: 50_500, reserveMet: true });
    expect(await replay.nextJson()).toMatchObject({ seq: 4, minimumNextBid: 52_500, reserveMet: true });
  });

  it("gives each bid frame the history rows it added, newest first, as the history lists them", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const bob = await signUpFunded("bob");
    const a = await createAuction(seller, { startingPrice: 10_000 });
    const watcher = await open(a.id);
    const aliceSees = await open(a.id, { token: alice.token });
    await watcher.next();
    await aliceSees.next();
    await bid(alice, a.id, { maxAmount: 30_000 });
    // Bob's bid and Alice's proxy answer: two rows from one bid.
    await bid(bob, a.id, { amount: 20_000 });
    const history = (await call("GET", `/api/v1/auctions/${a.id}/bids`)).body.items;
    const rows = (items: { amount: number; bidder: { handle: string }; placedAt: string }[]) =>
      items.map(({ amount, bidder, placedAt }) => ({ amount, bidder, placedAt }));
    const historyOf = async (probe: typeof watcher) => {
      const frame = RoomFrameSchema.parse(await probe.nextJson());
      return frame.type === "bid" ? frame.history : frame.type;
    };
    expect(history).toHaveLength(3);

    const first = RoomFrameSchema.parse(await watcher.nextJson());
    const second = RoomFrameSchema.parse(await watcher.nextJson());
    expect(first).toMatchObject({ type: "bid", history: rows(history.slice(2)) });
    expect(second).toMatchObject({ type: "bid", history: rows(history.slice(0, 2)) });
    // Each viewer sees their own rows as "you", as the history shows them to that viewer.
    await aliceSees.nextJson();
    const mine = await call("GET", `/api/v1/auctions/${a.id}/bids`, { token: alice.token });
    expect(await historyOf(aliceSees)).toEqual(rows(mine.body.items.slice(0, 2)));
    expect(mine.body.items[0].bidder.handle).toBe("you");
    // A replay after a reconnect carries the same rows.
    const replay = await open(a.id, { since: 2 });
    expect(await historyOf(replay)).toEqual(rows(history.slice(0, 2)));
  });

  it("sends frames of every type that the browser's schema reads (src/shared/live-frames.ts)", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const sold = await createAuction(seller, { startingPrice: 10_000, buyNowPrice: 90_000 });
    const cancelled = await createAuction(seller);
    const ws = await open(sold.id, { token: alice.token });
    const other = await open(cancelled.id);
    const read = async (probe: typeof ws) => RoomFrameSchema.parse(await probe.nextJson());
    expect(await read(ws)).toMatchObject({ type: "snapshot", auction: { id: sold.id, buyNowPrice: 90_000 } });
    await bid(alice, sold.id, {});
    expect(await read(ws)).toMatchObject({ type: "bid", leaderIsYou: true, minimumNextBid: 11_000 });
    await call("POST", `/api/v1/auctions/${sold.id}/buy-now`, { token: alice.token });
    expect(await read(ws)).toMatchObject({ type: "closed", winnerIsYou: true, finalPrice: 90_000 });
    const replayed = await open(sold.id, { token: alice.token });
    expect(await read(replayed)).toMatchObject({
      type: "snapshot",
      auction: { status: "closed", outcome: "sold", winnerId: alice.id, currentPrice: 90_000 },
    });
    expect(await read(other)).toMatchObject({ type: "snapshot" });
    await call("DELETE", `/api/v1/auctions/${cancelled.id}`, { token: seller.token });
    expect(await read(other)).toMatchObject({ type: "cancelled", seq: 2 });
  });

  it("tells a signed-in leader leaderIsYou, and the winner winnerIsYou on close", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller, { startingPrice: 10_000, buyNowPrice: 90_000 });
    const mine = await open(a.id, { token: alice.token });
    const theirs = await open(a.id);
    await mine.next();
    await theirs.next();
    await bid(alice, a.id, { amount: 10_000 });
    expect(await mine.nextJson()).toMatchObject({ type: "bid", leaderIsYou: true });
    expect(await theirs.nextJson()).toMatchObject({ type: "bid", leaderIsYou: false });
    await call("POST", `/api/v1/auctions/${a.id}/buy-now`, { token: alice.token });
    expect(await mine.nextJson()).toMatchObject({
      type: "closed",
      outcome: "sold",
      endedBy: "buy_now",
      finalPrice: 90_000,
      winner: { handle: "b***1" },
      winnerIsYou: true,
    });
    expect(await theirs.nextJson()).toMatchObject({ type: "closed", winnerIsYou: false });
  });

  it("sends a cancelled frame", async () => {
    const seller = await signUp("s");
    const a = await createAuction(seller);
    const ws = await open(a.id);
    await ws.next();
    await call("DELETE", `/api/v1/auctions/${a.id}`, { token: seller.token });
    expect(await ws.nextJson()).toMatchObject({ type: "cancelled", seq: 2 });
  });

  it("sends a cancelled frame when an administrator cancels an auction with bids", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const admin = await signUpAdmin("mod");
    const a = await createAuction(seller);
    await bid(alice, a.id, {});
    const ws = await open(a.id, { token: alice.token });
    await ws.next();
    const res = await call("POST", `/api/v1/admin/auctions/${a.id}/cancel`, {
      token: admin.token,
      body: { reason: "Counterfeit item" },
    });
    expect(res.status).toBe(200);
    expect(await ws.nextJson()).toMatchObject({ type: "cancelled", seq: 3 });
  });

  it("replays what was missed with ?since, else sends a snapshot", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const bob = await signUpFunded("bob");
    const a = await createAuction(seller);
    await bid(alice, a.id, {});
    await bid(bob, a.id, {});
    await bid(alice, a.id, {});
    const replay = await open(a.id, { since: 2 });
    expect(await replay.nextJson()).toMatchObject({ type: "bid", seq: 3, price: 11_000 });
    expect(await replay.nextJson()).toMatchObject({ type: "bid", seq: 4, price: 12_000 });
    // A seq older than the log: a fresh snapshot instead.
    await runInDurableObject(roomStub(a.id), (_room, ctx) => {
      ctx.storage.sql.exec("DELETE FROM events WHERE seq <= 2");
    });
    const tooOld = await open(a.id, { since: 0 });
    expect(await tooOld.nextJson()).toMatchObject({
      type: "snapshot",
      seq: 4,
      auction: { currentPrice: 12_000 },
    });
  });

  it("keeps sockets and their viewer across hibernation", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller);
    const ws = await open(a.id, { token: alice.token });
    await ws.next();
    await evictDurableObject(roomStub(a.id), { webSockets: "hibernate" });
    await bid(alice, a.id, {});
    expect(await ws.nextJson()).toMatchObject({ type: "bid", seq: 2, leaderIsYou: true });
    ws.ws.send(JSON.stringify({ type: "snapshot" }));
    expect(await ws.nextJson()).toMatchObject({
      type: "snapshot",
      auction: { leaderIsYou: true, bidCount: 1 },
    });
  });

  it("keeps a socket whose attachment it cannot read, as an anonymous viewer", async () => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller);
    const ws = await open(a.id, { token: alice.token });
    await ws.next();
    await bid(alice, a.id, {});
    expect(await ws.nextJson()).toMatchObject({ type: "bid", leaderIsYou: true });
    // As if written by a version of the room this one cannot read.
    await runInDurableObject(roomStub(a.id), (_room, ctx) => {
      for (const socket of ctx.getWebSockets()) socket.serializeAttachment({ v: 99, who: alice.id });
    });
    ws.ws.send(JSON.stringify({ type: "snapshot" }));
    expect(await ws.nextJson()).toMatchObject({
      type: "snapshot",
      auction: { leaderIsYou: false, bidCount: 1 },
    });
  });

  it("answers ping with pong without waking the object", async () => {
    const seller = await signUp("s");
    const a = await createAuction(seller);
    const ws = await open(a.id);
    await ws.next();
    await evictDurableObject(roomStub(a.id), { webSockets: "hibernate" });
    ws.ws.send("ping");
    expect(await ws.next()).toBe("pong");
  });

  it.each([
    ["an unknown frame", JSON.stringify({ type: "bid", amount: 1 }), 1008, "unsupported frame"],
    ["text that is not JSON", "hello", 1008, "unsupported frame"],
    ["an oversized frame", "x".repeat(2000), 1009, "frame too large"],
  ])("closes the socket on %s, and the room keeps working", async (_name, frame, code, reason) => {
    const seller = await signUp("s");
    const alice = await signUpFunded("alice");
    const a = await createAuction(seller);
    const ws = await open(a.id);
    await ws.next();
    ws.ws.send(frame);
    expect(await ws.closed).toEqual({ code, reason });
    expect((await bid(alice, a.id, {})).status).toBe(201);
    const again = await open(a.id);
    expect(await again.nextJson()).toMatchObject({ type: "snapshot", auction: { bidCount: 1 } });
  });

  it("closes a socket that floods the room", async () => {
    const seller = await signUp("s");
    const a = await createAuction(seller);
    const ws = await open(a.id);
    await ws.next();
    for (let i = 0; i < 25; i++) ws.ws.send(JSON.stringify({ type: "snapshot" }));
    expect((await ws.closed).reason).toBe("too many frames");
  });

  it("refuses plain HTTP with 426 and unknown auctions with 404", async () => {
    const seller = await signUp("s");
    const a = await createAuction(seller);
    expectProblem(await call("GET", `/api/v1/auctions/${a.id}/live`), 426, "UPGRADE_REQUIRED");
    const missing = await connect("auc_00000000000000000000");
    expect(missing.status).toBe(404);
  });
});
