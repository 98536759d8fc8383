import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AlarmScheduler, alarmChange, type Schedule } from "../../../src/durable/kit/alarm-scheduler";

describe("alarmChange (which way the one alarm moves)", () => {
  it("outside the alarm only ever moves it earlier, so a busy object rarely touches it", () => {
    expect(alarmChange(null, 100, false)).toEqual({ set: 100 });
    expect(alarmChange(200, 100, false)).toEqual({ set: 100 });
    expect(alarmChange(100, 200, false)).toBeNull();
    expect(alarmChange(100, 100, false)).toBeNull();
    expect(alarmChange(100, null, false)).toBeNull();
    expect(alarmChange(null, null, false)).toBeNull();
  });

  it("after the alarm ran, sets it exactly to what is next, or deletes it", () => {
    expect(alarmChange(100, 200, true)).toEqual({ set: 200 });
    expect(alarmChange(200, 100, true)).toEqual({ set: 100 });
    expect(alarmChange(100, 100, true)).toBeNull();
    expect(alarmChange(100, null, true)).toEqual({ delete: true });
    expect(alarmChange(null, null, true)).toBeNull();
  });
});

/**
 * A scheduler on a fresh AuctionRoom's storage (its schema has the schedules table; no auction is
 * created). Times are a month ahead so the real alarm this sets never fires during the test; the
 * scheduler's clock is the test's.
 */
const T = Date.now() + 30 * 24 * 3_600_000;

async function withScheduler<T>(
  body: (scheduler: AlarmScheduler, ctx: DurableObjectState, clock: { now: number }) => Promise<T>,
): Promise<T> {
  const stub = env.AUCTION_ROOM.getByName(`scheduler-test-${crypto.randomUUID()}`);
  return runInDurableObject(stub, (_room, ctx) => {
    const clock = { now: T };
    const scheduler = new AlarmScheduler(ctx.storage, { clock: () => clock.now, retryAfterMs: 5_000 });
    return body(scheduler, ctx, clock);
  });
}

const rows = (scheduler: AlarmScheduler) => scheduler.list().map((s) => [s.key, s.dueAt - T]);

describe("AlarmScheduler", () => {
  it("sets the object's one alarm to the earliest schedule", async () => {
    const alarms = await withScheduler(async (scheduler, ctx) => {
      scheduler.set("a", T + 300);
      scheduler.set("b", T + 100);
      scheduler.set("c", T + 200);
      await scheduler.wake();
      const first = await ctx.storage.getAlarm();
      scheduler.set("d", T + 50);
      await scheduler.wake();
      const earlier = await ctx.storage.getAlarm();
      return [first, earlier].map((at) => (at === null ? null : at - T));
    });
    expect(alarms).toEqual([100, 50]);
  });

  it("runs the due schedules once each, oldest first, by handler name, then waits for the next", async () => {
    const result = await withScheduler(async (scheduler, ctx, clock) => {
      const ran: string[] = [];
      const record = (s: Schedule) => {
        ran.push(`${s.handler}:${s.key}:${s.payload}`);
      };
      scheduler.handle("ping", record);
      scheduler.handle("pong", record);
      scheduler.set("pong", T + 200);
      scheduler.set("ping", T + 100, { key: "ping:1", payload: "one" });
      scheduler.set("ping", T + 300, { key: "ping:2", payload: "two" });
      clock.now = T + 250;
      await scheduler.run();
      const afterFirst = [...ran];
      await scheduler.run();
      return {
        afterFirst,
        afterSecond: ran,
        left: rows(scheduler),
        alarm: (await ctx.storage.getAlarm()) ?? 0,
      };
    });
    expect(result).toEqual({
      afterFirst: ["ping:ping:1:one", "pong:pong:null"],
      afterSecond: ["ping:ping:1:one", "pong:pong:null"],
      left: [["ping:2", 300]],
      alarm: T + 300,
    });
  });

  it("replaces a schedule set again under the same key; keepEarlier keeps an earlier one", async () => {
    const result = await withScheduler(async (scheduler, _ctx, clock) => {
      let runs = 0;
      scheduler.handle("close", () => {
        runs++;
      });
      scheduler.set("close", T + 100);
      scheduler.set("close", T + 500); // the end moved later (soft close)
      const replaced = rows(scheduler);
      clock.now = T + 200;
      await scheduler.run();
      const runsAtOldTime = runs;
      scheduler.set("close", T + 900, { keepEarlier: true });
      const kept = rows(scheduler);
      scheduler.set("close", T + 400, { keepEarlier: true });
      const moved = rows(scheduler);
      clock.now = T + 400;
      await scheduler.run();
      return { replaced, runsAtOldTime, kept, moved, runs, left: rows(scheduler) };
    });
    expect(result).toEqual({
      replaced: [["close", 500]],
      runsAtOldTime: 0,
      kept: [["close", 500]],
      moved: [["close", 400]],
      runs: 1,
      left: [],
    });
  });

  it("keeps what a handler schedules for itself, and deletes the alarm once nothing is left", async () => {
    const result = await withScheduler(async (scheduler, ctx, clock) => {
      let ticks = 0;
      scheduler.handle("tick", () => {
        ticks++;
        if (ticks < 2) scheduler.set("tick", clock.now + 1_000);
      });
      scheduler.set("tick", T + 10);
      clock.now = T + 10;
      await scheduler.run();
      const again = rows(scheduler);
      const alarm = await ctx.storage.getAlarm();
      clock.now = T + 1_010;
      await scheduler.run();
      return {
        ticks,
        again,
        alarm: (alarm ?? 0) - T,
        after: rows(scheduler),
        end: await ctx.storage.getAlarm(),
      };
    });
    expect(result).toEqual({ ticks: 2, again: [["tick", 1_010]], alarm: 1_010, after: [], end: null });
  });

  it("tries a failing handler again after retryAfterMs and still runs the others", async () => {
    const result = await withScheduler(async (scheduler, _ctx, clock) => {
      const ran: string[] = [];
      scheduler.handle("flaky", () => {
        ran.push("flaky");
        throw new Error("queue unavailable");
      });
      scheduler.handle("steady", () => {
        ran.push("steady");
      });
      scheduler.set("flaky", T + 1);
      scheduler.set("steady", T + 2);
      clock.now = T + 10;
      await scheduler.run();
      return { ran, left: rows(scheduler) };
    });
    expect(result).toEqual({ ran: ["flaky", "steady"], left: [["flaky", 5_010]] });
  });

  it("drops a schedule whose handler no longer exists instead of waking for it forever", async () => {
    const left = await withScheduler(async (scheduler, _ctx, clock) => {
      scheduler.set("retired.job", T + 1);
      clock.now = T + 1;
      await scheduler.run();
      return rows(scheduler);
    });
    expect(left).toEqual([]);
  });

  it("cancels a schedule; outside the alarm the alarm stays (an early wake finds nothing due)", async () => {
    const result = await withScheduler(async (scheduler, ctx) => {
      scheduler.set("a", T + 100);
      scheduler.set("b", T + 200);
      await scheduler.wake();
      scheduler.cancel("a");
      await scheduler.wake();
      const stays = await ctx.storage.getAlarm();
      await scheduler.run();
      return {
        left: rows(scheduler),
        stays: (stays ?? 0) - T,
        exact: ((await ctx.storage.getAlarm()) ?? 0) - T,
      };
    });
    expect(result).toEqual({ left: [["b", 200]], stays: 100, exact: 200 });
  });
});
