import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { AuctionRoom } from "../../../src/durable/auction-room";
import type { PlaceBidRequest, StoredReply } from "../../../src/durable/auction-room/results";
import type { AuctionState } from "../../../src/durable/auction-room/state";
import { withFunds } from "../../../src/worker/funds/with-funds";

export function roomStub(auctionId: string) {
  return env.AUCTION_ROOM.getByName(auctionId);
}

/**
 * Time travel for lifecycle tests: rewrites the stored state (e.g. moves endsAt into the past)
 * instead of faking clocks, so the room runs its real code against a real "now".
 */
export async function editState(auctionId: string, edit: (state: AuctionState) => void): Promise<void> {
  await runInDurableObject(roomStub(auctionId), (_instance, ctx) => {
    const row = ctx.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'state'").one();
    const state = JSON.parse(row.value) as AuctionState;
    edit(state);
    ctx.storage.sql.exec("UPDATE meta SET value = ? WHERE key = 'state'", JSON.stringify(state));
  });
  // The room keeps its parsed state in memory; a restart makes it read the edited row.
  await evictDurableObject(roomStub(auctionId));
}

/** Stops the room's clock at `at` (epoch ms) until set again or the object is evicted. */
export async function setRoomClock(auctionId: string, at: number): Promise<void> {
  await runInDurableObject(roomStub(auctionId), (instance: AuctionRoom) => {
    instance.clock = () => at;
  });
}

export type StoredEvent = {
  seq: number;
  type: string;
  body: string;
  published_at: number | null;
  confirmed_at: number | null;
  publish_count: number;
};

export async function storedEvents(auctionId: string): Promise<StoredEvent[]> {
  return runInDurableObject(roomStub(auctionId), (_instance, ctx) =>
    ctx.storage.sql
      .exec<StoredEvent>(
        "SELECT seq, type, body, published_at, confirmed_at, publish_count FROM events ORDER BY seq",
      )
      .toArray(),
  );
}

const fundedUsers = new Set<string>();

/**
 * Gives a user money on their Wallet as an administrator's adjustment does (once per user per
 * test file: plenty for any room test), so bids can reserve what they commit.
 */
export async function fundWallet(userId: string, amount = 1_000_000_000): Promise<void> {
  if (fundedUsers.has(userId)) return;
  const adjusted = await env.WALLET.getByName(userId).adjust(userId, {
    adjustmentId: `room-test-funds-${userId}`,
    amount,
    currency: "KRW",
  });
  if (!adjusted.ok) throw new Error(`could not fund ${userId}: ${adjusted.code}`);
  fundedUsers.add(userId);
}

/**
 * A bid straight to the room the way the worker sends one when bids require funds: the bidder's
 * commitment reserved on their (funded) Wallet first, through the worker's own funds step.
 */
export async function fundedPlaceBid(
  auctionId: string,
  request: Omit<PlaceBidRequest, "hold">,
): Promise<StoredReply> {
  await fundWallet(request.bidderId);
  const { amount, maxAmount } = request;
  return withFunds({
    env,
    userId: request.bidderId,
    auctionId,
    purpose: "bid",
    commitment: amount === null && maxAmount === null ? null : Math.max(amount ?? 0, maxAmount ?? 0),
    movedCode: "BID_TOO_LOW",
    send: (hold) => roomStub(auctionId).placeBid({ ...request, hold }),
  });
}

/** Waits (through the room, not a sleep) until the broker has confirmed every stored event. */
export async function untilAllConfirmed(auctionId: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const events = await storedEvents(auctionId);
    if (events.length > 0 && events.every((e) => e.confirmed_at !== null)) return events;
    await runInDurableObject(roomStub(auctionId), () => scheduler.wait(25));
  }
  throw new Error(`events of ${auctionId} not confirmed: ${JSON.stringify(await storedEvents(auctionId))}`);
}
