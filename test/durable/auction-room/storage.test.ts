import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RoomStorage } from "../../../src/durable/auction-room/storage";
import { OutboxStorage } from "../../../src/durable/kit/outbox-storage";
import { roomStub } from "./helpers";

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

describe("room storage: schema versions", () => {
  it("migrates a version-1 room: events it had published count as confirmed, one never sent is due again; schedules, settled reservations and second-chance offers get tables", async () => {
    const result = await withStorage((store, sql) => {
      // Rebuild the version-1 events table, as a room created before this change has it.
      sql.exec("DROP TABLE events");
      sql.exec("DROP TABLE schedules");
      sql.exec("DROP TABLE settled_reservations");
      sql.exec("DROP TABLE second_chance_offers");
      sql.exec(`CREATE TABLE events (
        seq INTEGER PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL,
        created_at INTEGER NOT NULL, published_at INTEGER)`);
      sql.exec("CREATE INDEX events_unpublished ON events (seq) WHERE published_at IS NULL");
      sql.exec("INSERT INTO events (seq, type, body, created_at, published_at) VALUES (1, 'a', '{}', 1, 5)");
      sql.exec(
        "INSERT INTO events (seq, type, body, created_at, published_at) VALUES (2, 'a', '{}', 1, NULL)",
      );
      store.setMeta("schema_version", "1");
      store.migrate();
      return {
        version: store.getMeta("schema_version"),
        rows: rows(sql),
        due: new OutboxStorage(sql).dueForRedelivery(Number.MAX_SAFE_INTEGER, 10).length,
        schedules: sql.exec("SELECT COUNT(*) AS n FROM schedules").one().n,
        settled: sql.exec("SELECT COUNT(*) AS n FROM settled_reservations").one().n,
        offers: sql.exec("SELECT COUNT(*) AS n FROM second_chance_offers").one().n,
        unsentIndex: sql
          .exec(
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND name = 'events_unpublished'",
          )
          .one().n,
      };
    });
    expect(result).toEqual({
      version: "7",
      schedules: 0,
      settled: 0,
      offers: 0,
      rows: [
        { seq: 1, published_at: 5, confirmed_at: 5 },
        // Never sent under the old outbox: due for redelivery, which the next alarm sends.
        { seq: 2, published_at: 1, confirmed_at: null },
      ],
      due: 1,
      unsentIndex: 0,
    });
  });
});
