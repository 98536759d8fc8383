import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../src/worker/index";
import { storedEvents } from "../../durable/auction-room/helpers";
import {
  call,
  createAuction,
  expectProblem,
  signUp,
  signUpAdmin,
  signUpFunded,
  type TestUser,
} from "../../helpers";

/** SPEC §9: `POST /api/v1/admin/auctions/{id}/cancel {reason}` — even with bids; bidders are told. */

const cancelAsAdmin = (
  token: string | undefined,
  auctionId: string,
  body: unknown = { reason: "Counterfeit item" },
) => call("POST", `/api/v1/admin/auctions/${auctionId}/cancel`, { token, body });

const bid = (user: TestUser, auctionId: string, body: Record<string, unknown>) =>
  call("POST", `/api/v1/auctions/${auctionId}/bids`, { token: user.token, body });

/** Hands the room's outbox to the broker, as the queue would (redelivery is harmless: idempotent). */
async function runBroker(auctionId: string): Promise<void> {
  const events = await storedEvents(auctionId);
  const batch = createMessageBatch(
    "auction-events",
    events.map((e) => ({ id: `${auctionId}-${e.seq}`, timestamp: new Date(), attempts: 1, body: e.body })),
  );
  await worker.queue(batch, env);
}

async function cancelledMessagesOf(auctionId: string) {
  const { results } = await env.DB.prepare(
    "SELECT recipient_id, body, data FROM inbox_messages WHERE auction_id = ? AND kind = 'auction_cancelled' ORDER BY recipient_id",
  )
    .bind(auctionId)
    .all<{ recipient_id: string; body: string; data: string }>();
  return results;
}

async function auditRowsOf(auctionId: string) {
  const { results } = await env.DB.prepare(
    "SELECT actor_id, action, target_type, reason, detail FROM audit_log WHERE target_id = ? ORDER BY id",
  )
    .bind(auctionId)
    .all<{ actor_id: string; action: string; target_type: string; reason: string; detail: string }>();
  return results;
}

/** An open auction with two bidders and a watcher. */
async function busyAuction() {
  const seller = await signUp("cxseller");
  const alice = await signUpFunded("cxalice");
  const bob = await signUpFunded("cxbob");
  const watcher = await signUp("cxwatcher");
  const auction = await createAuction(seller, { startingPrice: 10_000 });
  expect((await bid(alice, auction.id, { maxAmount: 30_000 })).status).toBe(201);
  expect((await bid(bob, auction.id, { amount: 20_000 })).status).toBe(201);
  expect((await call("PUT", `/api/v1/auctions/${auction.id}/watch`, { token: watcher.token })).status).toBe(
    204,
  );
  return { seller, alice, bob, watcher, auctionId: auction.id as string };
}

