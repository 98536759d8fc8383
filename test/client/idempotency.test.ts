import { describe, expect, it } from "vitest";
import { keyForAttempt, settleAttempt } from "../../src/client/forms/idempotency";

function keys() {
  let n = 0;
  return () => `key-${++n}`;
}

describe("Idempotency-Key per submission", () => {
  it("reuses the key when the same submission is retried after no answer", () => {
    const fresh = keys();
    const first = keyForAttempt(null, '{"amount":1}', fresh);
    const pending = settleAttempt("unanswered", '{"amount":1}', first);
    expect(keyForAttempt(pending, '{"amount":1}', fresh)).toBe("key-1");
  });

  it("takes a fresh key for a different submission", () => {
    const fresh = keys();
    const pending = settleAttempt("unanswered", '{"amount":1}', keyForAttempt(null, '{"amount":1}', fresh));
    expect(keyForAttempt(pending, '{"amount":2}', fresh)).toBe("key-2");
  });

  it("takes a fresh key after an answer, so a retry after a refusal (say, once topped up) is a new attempt", () => {
    const fresh = keys();
    const key = keyForAttempt(null, "{}", fresh);
    expect(settleAttempt("answered", "{}", key)).toBeNull();
    expect(keyForAttempt(null, "{}", fresh)).toBe("key-2");
  });
});
