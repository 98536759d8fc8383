import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RoomStorage } from "../../src/durable/room-storage";
import { roomStub } from "./room-helpers";

/** A room's storage with nothing in it but the schema (no auction is created). */
async function withStorage<T>(body: (store: RoomStorage, sql: SqlStorage) => T): Promise<T> {
  const name = `storage-test-${crypto.randomUUID()}`;
  return runInDurableObject(roomStub(name), (_room, ctx) =>
    body(new RoomStorage(ctx.storage), ctx.storage.sql),
  );
}

type Row = { seq: number; published_at: number | null; confirmed_at: number | null };
const rows = (sql: SqlStorage) =>
  sql.exec<Row>("SELECT seq, published_at, confirmed_at FROM events ORDER BY seq").toArray();

describe("room storage: the outbox keeps events until the broker confirms them", () => {
  it("marks only the given seqs confirmed, even when an earlier one is still missing", async () => {
    const result = await withStorage((store, sql) => {
      for (let seq = 1; seq <= 4; seq++) store.insertEvent(seq, "bid.placed", "{}", 1_000);
      store.markPublishedThrough(4, 2_000);
      store.confirmEvents([2, 4], 3_000);
      return rows(sql);
    });
    expect(result).toEqual([
      { seq: 1, published_at: 2_000, confirmed_at: null },
      { seq: 2, published_at: 2_000, confirmed_at: 3_000 },
      { seq: 3, published_at: 2_000, confirmed_at: null },
      { seq: 4, published_at: 2_000, confirmed_at: 3_000 },
    ]);
  });

  it("keeps the first confirmation time when a redelivered event is confirmed again", async () => {
    const result = await withStorage((store, sql) => {
      store.insertEvent(1, "bid.placed", "{}", 1_000);
      store.markPublishedThrough(1, 2_000);
      store.confirmEvents([1], 3_000);
      store.confirmEvents([1], 9_000);
      return rows(sql);
    });
    expect(result).toEqual([{ seq: 1, published_at: 2_000, confirmed_at: 3_000 }]);
  });

  it("hands out for redelivery only published, unconfirmed events whose time has come, oldest first", async () => {
    const result = await withStorage((store) => {
      for (let seq = 1; seq <= 5; seq++) store.insertEvent(seq, "bid.placed", `{"seq":${seq}}`, 1_000);
      store.markPublishedThrough(4, 2_000); // 5 stays unpublished: the outbox path sends it, not this one
      store.confirmEvents([2], 3_000);
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

  it("backs off after each redelivery and reports when the next one is due", async () => {
    const result = await withStorage((store) => {
      store.insertEvent(1, "bid.placed", "{}", 1_000);
      store.insertEvent(2, "bid.placed", "{}", 1_000);
      store.markPublishedThrough(2, 2_000);
      const first = store.nextRedeliveryAt();
      store.markRedelivered(store.dueForRedelivery(32_000, 1), 40_000); // only seq 1
      const afterOne = store.nextRedeliveryAt();
      store.confirmEvents([2], 41_000);
      const afterConfirm = store.nextRedeliveryAt();
      const notYet = store.dueForRedelivery(40_000 + 59_999, 100).length;
      const again = store.dueForRedelivery(40_000 + 60_000, 100).map((r) => [r.seq, r.publishCount]);
      store.confirmEvents([1], 50_000);
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
      for (let seq = 1; seq <= 10; seq++) store.insertEvent(seq, "bid.placed", "{}", 1_000);
      store.markPublishedThrough(10, 2_000);
      store.confirmEvents([1, 3, 4, 5, 6, 7, 8, 9, 10], 3_000); // seq 2 was lost
      store.pruneEvents(3);
      return {
        kept: rows(sql).map((r) => r.seq),
        fromOne: store.eventsSince(1),
        fromSeven: store.eventsSince(7)?.map((r) => r.seq),
        fromTen: store.eventsSince(10),
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

  it("migrates a version-1 room: events it had published count as confirmed; schedules get a table", async () => {
    const result = await withStorage((store, sql) => {
      // Rebuild the version-1 events table, as a room created before this change has it.
      sql.exec("DROP TABLE events");
      sql.exec("DROP TABLE schedules");
      sql.exec(`CREATE TABLE events (
        seq INTEGER PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL,
        created_at INTEGER NOT NULL, published_at INTEGER)`);
      sql.exec("INSERT INTO events (seq, type, body, created_at, published_at) VALUES (1, 'a', '{}', 1, 5)");
      sql.exec(
        "INSERT INTO events (seq, type, body, created_at, published_at) VALUES (2, 'a', '{}', 1, NULL)",
      );
      store.setMeta("schema_version", "1");
      store.migrate();
      return {
        version: store.getMeta("schema_version"),
        rows: rows(sql),
        due: store.dueForRedelivery(Number.MAX_SAFE_INTEGER, 10).length,
        schedules: sql.exec("SELECT COUNT(*) AS n FROM schedules").one().n,
      };
    });
    expect(result).toEqual({
      version: "3",
      schedules: 0,
      rows: [
        { seq: 1, published_at: 5, confirmed_at: 5 },
        { seq: 2, published_at: null, confirmed_at: null },
      ],
      due: 0,
    });
  });
});
