import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { setRoomClock } from "../../durable/auction-room/helpers";
import { call, createAuction, signUp, signUpAdmin, type TestUser } from "../../helpers";
import { runBroker, runWalletBroker, signUpWith } from "../funds/support";

/**
 * Issue 11's property: random sequences of bids, closes and order steps through the real objects
 * (the API, the rooms, the wallets, the broker); after each drain the ledger checks out — every
 * transfer balanced and recorded by both sides, each account equal to its owner's figure, money
 * conserved (external mirrors the rest), no escrow left on a finished order.
 */

type Step =
  | { op: "bid"; bidder: number; auction: number; maxAmount: number | null }
  | { op: "close"; auction: number }
  | { op: "order"; auction: number; action: "ship" | "confirm" | "dispute" | "cancel" | "refund" | "release" }
  | { op: "drain" };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("bid" as const),
      bidder: fc.nat(2),
      auction: fc.nat(1),
      maxAmount: fc.option(fc.integer({ min: 10, max: 60 }).map((k) => k * 1_000)),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("close" as const), auction: fc.nat(1) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("order" as const),
      auction: fc.nat(1),
      action: fc.constantFrom("ship", "confirm", "dispute", "cancel", "refund", "release") as fc.Arbitrary<
        "ship" | "confirm" | "dispute" | "cancel" | "refund" | "release"
      >,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: "drain" as const }) },
);

describe("the ledger over random sales", () => {
  it("checks out after every drain", async () => {
    const admin = await signUpAdmin("padmin");
    const seller = await signUp("pseller");
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 14 }), async (steps) => {
        const bidders: TestUser[] = [];
        for (let i = 0; i < 3; i++) bidders.push(await signUpWith(`pb${i}`, 200_000));
        const auctions: { id: string; endsAt: string }[] = [];
        for (const reserve of [{}, { reservePrice: 40_000 }]) {
          const created = await createAuction(seller, { startingPrice: 10_000, ...reserve });
          auctions.push({ id: created.id, endsAt: created.endsAt });
        }
        const drain = async () => {
          for (const a of auctions) await runBroker(a.id);
          await runWalletBroker(seller, ...bidders);
          for (const a of auctions) await runBroker(a.id);
          const check = await call("GET", "/api/v1/admin/ledger/check", { token: admin.token });
          expect(check.body, JSON.stringify(steps)).toMatchObject({ ok: true, problems: [] });
        };
        for (const s of steps) {
          const auction = auctions[s.op === "drain" ? 0 : s.auction];
          if (!auction) continue;
          if (s.op === "bid") {
            const bidder = bidders[s.bidder];
            if (!bidder) continue;
            const body = s.maxAmount === null ? {} : { maxAmount: s.maxAmount };
            const res = await call("POST", `/api/v1/auctions/${auction.id}/bids`, {
              token: bidder.token,
              body,
            });
            expect([201, 409, 422, 429]).toContain(res.status);
          } else if (s.op === "close") {
            await setRoomClock(auction.id, Date.parse(auction.endsAt) + 1_000);
            await call("GET", `/api/v1/auctions/${auction.id}`);
          } else if (s.op === "order") {
            const order = await call("GET", `/api/v1/auctions/${auction.id}/order`, { token: seller.token });
            if (order.status !== 200) continue;
            const buyer = bidders.find((b) => b.id === order.body.buyerId);
            if (!buyer) throw new Error("an order whose buyer is not one of ours");
            const as = (who: TestUser, path: string, body?: unknown) =>
              call("POST", `/api/v1/auctions/${auction.id}/order/${path}`, { token: who.token, body });
            const answer =
              s.action === "ship"
                ? await as(seller, "ship", {})
                : s.action === "confirm"
                  ? await as(buyer, "confirm")
                  : s.action === "dispute"
                    ? await as(buyer, "dispute", { reason: "Property test" })
                    : s.action === "cancel"
                      ? await as(seller, "cancel")
                      : await call("POST", `/api/v1/admin/orders/${auction.id}/resolve`, {
                          token: admin.token,
                          body: { outcome: s.action, reason: "Property test" },
                        });
            expect([200, 409]).toContain(answer.status);
          } else {
            await drain();
          }
        }
        await drain();
      }),
      { numRuns: 25 },
    );
  });
});
