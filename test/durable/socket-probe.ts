/**
 * A test client for a WebSocket: buffers every frame so none is missed between awaits, and lets a
 * test await the next frame or the close instead of sleeping.
 */
export class SocketProbe {
  private readonly frames: string[] = [];
  private readonly waiters: { resolve: (frame: string) => void; reject: (error: Error) => void }[] = [];
  private closeInfo: { code: number; reason: string } | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.accept();
    ws.addEventListener("message", (event) => {
      const frame = typeof event.data === "string" ? event.data : "<binary>";
      const waiter = this.waiters.shift();
      if (waiter) waiter.resolve(frame);
      else this.frames.push(frame);
    });
    this.closed = new Promise((resolve) => {
      ws.addEventListener("close", (event) => {
        this.closeInfo = { code: event.code, reason: event.reason };
        // Nothing more will arrive: fail whoever waits for a frame instead of hanging the test.
        for (const waiter of this.waiters.splice(0)) {
          waiter.reject(new Error(`socket closed (${event.code} ${event.reason}) while awaiting a frame`));
        }
        resolve(this.closeInfo);
      });
    });
  }

  /** The next frame as text. */
  next(): Promise<string> {
    const frame = this.frames.shift();
    if (frame !== undefined) return Promise.resolve(frame);
    if (this.closeInfo) return Promise.reject(new Error(`socket already closed (${this.closeInfo.code})`));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** The next frame parsed as JSON. */
  async nextJson(): Promise<unknown> {
    return JSON.parse(await this.next());
  }

  /** Frames received and not yet read. */
  pending(): string[] {
    return [...this.frames];
  }
}

/** Opens a socket from a 101 response, or throws with what came back instead. */
export function probeOf(response: Response): SocketProbe {
  if (response.status !== 101 || !response.webSocket) {
    throw new Error(`expected a WebSocket upgrade, got ${response.status}`);
  }
  return new SocketProbe(response.webSocket);
}
