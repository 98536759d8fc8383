import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { z } from "zod";
import {
  type ApiClient,
  api,
  eventually,
  signUpAndLogin,
  signUpFunded,
  startServer,
  type TestServer,
  uniqueUsername,
} from "./harness";

// What only a real server shows: two bidders over HTTP, the room's WebSocket across processes,
// the queue → broker → inbox and UserHub push, and a short auction closed by its alarm on time.

const frameSchema = z.object({ type: z.string(), seq: z.number().optional() }).passthrough();
const inboxSchema = z.object({
  items: z.array(
    z.object({ id: z.string(), kind: z.string(), auctionId: z.string(), readAt: z.string().nullable() }),
  ),
});

/** Collects a socket's JSON frames and lets a test wait for one without sleeping. */
class FrameLog {
  readonly frames: z.infer<typeof frameSchema>[] = [];
  private listeners: (() => void)[] = [];
  readonly opened: Promise<void>;

  constructor(readonly ws: WebSocket) {
    this.opened = new Promise((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    ws.on("message", (data) => {
      const text = data.toString();
      if (text === "pong") return;
      this.frames.push(frameSchema.parse(JSON.parse(text)));
      for (const notify of this.listeners.splice(0)) notify();
    });
  }

  async waitFor(predicate: (frame: z.infer<typeof frameSchema>) => boolean, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`frame not received; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

describe("an auction end to end on a real wrangler dev", () => {
  let server: TestServer;
  let client: ApiClient;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    server = await startServer();
    client = api(server.baseUrl);
  });

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await server?.stop();
  });

  function socket(path: string, token?: string): FrameLog {
    const ws = new WebSocket(server.baseUrl.replace(/^http/, "ws") + path, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    sockets.push(ws);
    return new FrameLog(ws);
  }

  async function inbox(token: string) {
    const res = await client.get("/api/v1/me/inbox", { token });
    expect(res.status).toBe(200);
    return inboxSchema.parse(res.body).items;
  }

  it("two bidders, live frames, an outbid notification, a close by alarm, and one message each", async () => {
    const seller = await signUpAndLogin(server.baseUrl, uniqueUsername("seller"));
    const alice = await signUpFunded(server.baseUrl, uniqueUsername("alice"));
    const bob = await signUpFunded(server.baseUrl, uniqueUsername("bob"));
    // Alice's top-up note reaches her inbox first, so the outbid below is her second message.
    await eventually(async () =>
      (await inbox(alice.token)).some((m) => m.kind === "top_up_succeeded") ? true : undefined,
    );

    const created = await client.post(
      "/api/v1/auctions",
      { title: "Walkman WM-2", startingPrice: 10_000, durationSeconds: 10, softClose: null },
      { token: seller.token },
    );
    expect(created.status).toBe(201);
    const auctionId = z.object({ id: z.string() }).parse(created.body).id;

    const room = socket(`/api/v1/auctions/${auctionId}/live`);
    const aliceLive = socket("/api/v1/me/live", alice.token);
    await Promise.all([room.opened, aliceLive.opened]);
    await room.waitFor((f) => f.type === "snapshot");

    const first = await client.post(
      `/api/v1/auctions/${auctionId}/bids`,
      { amount: 10_000 },
      { token: alice.token },
    );
    expect(first.status).toBe(201);
    const second = await client.post(
      `/api/v1/auctions/${auctionId}/bids`,
      { amount: 15_000 },
      { token: bob.token },
    );
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      result: "leading",
      auction: { currentPrice: 15_000, leaderIsYou: true },
    });

    // Alice hears she was outbid on her own channel, and her inbox holds it exactly once.
    const outbid = await aliceLive.waitFor((f) => f.type === "notification");
    expect(outbid).toMatchObject({
      type: "notification",
      message: { kind: "outbid", auctionId },
      unreadCount: 2,
    });
    expect((await inbox(alice.token)).filter((m) => m.kind === "outbid")).toHaveLength(1);

    // The room saw both bids, in order.
    await room.waitFor((f) => f.type === "bid" && f.price === 15_000);
    const bids = room.frames.filter((f) => f.type === "bid");
    expect(bids.map((f) => f.price)).toEqual([10_000, 15_000]);
    expect((bids[1]?.seq ?? 0) > (bids[0]?.seq ?? 0)).toBe(true);

    // The alarm closes the 10 s auction: sold to Bob at 15,000.
    const closed = await room.waitFor((f) => f.type === "closed", 30_000);
    expect(closed).toMatchObject({ outcome: "sold", finalPrice: 15_000, endedBy: "time" });

    const listed = await eventually(
      async () => {
        const res = await client.get(`/api/v1/auctions?sellerId=${seller.user.id}`);
        const items = z
          .object({ items: z.array(z.object({ id: z.string(), status: z.string() }).passthrough()) })
          .parse(res.body).items;
        const item = items.find((i) => i.id === auctionId);
        return item?.status === "closed" ? item : undefined;
      },
      { what: "closed auction in the listing" },
    );
    expect(listed).toMatchObject({
      status: "closed",
      outcome: "sold",
      currentPrice: 15_000,
      winnerId: bob.user.id,
    });

    const bobWon = await eventually(async () => {
      const won = (await inbox(bob.token)).filter((m) => m.kind === "auction_won");
      return won.length > 0 ? won : undefined;
    });
    const aliceLost = await eventually(async () => {
      const lost = (await inbox(alice.token)).filter((m) => m.kind === "auction_lost");
      return lost.length > 0 ? lost : undefined;
    });
    const sellerSold = await eventually(async () => {
      const sold = (await inbox(seller.token)).filter((m) => m.kind === "auction_sold");
      return sold.length > 0 ? sold : undefined;
    });
    expect(bobWon).toHaveLength(1);
    expect(aliceLost).toHaveLength(1);
    expect(sellerSold).toHaveLength(1);

    const myBids = await client.get("/api/v1/me/bids", { token: alice.token });
    expect(myBids.body).toMatchObject({ items: [{ state: "lost", auction: { id: auctionId } }] });
    const bobBids = await client.get("/api/v1/me/bids", { token: bob.token });
    expect(bobBids.body).toMatchObject({
      items: [{ state: "won", auction: { id: auctionId, winnerId: bob.user.id } }],
    });
  });
});
