// WebSocket clients for the real-time scenarios: many watchers of one auction room, and a user's
// own notification channel.

import { performance } from "node:perf_hooks";
import WebSocket from "ws";

/** A socket that has not opened (and, for a room, sent its snapshot) within this long failed. */
const CONNECT_TIMEOUT_MS = 10_000;

function wsUrl(baseUrl, path) {
  const url = new URL(path, baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

/**
 * Opens one WebSocket and resolves once `ready(frame)` accepts a frame (or on open when no
 * `ready` is given). Rejects with the HTTP status when the upgrade is refused.
 */
function connect(url, { headers = {}, ready, onFrame }) {
  return new Promise((resolve, reject) => {
    // Compression off: it would only cost both ends CPU for frames this small.
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    let done = false;
    const timer = setTimeout(() => fail(new Error("timed out")), CONNECT_TIMEOUT_MS);
    const fail = (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    const succeed = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(ws);
    };
    ws.on("unexpected-response", (_req, res) => {
      const error = new Error(`upgrade refused: HTTP ${res.statusCode}`);
      error.status = res.statusCode;
      res.resume();
      fail(error);
    });
    ws.on("error", (error) => fail(error));
    ws.on("close", () => fail(new Error("closed before it was ready")));
    ws.on("open", () => {
      if (!ready) succeed();
    });
    ws.on("message", (data, isBinary) => {
      const arrival = performance.now();
      if (isBinary) return;
      const text = data.toString();
      let frame;
      try {
        frame = JSON.parse(text);
      } catch {
        frame = text;
      }
      if (!done && ready?.(frame)) succeed();
      onFrame?.(frame, arrival);
    });
  });
}

/**
 * Opens `count` anonymous sockets to an auction room, `concurrency` at a time, each counted as
 * connected once its snapshot frame arrived. `onFrame(index, frame, arrivalMs)` sees every frame.
 * Never throws: failures are counted (the first error is kept to explain them).
 */
export async function openRoomSockets(baseUrl, auctionId, count, { concurrency = 25, onFrame, deadlineMs }) {
  const url = wsUrl(baseUrl, `/api/v1/auctions/${auctionId}/live`);
  const sockets = [];
  let failures = 0;
  let firstError;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count && (deadlineMs === undefined || performance.now() - started < deadlineMs)) {
      const index = next++;
      try {
        const ws = await connect(url, {
          ready: (frame) => typeof frame === "object" && frame !== null && frame.type === "snapshot",
          onFrame: onFrame && ((frame, arrival) => onFrame(index, frame, arrival)),
        });
        sockets.push(ws);
      } catch (error) {
        failures++;
        firstError ??= error;
        // A refused upgrade (e.g. the route does not exist yet) will be refused every time.
        if (error.status !== undefined) break;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    sockets,
    failures,
    error: firstError ? String(firstError.message ?? firstError) : undefined,
    status: firstError?.status,
    seconds: Math.round(performance.now() - started) / 1000,
  };
}

/**
 * Opens a user's notification socket (`/api/v1/me/live`) with the bearer token in the upgrade's
 * Authorization header; falls back to a single-use ticket if the header is refused.
 */
export async function openUserSocket(baseUrl, token, onFrame) {
  const url = wsUrl(baseUrl, "/api/v1/me/live");
  try {
    return await connect(url, { headers: { authorization: `Bearer ${token}` }, onFrame });
  } catch (error) {
    if (error.status !== 401 && error.status !== 403) throw error;
  }
  const res = await fetch(new URL("/api/v1/me/live-ticket", baseUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await res.json().catch(() => ({}));
  if (res.status !== 201 || typeof body.ticket !== "string") {
    const error = new Error(`live ticket answered ${res.status}`);
    error.status = res.status;
    throw error;
  }
  return connect(`${url}?ticket=${encodeURIComponent(body.ticket)}`, { onFrame });
}

/** Closes sockets and waits (bounded) for them to finish closing. */
export async function closeAll(sockets, timeoutMs = 5_000) {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            ws.terminate();
            resolve();
          }, timeoutMs);
          ws.once("close", () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close(1000, "bench done");
        }),
    ),
  );
}
