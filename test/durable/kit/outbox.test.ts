import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AlarmScheduler } from "../../../src/durable/kit/alarm-scheduler";
import { Outbox } from "../../../src/durable/kit/outbox";
import { REDELIVERY_AFTER_MS } from "../../../src/durable/kit/outbox-rules";

/**
 * An outbox on a fresh AuctionRoom's storage (no auction is created), with a fake queue. Times are
 * a month ahead so the real alarm the scheduler sets never fires during the test.
 */
const T = Date.now() + 30 * 24 * 3_600_000;

async function withOutbox<R>(
  body: (kit: {
    outbox: Outbox;
    scheduler: AlarmScheduler;
    clock: { now: number };
    sent: string[][];
    queue: { down: boolean };
    sql: SqlStorage;
  }) => Promise<R>,
): Promise<R> {
  const stub = env.AUCTION_ROOM.getByName(`outbox-test-${crypto.randomUUID()}`);
  return runInDurableObject(stub, (_room, ctx) => {
    const clock = { now: T };
    const sent: string[][] = [];
    const queue = { down: false };
    const scheduler = new AlarmScheduler(ctx.storage, { clock: () => clock.now });
    const outbox = new Outbox(ctx.storage.sql, {
      scheduler,
      clock: () => clock.now,
      send: async (bodies) => {
        if (queue.down) throw new Error("queue unavailable");
        sent.push(bodies);
      },
      keep: 2,
      retryAfterMs: 5_000,
    });
    return body({ outbox, scheduler, clock, sent, queue, sql: ctx.storage.sql });
  });
}

const events = (...seqs: number[]) =>
  seqs.map((seq) => ({ seq, type: "thing.happened", body: `{"seq":${seq}}` }));
const due = (scheduler: AlarmScheduler) => scheduler.list().map((s) => [s.key, s.dueAt - T]);

describe("Outbox", () => {
  it("appends events due for redelivery in 30 s, sends them as they were stored right after, and waits for confirmation", async () => {
    const result = await withOutbox(async ({ outbox, scheduler, sent }) => {
      outbox.append(events(1, 2), T);
      const afterAppend = due(scheduler);
      await outbox.publish();
      outbox.schedule(T);
      return { sent, afterAppend, afterPublish: due(scheduler) };
    });
    expect(result).toEqual({
      sent: [['{"seq":1}', '{"seq":2}']],
      afterAppend: [["outbox.redeliver", REDELIVERY_AFTER_MS]],
      afterPublish: [["outbox.redeliver", REDELIVERY_AFTER_MS]],
    });
  });

  it("keeps events a failed send could not deliver, due again after retryAfterMs instead of 30 s", async () => {
    const result = await withOutbox(async ({ outbox, scheduler, clock, sent, queue }) => {
      outbox.append(events(1), T);
      queue.down = true;
      await outbox.publish();
      const afterFailure = due(scheduler);
      queue.down = false;
      clock.now = T + 5_000;
      await scheduler.run();
      return { afterFailure, sent, afterRetry: due(scheduler) };
    });
    expect(result).toEqual({
      afterFailure: [["outbox.redeliver", 5_000]],
      sent: [['{"seq":1}']],
      // Sent twice now (the failed send counted): the next wait is doubled.
      afterRetry: [["outbox.redeliver", 5_000 + 2 * REDELIVERY_AFTER_MS]],
    });
  });

  it("leaves to redelivery the events an earlier instance committed but never sent", async () => {
    const result = await withOutbox(async ({ outbox, scheduler, clock, sent, sql }) => {
      // As if the object died between the commit and the send: no publish on this instance.
      outbox.append(events(1, 2), T);
      const restarted = new Outbox(sql, {
        scheduler,
        clock: () => clock.now,
        send: async (bodies) => {
          sent.push(bodies);
        },
        keep: 2,
        retryAfterMs: 5_000,
      });
      restarted.append(events(3), T + 1_000);
      await restarted.publish();
      const firstSends = sent.map((bodies) => [...bodies]);
      clock.now = T + REDELIVERY_AFTER_MS;
      await scheduler.run();
      return { firstSends, sent };
    });
    expect(result).toEqual({
      firstSends: [['{"seq":3}']],
      sent: [['{"seq":3}'], ['{"seq":1}', '{"seq":2}']],
    });
  });

  it("sends an unconfirmed event again when its time comes, a confirmed one never", async () => {
    const result = await withOutbox(async ({ outbox, scheduler, clock, sent }) => {
      outbox.append(events(1, 2), T);
      await outbox.publish();
      outbox.confirm([2]);
      outbox.schedule(T);
      clock.now = T + REDELIVERY_AFTER_MS;
      await scheduler.run();
      outbox.confirm([1]);
      outbox.schedule(clock.now);
      return { sent, left: due(scheduler) };
    });
    expect(result).toEqual({ sent: [['{"seq":1}', '{"seq":2}'], ['{"seq":1}']], left: [] });
  });

  it("keeps only the last `keep` confirmed events as the replay log", async () => {
    const result = await withOutbox(async ({ outbox }) => {
      outbox.append(events(1, 2, 3, 4), T);
      await outbox.publish();
      outbox.confirm([1, 2, 3, 4]);
      outbox.append(events(5), T);
      await outbox.publish();
      outbox.confirm([5]);
      return { fromTwo: outbox.storage.since(2), fromThree: outbox.storage.since(3)?.map((r) => r.seq) };
    });
    // seq 1–3 are gone (older than the last two): replaying from 2 would skip 3, so null.
    expect(result).toEqual({ fromTwo: null, fromThree: [4, 5] });
  });
});
