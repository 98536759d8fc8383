import { describe, expect, it } from "vitest";
import {
  MAX_BATCH_BYTES,
  MAX_BATCH_MESSAGES,
  publishBatches,
  REDELIVERY_AFTER_MS,
  REDELIVERY_MAX_MS,
  redeliveryDelayMs,
  seqRuns,
} from "../../../src/durable/kit/outbox-rules";

const row = (seq: number, body: string) => ({ seq, body });

describe("redelivery delay", () => {
  it("waits 30 s after the first send, doubles per further send, and stops growing at 15 min", () => {
    expect(REDELIVERY_AFTER_MS).toBe(30_000);
    expect(REDELIVERY_MAX_MS).toBe(900_000);
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(redeliveryDelayMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000,
    ]);
  });
});

describe("publish batches", () => {
  it("sends at most 100 messages per batch, in seq order", () => {
    const rows = Array.from({ length: 250 }, (_, i) => row(i + 1, "{}"));
    const batches = publishBatches(rows);
    expect(MAX_BATCH_MESSAGES).toBe(100);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat().map((r) => r.seq)).toEqual(rows.map((r) => r.seq));
  });

  it("keeps each batch under the queue's byte limit, counting UTF-8 bytes, not characters", () => {
    // 15,000 Hangul syllables are 45,000 UTF-8 bytes: four fit under 200,000 bytes, five do not.
    const korean = "가".repeat(15_000);
    const rows = Array.from({ length: 10 }, (_, i) => row(i + 1, korean));
    expect(MAX_BATCH_BYTES).toBe(200_000);
    expect(publishBatches(rows).map((b) => b.map((r) => r.seq))).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
  });

  it("sends a message larger than the budget alone rather than never", () => {
    const rows = [row(1, "x".repeat(10)), row(2, "x".repeat(MAX_BATCH_BYTES + 1)), row(3, "x")];
    expect(publishBatches(rows).map((b) => b.map((r) => r.seq))).toEqual([[1], [2], [3]]);
  });

  it("makes no batch from nothing", () => {
    expect(publishBatches([])).toEqual([]);
  });
});

describe("seq runs", () => {
  it("gathers seqs into runs of consecutive numbers, in order", () => {
    expect(seqRuns([7, 1, 2, 3, 5, 6, 9])).toEqual([
      [1, 3],
      [5, 7],
      [9, 9],
    ]);
  });

  it("counts a seq given twice once, and gives nothing for nothing", () => {
    expect(seqRuns([4, 4, 5])).toEqual([[4, 5]]);
    expect(seqRuns([])).toEqual([]);
  });
});
