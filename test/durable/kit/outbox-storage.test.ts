import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { OutboxStorage } from "../../../src/durable/kit/outbox-storage";

/** The outbox table of a fresh AuctionRoom (its schema and nothing else: no auction is created). */
async function withStorage<T>(body: (store: OutboxStorage, sql: SqlStorage) => T): Promise<T> {
  const stub = env.AUCTION_ROOM.getByName(`storage-test-${crypto.randomUUID()}`);
  return runInDurableObject(stub, (_room, ctx) => body(new OutboxStorage(ctx.storage.sql), ctx.storage.sql));
}

type Row = { seq: number; published_at: number | null; confirmed_at: number | null };
const rows = (sql: SqlStorage) =>
  sql.exec<Row>("SELECT seq, published_at, confirmed_at FROM events ORDER BY seq").toArray();

describe("outbox storage: events stay until the broker confirms them", () => {
  it("marks only the given seqs confirmed, even when an earlier one is still missing", async () => {
    const result = await withStorage((store, sql) => {
      for (let seq = 1; seq <= 4; seq++) store.insert(seq, "bid.placed", "{}", 1_000);
      store.confirm([2, 4], 3_000);
      return rows(sql);
    });
    expect(result).toEqual([
      { seq: 1, published_at: 1_000, confirmed_at: null },
      { seq: 2, published_at: 1_000, confirmed_at: 3_000 },
      { seq: 3, published_at: 1_000, confirmed_at: null },
      { seq: 4, published_at: 1_000, confirmed_at: 3_000 },
    ]);
  });

  it("keeps the first confirmation time when a redelivered event is confirmed again", async () => {
    const result = await withStorage((store, sql) => {
      store.insert(1, "bid.placed", "{}", 1_000);
      store.confirm([1], 3_000);
      store.confirm([1], 9_000);
      return rows(sql);
    });
    expect(result).toEqual([{ seq: 1, published_at: 1_000, confirmed_at: 3_000 }]);
  });

  it("counts a new event as sent at its commit and hands it out for redelivery 30 s later unless confirmed, oldest first", async () => {
    const result = await withStorage((store) => {
      for (let seq = 1; seq <= 4; seq++) store.insert(seq, "bid.placed", `{"seq":${seq}}`, 2_000);
      store.insert(5, "bid.placed", '{"seq":5}', 2_001);
      store.confirm([2], 3_000);
      const due = store.dueForRedelivery(2_000 + 30_000, 100);
      const early = store.dueForRedelivery(2_000 + 29_999, 100);
      return { due: due.map((r) => [r.seq, r.publishCount]), early: early.length };
    });
    expect(result).toEqual({
      due: [
        [1, 1],
        [3, 1],
        [4, 1],
      ],
      early: 0,
    });
  });

  it("hands out the events after a seq, oldest first, and brings a failed send's redelivery forward", async () => {
    const result = await withStorage((store) => {
      for (let seq = 1; seq <= 4; seq++) store.insert(seq, "bid.placed", `{"seq":${seq}}`, 2_000);
      const after = store.after(1, 2).map((r) => r.seq);
      store.confirm([3], 2_500);
      store.redeliverAt([2, 3], 7_000);
      return {
        after,
        next: store.nextRedeliveryAt(),
        due: store.dueForRedelivery(7_000, 100).map((r) => r.seq),
      };
    });
    // seq 3 was confirmed in between: nothing to send again for it.
    expect(result).toEqual({ after: [2, 3], next: 7_000, due: [2] });
  });

  it("backs off after each redelivery and reports when the next one is due", async () => {
    const result = await withStorage((store) => {
      store.insert(1, "bid.placed", "{}", 2_000);
      store.insert(2, "bid.placed", "{}", 2_000);
      const first = store.nextRedeliveryAt();
      store.markRedelivered(store.dueForRedelivery(32_000, 1), 40_000); // only seq 1
      const afterOne = store.nextRedeliveryAt();
      store.confirm([2], 41_000);
      const afterConfirm = store.nextRedeliveryAt();
      const notYet = store.dueForRedelivery(40_000 + 59_999, 100).length;
      const again = store.dueForRedelivery(40_000 + 60_000, 100).map((r) => [r.seq, r.publishCount]);
      store.confirm([1], 50_000);
      return { first, afterOne, afterConfirm, notYet, again, none: store.nextRedeliveryAt() };
    });
    expect(result).toEqual({
      first: 32_000,
      afterOne: 32_000, // seq 2 is still due first
      afterConfirm: 100_000, // seq 1, sent twice: 60 s after its second send
      notYet: 0,
      again: [[1, 2]],
      none: null,
    });
  });

  it("never prunes an event the broker has not confirmed, and the replay log then reports the hole", async () => {
    const result = await withStorage((store, sql) => {
      for (let seq = 1; seq <= 10; seq++) store.insert(seq, "bid.placed", "{}", 1_000);
      store.confirm([1, 3, 4, 5, 6, 7, 8, 9, 10], 3_000); // seq 2 was lost
      store.prune(3);
      return {
        kept: rows(sql).map((r) => r.seq),
        fromOne: store.since(1),
        fromSeven: store.since(7)?.map((r) => r.seq),
        fromTen: store.since(10),
      };
    });
    expect(result).toEqual({
      kept: [2, 8, 9, 10],
      // seq 3–7 are gone: replaying from 1 would skip them silently, so the caller gets null (a snapshot).
      fromOne: null,
      fromSeven: [8, 9, 10],
      fromTen: [],
    });
  });
});
