import type { OrderSideTransfer } from "../durable/money";
import type { AuctionEvent } from "./events";

/**
 * Hands each order event's money (SPEC §8) to the Wallets it concerns — the buyer's payment out
 * of their hold, the seller's pending payout, a refund — one call per wallet per batch, in the
 * events' order. Wallets apply each transfer once, so a redelivered event changes nothing; a
 * failed call (an earlier step not there yet) fails the batch, which the queue retries.
 */
export async function payWallets(env: Env, events: readonly AuctionEvent[]): Promise<void> {
  const byWallet = new Map<string, OrderSideTransfer[]>();
  const ordered = [...events].sort((a, b) => a.auctionId.localeCompare(b.auctionId) || a.seq - b.seq);
  for (const event of ordered) {
    if (!("money" in event)) continue;
    for (const { wallet, transfer } of event.money) {
      if (wallet !== null) byWallet.set(wallet, [...(byWallet.get(wallet) ?? []), transfer]);
    }
  }
  const calls = [...byWallet];
  const results = await Promise.allSettled(
    calls.map(([userId, transfers]) => env.WALLET.getByName(userId).applyOrderMoney(userId, transfers)),
  );
  const failed = calls.filter((_, i) => results[i]?.status === "rejected").map(([userId]) => userId);
  if (failed.length > 0) throw new Error(`order money not applied by the wallets of ${failed.join(", ")}`);
}
