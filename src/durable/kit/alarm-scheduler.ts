/**
 * How a Durable Object schedules its next wake-up. An object has one alarm; it may need many
 * wake-ups (an auction's opening, its "ending soon", its close, an outbox retry, a prune). Each is
 * a row in the `schedules` table — (key, handler name, due time, optional payload) — and the one
 * alarm is set to the earliest row. When it fires, `run()` calls the handler of every row that is
 * due, oldest first, and sets the alarm to whatever is next (or deletes it).
 *
 * - Whoever needs a wake-up writes its row with `set` (synchronous, so it commits in the same
 *   transaction as the change that needs it), then calls `wake()` after the transaction: the
 *   alarm only ever moves earlier there, so a busy object rarely touches it.
 * - Setting a key again replaces its row (an auction's end moved by soft close); `keepEarlier`
 *   keeps an earlier one instead (an outbox retry: the first pending one wins).
 * - Delivery is at least once: a row is deleted after its handler returns, so a crash mid-handler
 *   runs it again. Handlers must therefore be idempotent, and should check the object's state
 *   rather than trust the row: the row says when to look, the state says what to do.
 * - A handler that throws is tried again `retryAfterMs` later; the other due rows still run. A row
 *   whose handler no longer exists (a deploy removed it) is dropped.
 *
 * The model is that of cloudflare/agents' schedules; this one has no cron, and keys let an object
 * keep one row per thing (e.g. one per hold) under one handler.
 */

/** The table, for an object's schema step. */
export const SCHEDULES_TABLE: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS schedules (
    key TEXT PRIMARY KEY, handler TEXT NOT NULL, due_at INTEGER NOT NULL, payload TEXT)`,
  "CREATE INDEX IF NOT EXISTS schedules_due ON schedules (due_at)",
];

export interface Schedule {
  key: string;
  handler: string;
  /** Epoch ms. */
  dueAt: number;
  payload: string | null;
}

export type ScheduleHandler = (schedule: Schedule) => void | Promise<void>;

export interface SetOptions {
  /** The row's key; defaults to the handler's name (one row per handler). */
  key?: string;
  payload?: string | null;
  /** Keep an existing row that is due earlier instead of replacing it. */
  keepEarlier?: boolean;
}

export interface AlarmSchedulerOptions {
  clock: () => number;
  /** How long after a failed handler it is tried again. */
  retryAfterMs?: number;
}

export type AlarmChange = { set: number } | { delete: true } | null;

/**
 * What to do with the alarm (`current`) given the earliest schedule (`next`). Outside the alarm
 * (`exact` false) it only moves earlier: an early wake costs one `run()` that finds nothing due,
 * a late one would miss a deadline. After the alarm ran, it is set to exactly what is next.
 */
export function alarmChange(current: number | null, next: number | null, exact: boolean): AlarmChange {
  if (next === null) return exact && current !== null ? { delete: true } : null;
  if (current === next) return null;
  if (exact || current === null || current > next) return { set: next };
  return null;
}

type Row = { key: string; handler: string; due_at: number; payload: string | null };
const toSchedule = (row: Row): Schedule => ({
  key: row.key,
  handler: row.handler,
  dueAt: row.due_at,
  payload: row.payload,
});

export class AlarmScheduler {
  private readonly sql: SqlStorage;
  private readonly handlers = new Map<string, ScheduleHandler>();
  /** Alarm updates run one after another, each reading the table when its turn comes. */
  private alarmUpdates: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly options: AlarmSchedulerOptions,
  ) {
    this.sql = storage.sql;
  }

  /** The object's clock, as the scheduler sees it (handlers use it for "now"). */
  now(): number {
    return this.options.clock();
  }

  /** Registers the handler rows named `handler` run. */
  handle(handler: string, run: ScheduleHandler): void {
    this.handlers.set(handler, run);
  }

  set(handler: string, dueAt: number, options: SetOptions = {}): void {
    const keep = options.keepEarlier ? "WHERE excluded.due_at < schedules.due_at" : "";
    this.sql.exec(
      `INSERT INTO schedules (key, handler, due_at, payload) VALUES (?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET handler = excluded.handler, due_at = excluded.due_at,
         payload = excluded.payload ${keep}`,
      options.key ?? handler,
      handler,
      dueAt,
      options.payload ?? null,
    );
  }

  cancel(key: string): void {
    this.sql.exec("DELETE FROM schedules WHERE key = ?", key);
  }

  get(key: string): Schedule | null {
    const row = this.sql
      .exec<Row>("SELECT key, handler, due_at, payload FROM schedules WHERE key = ?", key)
      .toArray()[0];
    return row ? toSchedule(row) : null;
  }

  /** Every schedule, soonest first. */
  list(): Schedule[] {
    return this.sql
      .exec<Row>("SELECT key, handler, due_at, payload FROM schedules ORDER BY due_at, key")
      .toArray()
      .map(toSchedule);
  }

  nextDueAt(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT MIN(due_at) AS at FROM schedules").one().at;
  }

  /** After writing schedules outside the alarm: makes sure the alarm fires by the earliest. */
  wake(): Promise<void> {
    return this.updateAlarm(false);
  }

  /** The object's alarm(): runs every due schedule once, then sets the alarm to the next one. */
  async run(): Promise<void> {
    const now = this.now();
    const due = this.sql
      .exec<Row>(
        "SELECT key, handler, due_at, payload FROM schedules WHERE due_at <= ? ORDER BY due_at, key",
        now,
      )
      .toArray()
      .map(toSchedule);
    for (const schedule of due) {
      const handler = this.handlers.get(schedule.handler);
      if (!handler) {
        this.log("schedule dropped: no handler", schedule);
        this.cancelIfUnchanged(schedule);
        continue;
      }
      try {
        await handler(schedule);
        this.cancelIfUnchanged(schedule);
      } catch (error) {
        this.log("scheduled handler failed", schedule, error);
        // Only if the handler did not reschedule itself before failing.
        this.sql.exec(
          "UPDATE schedules SET due_at = ? WHERE key = ? AND due_at = ? AND payload IS ?",
          this.options.clock() + (this.options.retryAfterMs ?? 5_000),
          schedule.key,
          schedule.dueAt,
          schedule.payload,
        );
      }
    }
    await this.updateAlarm(true);
  }

  /** Deletes the row unless its handler set it again (a new time or payload). */
  private cancelIfUnchanged(schedule: Schedule): void {
    this.sql.exec(
      "DELETE FROM schedules WHERE key = ? AND due_at = ? AND payload IS ?",
      schedule.key,
      schedule.dueAt,
      schedule.payload,
    );
  }

  private updateAlarm(exact: boolean): Promise<void> {
    const update = this.alarmUpdates.then(async () => {
      const change = alarmChange(await this.storage.getAlarm(), this.nextDueAt(), exact);
      if (change === null) return;
      if ("set" in change) await this.storage.setAlarm(change.set);
      else await this.storage.deleteAlarm();
    });
    this.alarmUpdates = update.catch(() => {});
    return update;
  }

  private log(message: string, schedule: Schedule, error?: unknown): void {
    console.error(
      JSON.stringify({
        level: "warn",
        message,
        key: schedule.key,
        handler: schedule.handler,
        ...(error === undefined ? {} : { error: String(error) }),
      }),
    );
  }
}
