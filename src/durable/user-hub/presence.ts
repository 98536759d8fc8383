/**
 * Whether a user's hub holds a live socket, as the broker sees it: the `live_offline` list in D1
 * (db/queries/live-presence.ts). The broker skips pushes to a listed user, so an offline user's hub
 * is not woken for every notification; the rows wait in the inbox either way.
 *
 * The hub calls `sync()` after anything that may change its sockets: a push that found none, a
 * socket closing, and — awaited before the upgrade is answered — a socket opening. Writes run one
 * at a time and each reads the sockets when its turn comes, so the last write always describes
 * the hub as it is, however the calls interleaved. A state already written is not written again.
 */

export interface PresenceWriter {
  offline(since: number): Promise<void>;
  online(): Promise<void>;
}

export interface PresenceOptions {
  writer: PresenceWriter;
  liveSockets: () => number;
  clock: () => number;
}

type Written = "online" | "offline";

export class Presence {
  /** What this instance last wrote; null after a restart, so its first sync always writes. */
  private written: Written | null = null;
  private turn: Promise<void> = Promise.resolve();

  constructor(private readonly options: PresenceOptions) {}

  /** Writes the hub's state if it changed; rejects when the write failed (it is tried next time). */
  sync(): Promise<void> {
    const write = this.turn.then(async () => {
      const state: Written = this.options.liveSockets() > 0 ? "online" : "offline";
      if (state === this.written) return;
      // Forget the last write first: should this one fail, the next sync must not skip it.
      this.written = null;
      if (state === "online") await this.options.writer.online();
      else await this.options.writer.offline(this.options.clock());
      this.written = state;
    });
    this.turn = write.catch(() => {});
    return write;
  }
}
