import { describe, expect, it } from "vitest";
import { type BiddingState, incrementFor, resolveBid } from "../../src/durable/bidding";
import { call, createAuction, signUp, signUpFunded } from "../helpers";

const BIDDERS = 50;

describe("50 bidders at once on one auction", () => {
  it("serialises every bid: all accepted bids are in the history, prices strictly increase, and replaying them through the domain gives the same state", async () => {
    const seller = await signUp("hot_seller");
    const bidders = await Promise.all(Array.from({ length: BIDDERS }, (_, i) => signUpFunded(`hot${i}`)));
    const a = await createAuction(seller, { startingPrice: 10_000, durationSeconds: 3600 });

    // A deterministic mix of exact bids, proxies and both, spread across the KRW table.
    const requests = bidders.map((user, i) => {
      const amount = 10_000 + i * 1_000;
      const body =
        i % 3 === 0
          ? { amount }
          : i % 3 === 1
            ? { maxAmount: amount + 5_000 }
            : { amount, maxAmount: amount + 2_000 };
      return { user, body };
    });
    const replies = await Promise.all(
      requests.map(({ user, body }) =>
        call("POST", `/api/v1/auctions/${a.id}/bids`, { token: user.token, body }),
      ),
    );

    const accepted = replies
      .map((reply, i) => ({ reply, request: requests[i] }))
      .filter(({ reply }) => reply.status === 201);
    const refused = replies.filter((r) => r.status !== 201);
    for (const r of refused) expect(r.body.code).toBe("BID_TOO_LOW");
    expect(accepted.length).toBeGreaterThan(0);

    // The room numbers history entries in commit order; each reply names its own entry.
    const seqOf = (id: string) => Number(id.split("-").at(-1));
    accepted.sort((x, y) => seqOf(x.reply.body.bid.id) - seqOf(y.reply.body.bid.id));

    const prices = accepted.map(({ reply }) => reply.body.auction.currentPrice as number);
    for (let i = 1; i < prices.length; i++) expect(prices[i]).toBeGreaterThan(prices[i - 1] ?? 0);

    // Replay the accepted bids, in commit order, through the pure domain.
    let state: BiddingState = {
      startingPrice: 10_000,
      reservePrice: null,
      currentPrice: 10_000,
      hasBids: false,
      leader: null,
    };
    const increment = (price: number) => incrementFor(price, "KRW", null);
    for (const { reply, request } of accepted) {
      const body = request?.body as { amount?: number; maxAmount?: number };
      const result = resolveBid(
        state,
        { bidderId: request?.user.id ?? "", amount: body.amount ?? null, maxAmount: body.maxAmount ?? null },
        increment,
      );
      if (!result.ok) throw new Error(`replay refused a bid the room accepted: ${result.code}`);
      expect(result.state.currentPrice).toBe(reply.body.auction.currentPrice);
      expect(result.result).toBe(reply.body.result);
      state = result.state;
    }

    const detail = await call("GET", `/api/v1/auctions/${a.id}`, { token: seller.token });
    expect(detail.body.currentPrice).toBe(state.currentPrice);
    const leader = bidders.find((b) => b.id === state.leader?.bidderId);
    const asLeader = await call("GET", `/api/v1/auctions/${a.id}`, { token: leader?.token ?? "" });
    expect(asLeader.body.leaderIsYou).toBe(true);

    const history = await call("GET", `/api/v1/auctions/${a.id}/bids?limit=100`);
    const historyIds = new Set(history.body.items.map((h: { id: string }) => h.id));
    for (const { reply } of accepted) expect(historyIds.has(reply.body.bid.id)).toBe(true);
    expect(detail.body.bidCount).toBe(history.body.items.length);
  });
});
