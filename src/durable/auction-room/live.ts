import { z } from "zod";
import type { AuctionEvent } from "../../queue/events";
import { socketBaseShape } from "../kit/sockets";
import { type FrameSource, frameFor, type RoomFrame } from "./frames";

/**
 * The room's live sockets (`GET /auctions/{id}/live`, SPEC §6): what each socket remembers across
 * hibernation, what a client may send, and what it gets on connect.
 */

/** The worker puts the authenticated viewer's id here; it strips any client-sent value. */
export const VIEWER_HEADER = "x-auction-viewer";

/** Per-socket state that must survive hibernation (kit/sockets.ts); `v` lets a deploy change it. */
export const RoomSocketSchema = z.object({
  v: z.literal(1),
  viewerId: z.string().nullable(),
  ...socketBaseShape,
});
export type RoomSocket = z.infer<typeof RoomSocketSchema>;

export function newRoomSocket(viewerId: string | null, now: number): RoomSocket {
  return { v: 1, viewerId, connectedAt: now, windowStartedAt: now, framesInWindow: 0 };
}

/** Besides the text `ping` (answered by the runtime), a client may ask for a fresh snapshot. */
export const ClientFrameSchema = z.discriminatedUnion("type", [z.object({ type: z.literal("snapshot") })]);

/** The tag of a signed-in viewer's sockets, so the frames about them find them without a scan. */
export const viewerTag = (viewerId: string) => `viewer:${viewerId}`;

/** `?since=<seq>` when it is one; anything else asks for a snapshot. */
export function replaySince(url: string): number | null {
  const since = new URL(url).searchParams.get("since");
  return since !== null && /^\d{1,15}$/.test(since) ? Number(since) : null;
}

/**
 * What a socket gets on connect: the frames it missed since `?since=` when the replay log still
 * holds them all (`missed`), else one fresh snapshot.
 */
export function framesOnConnect(
  missed: readonly AuctionEvent[] | null,
  viewerId: string | null,
  now: number,
  snapshot: () => RoomFrame,
  room: FrameSource,
): RoomFrame[] {
  if (missed === null) return [snapshot()];
  const frames: RoomFrame[] = [];
  for (const event of missed) {
    const frame = frameFor(event, viewerId, now, room);
    if (frame) frames.push(frame);
  }
  return frames;
}