describe("POST /api/v1/admin/auctions/{id}/cancel", () => {
  it("cancels an auction with bids: 200, cancelled, no more bids; bidders, watchers and the seller are told once; one audit row", async () => {
    const admin = await signUpAdmin("cxadmin");
    const { seller, alice, bob, watcher, auctionId } = await busyAuction();

    const res = await cancelAsAdmin(admin.token, auctionId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: auctionId, status: "cancelled", outcome: null, bidCount: 3 });
    expect((await call("GET", `/api/v1/auctions/${auctionId}`)).body).toMatchObject({ status: "cancelled" });
    expectProblem(await bid(bob, auctionId, { maxAmount: 90_000 }), 409, "AUCTION_NOT_OPEN");

    await runBroker(auctionId);
    await runBroker(auctionId);
    const messages = await cancelledMessagesOf(auctionId);
    expect(messages.map((m) => m.recipient_id).sort()).toEqual(
      [alice.id, bob.id, seller.id, watcher.id].sort(),
    );
    const toSeller = messages.find((m) => m.recipient_id === seller.id);
    expect(toSeller?.body).toBe(
      'An administrator cancelled your listing "Vintage film camera": Counterfeit item',
    );
    const toAlice = messages.find((m) => m.recipient_id === alice.id);
    expect(toAlice?.body).toBe('An administrator cancelled "Vintage film camera" at 21,000 KRW.');
    expect(JSON.parse(toAlice?.data ?? "{}")).toMatchObject({ cancelledBy: "admin", price: 21_000 });

    const audit = await auditRowsOf(auctionId);
    expect(audit).toEqual([
      {
        actor_id: admin.id,
        action: "auction.cancel",
        target_type: "auction",
        reason: "Counterfeit item",
        detail: expect.any(String),
      },
    ]);
    expect(JSON.parse(audit[0]?.detail ?? "{}")).toEqual({
      sellerId: seller.id,
      title: "Vintage film camera",
      previousStatus: "open",
      bidCount: 3,
      bidders: 2,
    });
    const log = await call("GET", "/api/v1/admin/audit-log?limit=1", { token: admin.token });
    expect(log.body.items[0]).toMatchObject({
      actor: { id: admin.id, username: admin.username },
      action: "auction.cancel",
      target: { type: "auction", id: auctionId },
      reason: "Counterfeit item",
    });
  });

  it("refuses a second cancellation with 409 AUCTION_NOT_OPEN and keeps one audit row", async () => {
    const admin = await signUpAdmin("cxtwice");
    const other = await signUpAdmin("cxtwice2");
    const { auctionId } = await busyAuction();
    expect((await cancelAsAdmin(admin.token, auctionId)).status).toBe(200);
    expectProblem(await cancelAsAdmin(admin.token, auctionId), 409, "AUCTION_NOT_OPEN");
    expectProblem(
      await cancelAsAdmin(other.token, auctionId, { reason: "Another reason" }),
      409,
      "AUCTION_NOT_OPEN",
    );
    expect((await auditRowsOf(auctionId)).map((r) => [r.actor_id, r.reason])).toEqual([
      [admin.id, "Counterfeit item"],
    ]);
  });

  it("writes the audit row a failed first attempt lost when the request is retried, with the first attempt's facts", async () => {
    const admin = await signUpAdmin("cxretry");
    const { auctionId } = await busyAuction();
    expect((await cancelAsAdmin(admin.token, auctionId)).status).toBe(200);
    // The worker died between the room's answer and the audit write.
    await env.DB.prepare("DELETE FROM audit_log WHERE target_id = ?").bind(auctionId).run();
    expectProblem(
      await cancelAsAdmin(admin.token, auctionId, { reason: "Retried" }),
      409,
      "AUCTION_NOT_OPEN",
    );
    expect((await auditRowsOf(auctionId)).map((r) => [r.actor_id, r.action, r.reason])).toEqual([
      [admin.id, "auction.cancel", "Counterfeit item"],
    ]);
  });

  it("refuses a finished auction (409) and one its seller withdrew, auditing nothing", async () => {
    const admin = await signUpAdmin("cxdone");
    const seller = await signUp("cxdoneseller");
    const buyer = await signUpFunded("cxdonebuyer");
    const sold = await createAuction(seller, { buyNowPrice: 50_000 });
    expect((await call("POST", `/api/v1/auctions/${sold.id}/buy-now`, { token: buyer.token })).status).toBe(
      201,
    );
    expectProblem(await cancelAsAdmin(admin.token, sold.id), 409, "AUCTION_NOT_OPEN");
    const withdrawn = await createAuction(seller);
    expect((await call("DELETE", `/api/v1/auctions/${withdrawn.id}`, { token: seller.token })).status).toBe(
      200,
    );
    expectProblem(await cancelAsAdmin(admin.token, withdrawn.id), 409, "AUCTION_NOT_OPEN");
    expect(await auditRowsOf(sold.id)).toEqual([]);
    expect(await auditRowsOf(withdrawn.id)).toEqual([]);
  });

  it("answers 404 AUCTION_NOT_FOUND for an unknown auction", async () => {
    const admin = await signUpAdmin("cx404");
    expectProblem(await cancelAsAdmin(admin.token, "auc_nosuchauction0000000000"), 404, "AUCTION_NOT_FOUND");
    expectProblem(await cancelAsAdmin(admin.token, "not-an-auction-id"), 404, "AUCTION_NOT_FOUND");
  });

  it("is for admins only: the seller and others 403 FORBIDDEN, anonymous 401; nothing changes", async () => {
    const { seller, alice, auctionId } = await busyAuction();
    expectProblem(await cancelAsAdmin(seller.token, auctionId), 403, "FORBIDDEN");
    expectProblem(await cancelAsAdmin(alice.token, auctionId), 403, "FORBIDDEN");
    expectProblem(await cancelAsAdmin(undefined, auctionId), 401, "UNAUTHENTICATED");
    expect((await call("GET", `/api/v1/auctions/${auctionId}`)).body).toMatchObject({ status: "open" });
    expect(await auditRowsOf(auctionId)).toEqual([]);
  });

  it.each([
    ["no reason", {}],
    ["an empty reason", { reason: "   " }],
    ["a reason over 500 characters", { reason: "x".repeat(501) }],
    ["a control character", { reason: "bad\u0007reason" }],
    ["an unknown field", { reason: "ok", refund: true }],
  ])("refuses %s with 422 VALIDATION_FAILED and cancels nothing", async (_name, body) => {
    const admin = await signUpAdmin("cxbad");
    const seller = await signUp("cxbadseller");
    const auction = await createAuction(seller);
    expectProblem(await cancelAsAdmin(admin.token, auction.id, body), 422, "VALIDATION_FAILED");
    expect((await call("GET", `/api/v1/auctions/${auction.id}`)).body).toMatchObject({ status: "open" });
  });
});
