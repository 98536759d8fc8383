import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readMeta, type SchemaStep, SqliteSchema } from "../../../src/durable/kit/schema";

/**
 * Runs `body` against the storage of a Durable Object that has never stored anything: a UserHub
 * only creates tables when a ticket is issued, so a fresh one has an empty database.
 */
function withEmptyStorage<T>(body: (storage: DurableObjectStorage) => T): Promise<T> {
  const stub = env.USER_HUB.getByName(`usr_schema_${crypto.randomUUID().slice(0, 8)}`);
  return runInDurableObject(stub, (_hub, ctx) => body(ctx.storage));
}

const tables = (sql: SqlStorage) =>
  sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .toArray()
    .map((r) => r.name);

/** Each step logs that it ran, so a test sees which steps ran and how often. */
const V1: SchemaStep = {
  version: 1,
  statements: [
    "CREATE TABLE ran (step INTEGER NOT NULL)",
    "CREATE TABLE notes (id INTEGER PRIMARY KEY)",
    "INSERT INTO ran VALUES (1)",
  ],
};
// ALTER TABLE cannot run twice: running this step again would throw.
const V2: SchemaStep = {
  version: 2,
  statements: ["ALTER TABLE notes ADD COLUMN body TEXT", "INSERT INTO ran VALUES (2)"],
};

const ranSteps = (sql: SqlStorage) =>
  sql
    .exec<{ step: number }>("SELECT step FROM ran ORDER BY rowid")
    .toArray()
    .map((r) => r.step);

describe("SqliteSchema", () => {
  it("brings an empty database to the latest version, each step once, in order", async () => {
    const result = await withEmptyStorage((storage) => {
      new SqliteSchema(storage, [V1, V2]).ensure();
      return { ran: ranSteps(storage.sql), version: readMeta(storage.sql, "schema_version") };
    });
    expect(result).toEqual({ ran: [1, 2], version: "2" });
  });

  it("skips every step when the stored version matches, also from a new instance (a woken object)", async () => {
    const ran = await withEmptyStorage((storage) => {
      new SqliteSchema(storage, [V1, V2]).ensure();
      new SqliteSchema(storage, [V1, V2]).ensure();
      const same = new SqliteSchema(storage, [V1, V2]);
      same.ensure();
      same.ensure();
      return ranSteps(storage.sql);
    });
    expect(ran).toEqual([1, 2]);
  });

  it("runs only the steps after the stored version", async () => {
    const result = await withEmptyStorage((storage) => {
      new SqliteSchema(storage, [V1]).ensure();
      storage.sql.exec("INSERT INTO notes (id) VALUES (7)");
      new SqliteSchema(storage, [V1, V2]).ensure();
      return {
        ran: ranSteps(storage.sql),
        notes: storage.sql.exec("SELECT id, body FROM notes").toArray(),
        version: readMeta(storage.sql, "schema_version"),
      };
    });
    expect(result).toEqual({ ran: [1, 2], notes: [{ id: 7, body: null }], version: "2" });
  });

  it("rolls a failing step back with its version number, so the next wake tries it again whole", async () => {
    const result = await withEmptyStorage((storage) => {
      new SqliteSchema(storage, [V1]).ensure();
      const broken: SchemaStep = {
        version: 2,
        statements: ["ALTER TABLE notes ADD COLUMN body TEXT", "INSERT INTO no_such_table VALUES (1)"],
      };
      let error = "";
      try {
        new SqliteSchema(storage, [V1, broken]).ensure();
      } catch (e) {
        error = String(e);
      }
      const versionAfterFailure = readMeta(storage.sql, "schema_version");
      new SqliteSchema(storage, [V1, V2]).ensure();
      return { error, versionAfterFailure, ran: ranSteps(storage.sql) };
    });
    expect(result).toEqual({
      error: expect.stringContaining("no_such_table"),
      versionAfterFailure: "1",
      ran: [1, 2],
    });
  });

  it("tells whether a schema was ever stored without creating anything", async () => {
    const result = await withEmptyStorage((storage) => {
      const schema = new SqliteSchema(storage, [V1]);
      const before = schema.exists();
      const tablesBefore = tables(storage.sql);
      schema.ensure();
      return {
        before,
        tablesBefore,
        after: schema.exists(),
        fresh: new SqliteSchema(storage, [V1]).exists(),
      };
    });
    expect(result).toEqual({ before: false, tablesBefore: [], after: true, fresh: true });
  });

  it("refuses steps that are not numbered 1, 2, 3, …", () => {
    expect(() => new SqliteSchema({} as DurableObjectStorage, [V2])).toThrow(/version 1/);
    expect(() => new SqliteSchema({} as DurableObjectStorage, [V1, V1])).toThrow(/version 2/);
  });
});
