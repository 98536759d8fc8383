import { describe, expect, it } from "vitest";
import { QUEUE_BUDGET_MS, shedIfLate } from "../../../src/durable/kit/load-shedding";

describe("shedIfLate", () => {
  const now = 1_000_000;

  it("admits a call that waited up to the budget", () => {
    expect(shedIfLate(now - QUEUE_BUDGET_MS, now)).toBeNull();
    expect(shedIfLate(now, now)).toBeNull();
  });

  it("sheds a call that waited longer, asking the client to come back in a second", () => {
    expect(shedIfLate(now - QUEUE_BUDGET_MS - 1, now)).toEqual({
      ok: false,
      code: "OVERLOADED",
      detail: `The auction is too busy to answer within ${QUEUE_BUDGET_MS} ms; nothing was done, try again.`,
      retryAfterSeconds: 1,
    });
  });

  it("never sheds on a clock that runs behind the caller's, nor without a send time", () => {
    expect(shedIfLate(now + 5_000, now)).toBeNull();
    expect(shedIfLate(undefined, now)).toBeNull();
  });
});
