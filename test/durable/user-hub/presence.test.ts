import { describe, expect, it } from "vitest";
import { Presence, type PresenceWriter } from "../../../src/durable/user-hub/presence";

const T = Date.UTC(2026, 10, 25, 12, 0, 0);

/**
 * A writer that records what it was asked to write; `hold()` makes the next write wait for its
 * release, and tells when that write has begun.
 */
function recordingWriter() {
  const writes: string[] = [];
  let gate: Promise<void> | null = null;
  let began = () => {};
  let failNext = false;
  const writer: PresenceWriter = {
    offline: async (since) => {
      began();
      if (gate) await gate;
      if (failNext) {
        failNext = false;
        throw new Error("D1 unavailable");
      }
      writes.push(`offline@${since - T}`);
    },
    online: async () => {
      began();
      if (gate) await gate;
      if (failNext) {
        failNext = false;
        throw new Error("D1 unavailable");
      }
      writes.push("online");
    },
  };
  return {
    writer,
    writes,
    hold() {
      let release = () => {};
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const begun = new Promise<void>((resolve) => {
        began = resolve;
      });
      return {
        begun,
        release: () => {
          gate = null;
          release();
        },
      };
    },
    failNextWrite() {
      failNext = true;
    },
  };
}

function presenceOver(sockets: { count: number }, writer: PresenceWriter) {
  return new Presence({ writer, liveSockets: () => sockets.count, clock: () => T + 5 });
}

describe("Presence (what a user's hub tells the broker)", () => {
  it("writes offline when the hub has no socket, and writes nothing again while that holds", async () => {
    const recorded = recordingWriter();
    const presence = presenceOver({ count: 0 }, recorded.writer);
    await presence.sync();
    await presence.sync();
    expect(recorded.writes).toEqual(["offline@5"]);
  });

  it("writes online when a socket opened since, and offline again when the last one closed", async () => {
    const sockets = { count: 0 };
    const recorded = recordingWriter();
    const presence = presenceOver(sockets, recorded.writer);
    await presence.sync();
    sockets.count = 2;
    await presence.sync();
    sockets.count = 1;
    await presence.sync();
    sockets.count = 0;
    await presence.sync();
    expect(recorded.writes).toEqual(["offline@5", "online", "offline@5"]);
  });

  it("writes online first for a hub that has not written yet (after a restart the list may say offline)", async () => {
    const recorded = recordingWriter();
    await presenceOver({ count: 1 }, recorded.writer).sync();
    expect(recorded.writes).toEqual(["online"]);
  });

  it("a sync asked for while a write is on its way reads the sockets when its turn comes", async () => {
    const sockets = { count: 0 };
    const recorded = recordingWriter();
    const presence = presenceOver(sockets, recorded.writer);
    const held = recorded.hold();
    const first = presence.sync(); // no socket: offline, held up on its way
    await held.begun;
    sockets.count = 1; // a socket opens meanwhile
    const second = presence.sync();
    held.release();
    await Promise.all([first, second]);
    // The last write is the state now, whatever order the calls came in.
    expect(recorded.writes).toEqual(["offline@5", "online"]);
  });

  it("a failed write reaches the caller and is not remembered: the next sync writes it again", async () => {
    const recorded = recordingWriter();
    const presence = presenceOver({ count: 1 }, recorded.writer);
    recorded.failNextWrite();
    await expect(presence.sync()).rejects.toThrow("D1 unavailable");
    await presence.sync();
    expect(recorded.writes).toEqual(["online"]);
  });
});
