import type { AuctionEvent } from "../../queue/events";
import type { Sockets } from "../kit/sockets";
import { type FrameSource, frameFor } from "./frames";
import { type RoomSocket, viewerTag } from "./live";

/**
 * Pushes committed events to every socket of the room. One serialisation per event for everyone,
 * one more for the sockets of the user the event is about (the leader, the winner); events that
 * change the auction as a whole become a snapshot per socket (each viewer sees it their way).
 */
export function broadcastEvents(
  sockets: Sockets<RoomSocket>,
  events: readonly AuctionEvent[],
  now: number,
  room: FrameSource,
): void {
  const all = sockets.all();
  for (const event of events) {
    const generic = frameFor(event, null, now, room);
    if (!generic) continue;
    if (generic.type === "snapshot") {
      for (const ws of all) {
        const viewerId = sockets.attachmentOf(ws)?.viewerId ?? null;
        sockets.send(ws, JSON.stringify(frameFor(event, viewerId, now, room)));
      }
      continue;
    }
    const subject =
      event.type === "bid.placed" ? event.leaderId : event.type === "auction.closed" ? event.winnerId : null;
    const genericText = JSON.stringify(generic);
    const subjectSockets = new Set(subject ? sockets.all(viewerTag(subject)) : []);
    const subjectText = subject ? JSON.stringify(frameFor(event, subject, now, room)) : genericText;
    for (const ws of all) sockets.send(ws, subjectSockets.has(ws) ? subjectText : genericText);
  }
}
