import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { type WalletEvent, WalletEventSchema, walletEventId } from "../../src/queue/events";
import worker from "../../src/worker/index";

let counter = 0;
const userId = () => {
  counter += 1;
  return `usr_walletevents${counter}${Math.random().toString(36).slice(2, 8)}`;
};

function walletEvent(user: string, seq: number, type: WalletEvent["type"]): WalletEvent {
  return WalletEventSchema.parse({
    v: 1,
    id: walletEventId(user, seq),
    userId: user,
    seq,
    occurredAt: Date.parse("2026-09-01T12:00:00.000Z"),
    type,
    topUpId: "top_aaaaaaaaaaaaaaaaaaaa",
    amount: 12_000,
    currency: "KRW",
  });
}

async function deliver(...bodies: unknown[]) {
  const messages = bodies.map((body, i) => ({
    id: `wmsg-${counter}-${i}`,
    timestamp: new Date(),
    attempts: 1,
    body: JSON.stringify(body),
  }));
  const batch = createMessageBatch("auction-events", messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

async function inboxOf(user: string) {
  const { results } = await env.DB.prepare(
    "SELECT kind, title, body, data, event_id FROM inbox_messages WHERE recipient_id = ? ORDER BY kind",
  )
    .bind(user)
    .all<{ kind: string; title: string; body: string; data: string; event_id: string }>();
  return results;
}

describe("broker: wallet events", () => {
  it("writes top_up_succeeded and top_up_failed for the wallet's owner, once per event", async () => {
    const user = userId();
    const succeeded = walletEvent(user, 1, "wallet.top_up_succeeded");
    const failed = walletEvent(user, 2, "wallet.top_up_failed");
    const result = await deliver(succeeded, failed, succeeded);
    expect(result.explicitAcks).toHaveLength(3);
    await deliver(succeeded);
    const rows = await inboxOf(user);
    expect(rows.map((r) => [r.kind, r.event_id])).toEqual([
      ["top_up_failed", `wallet:${user}:2`],
      ["top_up_succeeded", `wallet:${user}:1`],
    ]);
    expect(rows[1]?.body).toBe("12,000 KRW was added to your wallet.");
    expect(JSON.parse(rows[1]?.data ?? "{}")).toEqual({
      topUpId: "top_aaaaaaaaaaaaaaaaaaaa",
      amount: 12_000,
      currency: "KRW",
    });
  });

  it("confirms the events back to the owner's Wallet", async () => {
    const user = userId();
    const confirm = vi.fn(async (_seqs: number[]) => {});
    const wallets = {
      getByName: (name: string) => {
        expect(name).toBe(user);
        return { confirmEvents: confirm };
      },
    };
    const batch = createMessageBatch("auction-events", [
      {
        id: "wmsg-confirm",
        timestamp: new Date(),
        attempts: 1,
        body: JSON.stringify(walletEvent(user, 3, "wallet.top_up_succeeded")),
      },
    ]);
    // Only the WALLET binding is replaced, to see the call; everything else is the real env.
    await worker.queue(batch, { ...env, WALLET: wallets as unknown as Env["WALLET"] });
    expect(confirm).toHaveBeenCalledWith([3]);
  });
});
