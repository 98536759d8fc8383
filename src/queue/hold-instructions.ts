import type { RoomInstruction } from "../durable/money";
import type { AuctionEvent } from "./events";

/**
 * Hands the rooms' word on holds (SPEC §8: an outbid leader's hold is voided, a sold one lowered
 * to the price, a cancelled auction's released) to each user's Wallet: one call per user per batch.
 * Wallets ignore what they already applied, so a redelivered event changes nothing; a failed call
 * fails the batch, which the queue retries.
 */
export async function tellWallets(env: Env, events: readonly AuctionEvent[]): Promise<void> {
  const byUser = new Map<string, RoomInstruction[]>();
  for (const event of events) {
    for (const { userId, keep, settledUpTo } of event.holds ?? []) {
      const instruction = { auctionId: event.auctionId, seq: event.seq, keep, settledUpTo, settles: null };
      byUser.set(userId, [...(byUser.get(userId) ?? []), instruction]);
    }
  }
  const calls = [...byUser];
  const results = await Promise.allSettled(
    calls.map(([userId, instructions]) => env.WALLET.getByName(userId).followRoom(userId, instructions)),
  );
  const failed = calls.filter((_, i) => results[i]?.status === "rejected").map(([userId]) => userId);
  if (failed.length > 0)
    throw new Error(`hold instructions not delivered to the wallets of ${failed.join(", ")}`);
}
