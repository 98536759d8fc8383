import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AlarmScheduler } from "../../../src/durable/kit/alarm-scheduler";
import { IdempotentReplies } from "../../../src/durable/kit/idempotent-replies";

const HOUR = 3_600_000;

/** An AuctionRoom's storage with its schema and nothing else (no auction is created). */
function withReplies<T>(body: (replies: IdempotentReplies, sql: SqlStorage) => T): Promise<T> {
  const stub = env.AUCTION_ROOM.getByName(`replies-test-${crypto.randomUUID()}`);
  return runInDurableObject(stub, (_room, ctx) =>
    body(new IdempotentReplies(ctx.storage.sql, { retentionMs: 48 * HOUR }), ctx.storage.sql),
  );
}

describe("idempotent replies", () => {
  it("finds the saved reply for the same key and request, and nothing for an unknown key", async () => {
    const result = await withReplies((replies) => {
      replies.save("bid:usr_a:k1", "hash-1", '{"ok":true,"body":"{}"}', 1_000);
      return {
        same: replies.find("bid:usr_a:k1", "hash-1"),
        unknown: replies.find("bid:usr_a:k2", "hash-1"),
      };
    });
    expect(result).toEqual({ same: { reply: '{"ok":true,"body":"{}"}' }, unknown: null });
  });

  it("refuses the same key with a different request as IDEMPOTENCY_KEY_REUSED", async () => {
    const result = await withReplies((replies) => {
      replies.save("bid:usr_a:k1", "hash-1", "{}", 1_000);
      return replies.find("bid:usr_a:k1", "hash-2");
    });
    expect(result).toEqual({
      ok: false,
      code: "IDEMPOTENCY_KEY_REUSED",
      detail: "This Idempotency-Key was already used with a different request body.",
    });
  });

  it("prunes replies older than the retention and keeps younger ones", async () => {
    const result = await withReplies((replies) => {
      const now = 100 * HOUR;
      replies.save("old", "h", "{}", now - 48 * HOUR - 1);
      replies.save("edge", "h", "{}", now - 48 * HOUR);
      replies.save("young", "h", "{}", now - HOUR);
      replies.prune(now);
      return ["old", "edge", "young"].map((key) => replies.find(key, "h") !== null);
    });
    expect(result).toEqual([false, true, true]);
  });

  it("says when the oldest kept reply falls out of retention (the first moment it is older), or null when none is kept", async () => {
    const result = await withReplies((replies) => {
      const none = replies.oldestExpiresAt();
      replies.save("b", "h", "{}", 5 * HOUR);
      replies.save("a", "h", "{}", 2 * HOUR);
      return { none, oldest: replies.oldestExpiresAt() };
    });
    expect(result).toEqual({ none: null, oldest: 50 * HOUR + 1 });
  });
});

describe("idempotent replies: pruning on a schedule", () => {
  it("is due when the oldest reply falls out of retention; the run prunes and waits for the next, at least an hour", async () => {
    const stub = env.AUCTION_ROOM.getByName(`replies-test-${crypto.randomUUID()}`);
    // A month ahead, so the real alarm this sets never fires during the test.
    const T = Date.now() + 30 * 24 * HOUR;
    const result = await runInDurableObject(stub, async (_room, ctx) => {
      const clock = { now: T };
      const scheduler = new AlarmScheduler(ctx.storage, { clock: () => clock.now });
      const replies = new IdempotentReplies(ctx.storage.sql, { retentionMs: 48 * HOUR, scheduler });
      const due = () => (scheduler.get("replies.prune")?.dueAt ?? T) - T;
      replies.save("first", "h", "{}", T);
      const afterFirst = due();
      replies.save("second", "h", "{}", T + 10 * 60_000);
      const afterSecond = due();
      clock.now = T + 48 * HOUR + 1;
      await scheduler.run();
      const kept = ["first", "second"].map((key) => replies.find(key, "h") !== null);
      const next = due();
      clock.now = T + 49 * HOUR + 1;
      await scheduler.run();
      return { afterFirst, afterSecond, kept, next, last: scheduler.get("replies.prune") };
    });
    expect(result).toEqual({
      afterFirst: 48 * HOUR + 1, // the first moment it is older than the retention
      afterSecond: 48 * HOUR + 1, // the earlier one stays
      kept: [false, true],
      next: 49 * HOUR + 1, // "second" expires 10 min later, but pruning waits an hour
      last: null,
    });
  });
});
