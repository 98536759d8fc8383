import { describe, expect, it } from "vitest";
import {
  admitClientFrame,
  CLIENT_FRAME_WINDOW_MS,
  CLIENT_FRAMES_PER_WINDOW,
  type FrameWindow,
  MAX_CLIENT_FRAME_BYTES,
} from "../../../src/durable/kit/client-frames";

const T0 = 1_000_000;

function send(count: number, window: FrameWindow, now: number) {
  let current = window;
  const verdicts = [];
  for (let i = 0; i < count; i++) {
    const verdict = admitClientFrame("ping", current, now);
    verdicts.push(verdict.ok);
    if (verdict.ok) current = verdict.window;
  }
  return { verdicts, window: current };
}

describe("admitClientFrame", () => {
  it("admits 20 frames in 10 s and refuses the 21st with 1008 'too many frames'", () => {
    const { verdicts, window } = send(
      CLIENT_FRAMES_PER_WINDOW,
      { windowStartedAt: T0, framesInWindow: 0 },
      T0,
    );
    expect(verdicts).toEqual(Array(CLIENT_FRAMES_PER_WINDOW).fill(true));
    expect(admitClientFrame("ping", window, T0 + CLIENT_FRAME_WINDOW_MS)).toEqual({
      ok: false,
      code: 1008,
      reason: "too many frames",
    });
  });

  it("starts a new window once 10 s have passed", () => {
    const { window } = send(CLIENT_FRAMES_PER_WINDOW, { windowStartedAt: T0, framesInWindow: 0 }, T0);
    expect(admitClientFrame("ping", window, T0 + CLIENT_FRAME_WINDOW_MS + 1)).toEqual({
      ok: true,
      window: { windowStartedAt: T0 + CLIENT_FRAME_WINDOW_MS + 1, framesInWindow: 1 },
    });
  });

  it("measures size in bytes, not characters: 342 Hangul syllables (1,026 bytes) are too large", () => {
    const window = { windowStartedAt: T0, framesInWindow: 0 };
    expect("가".repeat(342)).toHaveLength(342);
    expect(admitClientFrame("가".repeat(342), window, T0)).toEqual({
      ok: false,
      code: 1009,
      reason: "frame too large",
    });
    expect(admitClientFrame("가".repeat(341), window, T0).ok).toBe(true);
    expect(admitClientFrame(new ArrayBuffer(MAX_CLIENT_FRAME_BYTES + 1), window, T0)).toEqual({
      ok: false,
      code: 1009,
      reason: "frame too large",
    });
  });
});
