import * as z from "zod/mini";

/**
 * The live sockets' frames as the browser reads them (SPEC §6). A socket's text is untrusted, so
 * the client parses it with these; the room's tests parse the frames it really sends with the same
 * schemas, so the two cannot drift apart. zod/mini, not zod: the browser budget is 40 KB gzipped
 * and zod's full build alone is over 60. Objects keep only the fields listed (the client needs no
 * more); unknown frame types fail to parse and are ignored.
 */

const Handle = z.object({ handle: z.string() });

/** The part of the auction resource (GET /auctions/{id}, a snapshot frame) the live page shows. */
export const LiveAuctionSchema = z.object({
  id: z.string(),
  title: z.string(),
  currency: z.string(),
  status: z.enum(["scheduled", "open", "closed", "cancelled"]),
  outcome: z.nullable(z.enum(["sold", "unsold"])),
  currentPrice: z.number(),
  bidCount: z.int(),
  leader: z.nullable(Handle),
  leaderIsYou: z.boolean(),
  minimumNextBid: z.number(),
  reserveMet: z.boolean(),
  buyNowPrice: z.nullable(z.number()),
  endsAt: z.string(),
  extendedCount: z.int(),
  winnerId: z.nullable(z.string()),
  serverTime: z.string(),
});
export type LiveAuction = z.infer<typeof LiveAuctionSchema>;

const frame = { seq: z.int(), serverTime: z.string() };

/** One line of the bid history, as `GET /auctions/{id}/bids` and a bid frame give it. */
export const HistoryRowSchema = z.object({ amount: z.number(), bidder: Handle, placedAt: z.string() });
export type HistoryRow = z.infer<typeof HistoryRowSchema>;

export const RoomFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("snapshot"), ...frame, auction: LiveAuctionSchema }),
  z.object({
    type: z.literal("bid"),
    ...frame,
    price: z.number(),
    bidCount: z.int(),
    leader: Handle,
    leaderIsYou: z.boolean(),
    endsAt: z.string(),
    extended: z.boolean(),
    minimumNextBid: z.number(),
    reserveMet: z.boolean(),
    /** The history rows the bid added, newest first; absent from frames of older events. */
    history: z.optional(z.array(HistoryRowSchema)),
  }),
  z.object({
    type: z.literal("closed"),
    ...frame,
    outcome: z.enum(["sold", "unsold"]),
    endedBy: z.enum(["time", "buy_now"]),
    finalPrice: z.nullable(z.number()),
    winner: z.nullable(Handle),
    winnerIsYou: z.boolean(),
  }),
  z.object({ type: z.literal("cancelled"), ...frame }),
]);
export type RoomFrame = z.infer<typeof RoomFrameSchema>;

/** `GET /me/live`'s frame for a new inbox message (SPEC §7). */
export const NotificationFrameSchema = z.object({
  type: z.literal("notification"),
  message: z.object({
    id: z.string(),
    kind: z.string(),
    auctionId: z.string(),
    title: z.string(),
    body: z.string(),
    data: z.record(z.string(), z.unknown()),
  }),
  unreadCount: z.int(),
});
export type NotificationFrame = z.infer<typeof NotificationFrameSchema>;
export type LiveMessage = NotificationFrame["message"];
