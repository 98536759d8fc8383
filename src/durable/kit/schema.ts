/**
 * A Durable Object's SQLite schema, versioned. The object lists its steps (version 1, 2, 3, …);
 * `ensure()` runs those after the stored version, each step together with its new version number
 * in one transaction (an ALTER TABLE cannot simply run twice, so a step must never half-apply).
 * When the stored version already matches — every wake of an object after the first — no DDL
 * runs at all: one read of sqlite_master and one of the version.
 *
 * Evolving a schema = appending a step. A step that shipped never changes: rooms created before
 * it exist at its version. The version lives in a `meta (key, value)` table that objects also use
 * for their own small values (readMeta / writeMeta).
 */

export interface SchemaStep {
  version: number;
  statements: readonly string[];
}

const META_TABLE = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)";
const VERSION_KEY = "schema_version";

export function readMeta(sql: SqlStorage, key: string): string | null {
  const row = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
  return row?.value ?? null;
}

export function writeMeta(sql: SqlStorage, key: string, value: string): void {
  sql.exec(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    key,
    value,
  );
}

export class SqliteSchema {
  private ready = false;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly steps: readonly SchemaStep[],
  ) {
    steps.forEach((step, i) => {
      if (step.version !== i + 1) {
        throw new Error(`schema step ${i + 1} must be version ${i + 1}, not ${step.version}`);
      }
    });
  }

  /** Brings the database to the latest version; a no-op after the first call on this instance. */
  ensure(): void {
    if (this.ready) return;
    const sql = this.storage.sql;
    const current = this.exists() ? Number(readMeta(sql, VERSION_KEY) ?? 0) : 0;
    if (current < this.steps.length) {
      sql.exec(META_TABLE);
      for (const step of this.steps.slice(current)) {
        this.storage.transactionSync(() => {
          for (const statement of step.statements) sql.exec(statement);
          writeMeta(sql, VERSION_KEY, String(step.version));
        });
      }
    }
    this.ready = true;
  }

  /**
   * Whether this object ever stored a schema. Reads sqlite_master and creates nothing, so an
   * object that only needs storage for some users can ask without giving everyone a database.
   */
  exists(): boolean {
    if (this.ready) return true;
    return (
      this.storage.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").toArray()
        .length > 0
    );
  }
}
