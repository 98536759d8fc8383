import { describe, expect, it } from "vitest";
import { parseJsonFrame, reciprocalCloseCode } from "../../../src/durable/kit/sockets";

describe("socket plumbing", () => {
  it("answers a client's close with its own code, and 1005/1006 (not sendable) with 1000", () => {
    expect([1000, 1001, 1008, 4000, 1005, 1006].map(reciprocalCloseCode)).toEqual([
      1000, 1001, 1008, 4000, 1000, 1000,
    ]);
  });

  it("parses JSON text frames, and nothing else", () => {
    expect(parseJsonFrame('{"type":"snapshot"}')).toEqual({ type: "snapshot" });
    expect(parseJsonFrame("null")).toBeNull();
    expect(parseJsonFrame("hello")).toBeUndefined();
    expect(parseJsonFrame(new ArrayBuffer(2))).toBeUndefined();
  });
});
