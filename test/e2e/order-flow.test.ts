import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type ApiClient,
  api,
  eventually,
  grantAdmin,
  signUpAndLogin,
  signUpFunded,
  startServer,
  TEST_PASSWORD,
  type TestServer,
  uniqueUsername,
} from "./harness";

// SPEC §8 "Orders" on a real `wrangler dev`: money in through the provider's signed webhook, a bid,
// a close by the room's alarm, escrow, ship, confirm, and the payout reaching the seller's wallet
// through the real queue and broker.

const WalletSchema = z.object({
  balances: z.array(
    z.object({ currency: z.string(), available: z.number(), held: z.number(), pendingPayout: z.number() }),
  ),
  holds: z.array(z.object({ auctionId: z.string().nullable(), amount: z.number() })),
});
const EntriesSchema = z.object({
  items: z.array(z.object({ transferId: z.string(), account: z.string(), amount: z.number() })),
});
const AuctionSchema = z.object({ status: z.string(), currentPrice: z.number() }).passthrough();
const OrderSchema = z.object({ status: z.string(), price: z.number(), payout: z.number() }).passthrough();
const MyOrdersSchema = z.object({ items: z.array(z.object({ auctionId: z.string(), status: z.string() })) });

const LedgerCheckSchema = z.object({
  ok: z.boolean(),
  transfers: z.number(),
  accounts: z.number(),
  problems: z.array(z.unknown()),
});

const TOP_UP = 50_000;
const PRICE = 12_000;

