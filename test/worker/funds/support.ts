import { createMessageBatch, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import worker from "../../../src/worker/index";
import { storedEvents } from "../../durable/auction-room/helpers";
import { call, signUp, signUpAdmin, type TestUser } from "../../helpers";

export const bid = (user: TestUser, auctionId: string, body: Record<string, unknown>, key?: string) =>
  call("POST", `/api/v1/auctions/${auctionId}/bids`, {
    token: user.token,
    body,
    headers: key ? { "idempotency-key": key } : {},
  });

export interface WalletView {
  available: number;
  held: number;
  holds: { id: string; auctionId: string | null; amount: number }[];
}

/** The user's KRW figures and holds as GET /me/wallet shows them. */
export async function walletOf(user: TestUser): Promise<WalletView> {
  const response = await call("GET", "/api/v1/me/wallet", { token: user.token });
  expect(response.status).toBe(200);
  const krw = response.body.balances.find((b: { currency: string }) => b.currency === "KRW");
  return { available: krw?.available ?? 0, held: krw?.held ?? 0, holds: response.body.holds };
}

/** The user's three KRW figures as GET /me/wallet shows them (for orders: the pending payout too). */
export async function moneyOf(
  user: TestUser,
): Promise<{ available: number; held: number; pendingPayout: number }> {
  const wallet = await call("GET", "/api/v1/me/wallet", { token: user.token });
  const krw = wallet.body.balances.find((b: { currency: string }) => b.currency === "KRW");
  return { available: krw?.available ?? 0, held: krw?.held ?? 0, pendingPayout: krw?.pendingPayout ?? 0 };
}

/** Hands the room's whole outbox to the broker, as the queue would (redelivery is harmless). */
export async function runBroker(auctionId: string): Promise<void> {
  const events = await storedEvents(auctionId);
  const batch = createMessageBatch(
    "auction-events",
    events.map((e) => ({ id: `${auctionId}-${e.seq}`, timestamp: new Date(), attempts: 1, body: e.body })),
  );
  await worker.queue(batch, env);
}

/** Every invariant of SPEC §8 on the user's wallet holds. */
export async function expectHealthyWallet(user: TestUser): Promise<void> {
  expect(await env.WALLET.getByName(user.id).selfCheck(user.id)).toEqual([]);
}

let admin: TestUser | null = null;

/** Gives the user money the way an administrator does (SPEC §9: an adjustment against external). */
export async function fundByAdjustment(user: TestUser, amount: number): Promise<void> {
  admin ??= await signUpAdmin("fundadmin");
  const response = await call("POST", `/api/v1/admin/users/${user.id}/wallet/adjustments`, {
    token: admin.token,
    body: { amount, currency: "KRW", reason: "test funds" },
    headers: { "idempotency-key": `fund-${user.id}-${Math.random()}` },
  });
  expect(response.status).toBe(201);
}

/** A new user with `amount` available. */
export async function signUpWith(prefix: string, amount: number): Promise<TestUser> {
  const user = await signUp(prefix);
  if (amount > 0) await fundByAdjustment(user, amount);
  return user;
}

/** Hands a user's Wallet outbox (top-up outcomes, its ledger) to the broker, as the queue would. */
export async function runWalletBroker(...users: TestUser[]): Promise<void> {
  for (const user of users) {
    // Transfers still waiting for their flush leave now, as the wallet's alarm would send them.
    await env.WALLET.getByName(user.id).flushLedger(user.id);
    const rows = await runInDurableObject(env.WALLET.getByName(user.id), (_wallet, ctx) =>
      ctx.storage.sql
        .exec<{ seq: number; body: string }>("SELECT seq, body FROM events ORDER BY seq")
        .toArray(),
    );
    if (rows.length === 0) continue;
    const batch = createMessageBatch(
      "auction-events",
      rows.map((r) => ({
        id: `wallet-${user.id}-${r.seq}`,
        timestamp: new Date(),
        attempts: 1,
        body: r.body,
      })),
    );
    await worker.queue(batch, env);
  }
}
