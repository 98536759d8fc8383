import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
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

  it("says when the oldest kept reply falls out of retention, or null when none is kept", async () => {
    const result = await withReplies((replies) => {
      const none = replies.oldestExpiresAt();
      replies.save("b", "h", "{}", 5 * HOUR);
      replies.save("a", "h", "{}", 2 * HOUR);
      return { none, oldest: replies.oldestExpiresAt() };
    });
    expect(result).toEqual({ none: null, oldest: 50 * HOUR });
  });
});