describe("a whole sale on a real server", () => {
  let server: TestServer;
  let client: ApiClient;

  beforeAll(async () => {
    // The bid's hold reaches the ledger within a second, so the exact count at the end need not wait 30 s.
    server = await startServer({ vars: { LEDGER_FLUSH_SECONDS: "1" } });
    client = api(server.baseUrl);
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** The user's KRW figures, and their holds, as GET /me/wallet shows them. */
  const wallet = async (token: string) => {
    const res = await client.get("/api/v1/me/wallet", { token });
    expect(res.status).toBe(200);
    const view = WalletSchema.parse(res.body);
    const krw = view.balances.find((b) => b.currency === "KRW");
    return {
      available: krw?.available ?? 0,
      held: krw?.held ?? 0,
      pendingPayout: krw?.pendingPayout ?? 0,
      holds: view.holds.length,
    };
  };
  /** Polls the wallet until it shows exactly `expected` (the broker applies money within about a second). */
  const walletBecomes = (token: string, expected: Awaited<ReturnType<typeof wallet>>, what: string) =>
    eventually(
      async () => {
        const now = await wallet(token);
        return JSON.stringify(now) === JSON.stringify(expected) ? now : undefined;
      },
      { timeoutMs: 20_000, what },
    );
  const order = async (token: string, auctionId: string) => {
    const res = await client.get(`/api/v1/auctions/${auctionId}/order`, { token });
    expect(res.status).toBe(200);
    return OrderSchema.parse(res.body);
  };

  it("top-up, bid, win, ship, confirm: the payout lands in the seller's available, the buyer's money is spent", async () => {
    const seller = await signUpAndLogin(server.baseUrl, uniqueUsername("seller"));
    // A real top-up: pending, then the provider's signed payment.succeeded credits it.
    const buyer = await signUpFunded(server.baseUrl, uniqueUsername("buyer"), TOP_UP);
    expect(await wallet(buyer.token)).toEqual({ available: TOP_UP, held: 0, pendingPayout: 0, holds: 0 });

    // The shortest auction the API allows; its alarm closes it.
    const created = await client.post(
      "/api/v1/auctions",
      { title: "Rolleiflex 2.8F", startingPrice: 10_000, durationSeconds: 10, softClose: null },
      { token: seller.token },
    );
    expect(created.status).toBe(201);
    const auctionId = z.object({ id: z.string() }).parse(created.body).id;

    const placed = await client.post(
      `/api/v1/auctions/${auctionId}/bids`,
      { amount: PRICE },
      { token: buyer.token },
    );
    expect(placed.status).toBe(201);
    expect(await wallet(buyer.token)).toEqual({
      available: TOP_UP - PRICE,
      held: PRICE,
      pendingPayout: 0,
      holds: 1,
    });

    const closed = await eventually(
      async () => {
        const res = await client.get(`/api/v1/auctions/${auctionId}`);
        const auction = AuctionSchema.parse(res.body);
        return auction.status === "closed" ? auction : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: "the auction closed by its alarm" },
    );
    expect(closed).toMatchObject({ status: "closed", currentPrice: PRICE, outcome: "sold" });

    // The sale opened the order paid: the hold pays the price into escrow, the seller sees it pending.
    expect(await order(buyer.token, auctionId)).toMatchObject({
      status: "paid",
      price: PRICE,
      payout: PRICE,
    });
    await walletBecomes(
      buyer.token,
      { available: TOP_UP - PRICE, held: 0, pendingPayout: 0, holds: 0 },
      "the buyer's hold paid into escrow",
    );
    await walletBecomes(
      seller.token,
      { available: 0, held: 0, pendingPayout: PRICE, holds: 0 },
      "the seller's pending payout",
    );

    const shipped = await client.post(
      `/api/v1/auctions/${auctionId}/order/ship`,
      { carrier: "CJ Logistics", trackingNumber: "6012-3456-7890" },
      { token: seller.token },
    );
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ status: "shipped" });
    const confirmed = await client.post(`/api/v1/auctions/${auctionId}/order/confirm`, undefined, {
      token: buyer.token,
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: "completed", resolution: "buyer_confirmed" });

    // The broker releases the payout to the seller's available, once.
    await walletBecomes(
      seller.token,
      { available: PRICE, held: 0, pendingPayout: 0, holds: 0 },
      "the seller's payout released",
    );
    const entries = await client.get("/api/v1/me/wallet/entries?limit=100", { token: seller.token });
    const released = EntriesSchema.parse(entries.body).items.filter(
      (e) => e.account === "available" && /^order:.+:release$/.test(e.transferId),
    );
    expect(released.map((e) => e.amount)).toEqual([PRICE]);
    expect(await wallet(buyer.token)).toEqual({
      available: TOP_UP - PRICE,
      held: 0,
      pendingPayout: 0,
      holds: 0,
    });

    // Both sides' order lists (projected by the broker) agree.
    for (const [token, role] of [
      [seller.token, "seller"],
      [buyer.token, "buyer"],
    ] as const) {
      await eventually(
        async () => {
          const res = await client.get(`/api/v1/me/orders?role=${role}`, { token });
          const items = MyOrdersSchema.parse(res.body).items;
          return items.some((o) => o.auctionId === auctionId && o.status === "completed") ? items : undefined;
        },
        { what: `the ${role}'s completed order in /me/orders` },
      );
    }

    // And the ledger checks out once every wallet and room has handed its side to the broker.
    const admin = await signUpAndLogin(server.baseUrl, uniqueUsername("admin"));
    await grantAdmin(server, admin.user.username);
    const adminToken = (
      await client.post("/api/v1/sessions", { username: admin.user.username, password: TEST_PASSWORD })
    ).body as { token: string };
    const check = await eventually(
      async () => {
        const res = await client.get("/api/v1/admin/ledger/check", { token: adminToken.token });
        expect(res.status).toBe(200);
        const body = LedgerCheckSchema.parse(res.body);
        return body.ok ? body : undefined;
      },
      { timeoutMs: 30_000, what: "GET /admin/ledger/check ok" },
    );
    expect(check.problems).toEqual([]);
    // The top-up, the bid's hold, the payment into escrow, the pending payout and its release.
    expect(check.transfers).toBe(5);
  });
});
