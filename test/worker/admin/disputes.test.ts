import { describe, expect, it } from "vitest";
import { call, createAuction, expectProblem, signUp, signUpAdmin, type TestUser } from "../../helpers";
import { runBroker, signUpWith } from "../funds/support";

/** SPEC §9–§10: the admin page's list of orders in dispute, from the D1 orders projection. */

const step = (user: TestUser, auctionId: string, action: string, body: unknown = {}) =>
  call("POST", `/api/v1/auctions/${auctionId}/${action}`, { token: user.token, body });

/** An item bought now at 50,000 by `buyer`, its order taken to `stage` and projected into D1. */
async function order(seller: TestUser, buyer: TestUser, title: string, stage: "paid" | "disputed") {
  const auction = await createAuction(seller, { title, startingPrice: 10_000, buyNowPrice: 50_000 });
  const auctionId: string = auction.id;
  expect((await step(buyer, auctionId, "buy-now")).status).toBe(201);
  if (stage === "disputed") {
    expect((await step(seller, auctionId, "order/ship")).status).toBe(200);
    expect((await step(buyer, auctionId, "order/dispute", { reason: "Arrived broken" })).status).toBe(200);
  }
  await runBroker(auctionId);
  return auctionId;
}

const list = (user: TestUser | null, query = "?status=disputed") =>
  call("GET", `/api/v1/admin/orders${query}`, user ? { token: user.token } : {});

describe("GET /api/v1/admin/orders", () => {
  it("lists the orders in dispute, most recently changed first, with both parties; paid ones stay out", async () => {
    const admin = await signUpAdmin("dadmin");
    const seller = await signUp("dseller");
    const buyer = await signUpWith("dbuyer", 500_000);
    const first = await order(seller, buyer, "Turntable", "disputed");
    const paid = await order(seller, buyer, "Lamp", "paid");
    const second = await order(seller, buyer, "Bicycle", "disputed");

    const res = await list(admin);
    expect(res.status).toBe(200);
    const party = (user: TestUser) => ({ id: user.id, username: user.username, nickname: user.nickname });
    const item = (auctionId: string, title: string) => ({
      id: auctionId,
      auctionId,
      title,
      status: "disputed",
      price: 50_000,
      fee: 0,
      currency: "KRW",
      buyer: party(buyer),
      seller: party(seller),
      paidAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
    expect(res.body).toEqual({
      items: [item(second, "Bicycle"), item(first, "Turntable")],
      nextCursor: null,
    });

    const all = await list(admin, "");
    expect(all.body.items.map((o: { id: string }) => o.id)).toEqual([second, paid, first]);
    expect(all.body.items.map((o: { status: string }) => o.status)).toEqual(["disputed", "paid", "disputed"]);
  });

  it("pages with limit and cursor, like every list", async () => {
    const admin = await signUpAdmin("dadmin");
    const seller = await signUp("dseller");
    const buyer = await signUpWith("dbuyer", 500_000);
    const ids = [
      await order(seller, buyer, "One", "disputed"),
      await order(seller, buyer, "Two", "disputed"),
      await order(seller, buyer, "Three", "disputed"),
    ];
    const firstPage = await list(admin, "?status=disputed&limit=2");
    const rest = await list(admin, `?status=disputed&limit=2&cursor=${firstPage.body.nextCursor}`);
    const items: { id: string; updatedAt: string }[] = [...firstPage.body.items, ...rest.body.items];
    expect(firstPage.body.items).toHaveLength(2);
    const seen = items.map((o) => o.id);
    // Other tests of this file disputed orders too: these three are the most recently changed.
    expect(new Set(seen.slice(0, 3))).toEqual(new Set(ids));
    expect(new Set(seen).size).toBe(seen.length);
    const times = items.map((o) => Date.parse(o.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expectProblem(await list(admin, "?status=lost"), 400, "INVALID_PARAMETER");
    expectProblem(await list(admin, "?cursor=nonsense"), 400, "INVALID_CURSOR");
  });

  it("is for admins only: 403 FORBIDDEN for the parties themselves, 401 for nobody", async () => {
    const seller = await signUp("dseller");
    const buyer = await signUpWith("dbuyer", 100_000);
    await order(seller, buyer, "Radio", "disputed");
    expectProblem(await list(seller), 403, "FORBIDDEN");
    expectProblem(await list(buyer), 403, "FORBIDDEN");
    expectProblem(await list(null), 401, "UNAUTHENTICATED");
  });
});
