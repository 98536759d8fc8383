import { z } from "zod";
import type { AccountName } from "../durable/money/accounts";

/**
 * Domain events, published by each AuctionRoom through its outbox and consumed by the broker.
 * Ids are deterministic (`<auctionId>:<seq>`) so every consumer can be idempotent. `v` versions
 * the envelope: a consumer refuses versions it does not know instead of guessing.
 */

const statusSchema = z.enum(["scheduled", "open", "closed", "cancelled"]);

/** The catalog projection carried by every event, so applying any event brings D1 up to date. */
export const CatalogSnapshotSchema = z.object({
  sellerId: z.string(),
  title: z.string(),
  category: z.string().nullable(),
  currency: z.string(),
  startingPrice: z.number().int(),
  currentPrice: z.number().int(),
  bidCount: z.number().int(),
  status: statusSchema,
  outcome: z.enum(["sold", "unsold"]).nullable(),
  leaderId: z.string().nullable(),
  winnerId: z.string().nullable(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  /** The public auction resource (no reserve, viewer-neutral) as JSON text, for list responses. */
  summary: z.string(),
});
export type CatalogSnapshot = z.infer<typeof CatalogSnapshotSchema>;

/**
 * The room's word on bidders' holds (SPEC §8): lower `userId`'s hold on this auction to `keep`,
 * as of this event's seq; their reservations up to `settledUpTo` are settled. The broker hands
 * each to that user's Wallet (durable/money/room-instructions.ts).
 */
export const HoldInstructionSchema = z.object({
  userId: z.string(),
  keep: z.number().int().nonnegative(),
  settledUpTo: z.number().int().nullable(),
});
export type HoldInstruction = z.infer<typeof HoldInstructionSchema>;

/** One row a bid added to the auction's public history, as its `bid.placed` event carries it. */
const BidHistoryRowSchema = z.object({ bidderId: z.string(), handle: z.string(), amount: z.number().int() });
export type BidHistoryRow = z.infer<typeof BidHistoryRowSchema>;

const envelope = {
  v: z.literal(1),
  id: z.string(),
  auctionId: z.string(),
  seq: z.number().int().positive(),
  occurredAt: z.number().int(),
  catalog: CatalogSnapshotSchema,
  /** Absent when the event lowers nobody's hold (and on events from before holds existed). */
  holds: z.array(HoldInstructionSchema).optional(),
};

/** An order as its events carry it (SPEC §8 "Orders"; durable/orders/order.ts). */
const OrderSchema = z.object({
  id: z.string(),
  auctionId: z.string(),
  buyerId: z.string(),
  sellerId: z.string(),
  currency: z.string(),
  price: z.number().int(),
  fee: z.number().int(),
  funded: z.boolean(),
  status: z.enum(["paid", "shipped", "completed", "disputed", "refunded"]),
  paidAt: z.number().int(),
  shippedAt: z.number().int().nullable(),
  completedAt: z.number().int().nullable(),
  disputedAt: z.number().int().nullable(),
  refundedAt: z.number().int().nullable(),
  shipment: z.object({ carrier: z.string().nullable(), trackingNumber: z.string().nullable() }).nullable(),
  disputeReason: z.string().nullable(),
  resolution: z
    .enum(["buyer_confirmed", "auto_confirmed", "admin_released", "admin_refunded", "seller_cancelled"])
    .nullable(),
  updatedAt: z.number().int(),
});

const AccountNameSchema = z.custom<AccountName>(
  (value) => typeof value === "string" && /^(user|escrow|platform|external):/.test(value),
);

/** A transfer of the order's money and the Wallet that applies it (null: the room's accounts only). */
const MoneyMoveSchema = z.object({
  wallet: z.string().nullable(),
  transfer: z.object({
    id: z.string(),
    kind: z.enum([
      "payment",
      "payout_pending",
      "payout_release",
      "payout_reversal",
      "refund",
      "platform_fee",
    ]),
    debit: AccountNameSchema,
    credit: AccountNameSchema,
    amount: z.number().int().positive(),
    currency: z.string(),
    auctionId: z.string(),
    holdId: z.null(),
  }),
});
export type OrderMoneyMove = z.infer<typeof MoneyMoveSchema>;

const orderEvent = <T extends string>(type: T) =>
  z.object({ ...envelope, type: z.literal(type), order: OrderSchema, money: z.array(MoneyMoveSchema) });

export const ORDER_EVENT_TYPES = [
  "order.paid",
  "order.shipped",
  "order.completed",
  "order.disputed",
  "order.refunded",
] as const;

/** A second-chance offer as its events carry it (durable/orders/second-chance.ts). */
const OfferSchema = z.object({
  number: z.number().int().positive(),
  auctionId: z.string(),
  sellerId: z.string(),
  bidderId: z.string(),
  bidderHandle: z.string(),
  currency: z.string(),
  price: z.number().int(),
  status: z.enum(["open", "accepted", "declined", "expired"]),
  offeredAt: z.number().int(),
  expiresAt: z.number().int(),
  decidedAt: z.number().int().nullable(),
  orderId: z.string().nullable(),
});

const offerEvent = <T extends string>(type: T) =>
  z.object({ ...envelope, type: z.literal(type), offer: OfferSchema });

/** An acceptance is the new order's `order.paid`; these are the offer's other steps. */
export const OFFER_EVENT_TYPES = [
  "second_chance.offered",
  "second_chance.declined",
  "second_chance.expired",
] as const;

export const AuctionEventSchema = z.discriminatedUnion("type", [
  z.object({ ...envelope, type: z.literal("auction.created") }),
  z.object({ ...envelope, type: z.literal("auction.updated") }),
  z.object({ ...envelope, type: z.literal("auction.opened") }),
  z.object({
    ...envelope,
    type: z.literal("bid.placed"),
    bidderId: z.string(),
    leaderId: z.string(),
    previousLeaderId: z.string().nullable(),
    price: z.number().int(),
    result: z.enum(["leading", "outbid", "max_raised"]),
    endsAt: z.number().int(),
    extended: z.boolean(),
    leaderHandle: z.string(),
    /**
     * The history rows the bid added (its own, and a proxy's answer), newest first and placed at
     * `occurredAt`, so a live page can show them without reading the history again. Absent from
     * events stored before it.
     */
    history: z.array(BidHistoryRowSchema).optional(),
  }),
  z.object({
    ...envelope,
    type: z.literal("auction.extended"),
    endsAt: z.number().int(),
    previousEndsAt: z.number().int(),
  }),
  z.object({
    ...envelope,
    type: z.literal("auction.ending_soon"),
    endsAt: z.number().int(),
    bidderIds: z.array(z.string()),
  }),
  z.object({
    ...envelope,
    type: z.literal("auction.closed"),
    outcome: z.enum(["sold", "unsold"]),
    endedBy: z.enum(["time", "buy_now"]),
    finalPrice: z.number().int().nullable(),
    winnerId: z.string().nullable(),
    winnerHandle: z.string().nullable(),
    bidderIds: z.array(z.string()),
  }),
  z.object({
    ...envelope,
    type: z.literal("auction.cancelled"),
    bidderIds: z.array(z.string()),
    // Set only when an administrator cancelled (SPEC §9); a seller's cancellation, including one
    // written before admins could cancel, has neither field, so old events still parse.
    byAdmin: z.literal(true).optional(),
    /** The administrator's reason, told to the seller. */
    reason: z.string().optional(),
  }),
  orderEvent("order.paid"),
  orderEvent("order.shipped"),
  orderEvent("order.completed"),
  orderEvent("order.disputed"),
  orderEvent("order.refunded"),
  offerEvent("second_chance.offered"),
  offerEvent("second_chance.declined"),
  offerEvent("second_chance.expired"),
]);
export type AuctionEvent = z.infer<typeof AuctionEventSchema>;
export type AuctionEventType = AuctionEvent["type"];

/** Distributes Omit over the union so each event keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as the room writes it, before the envelope (id, seq, catalog) is filled in. */
export type AuctionEventDraft = DistributiveOmit<
  AuctionEvent,
  "v" | "id" | "auctionId" | "seq" | "occurredAt" | "catalog" | "holds"
>;

export function eventId(auctionId: string, seq: number): string {
  return `${auctionId}:${seq}`;
}

/**
 * Wallet events (SPEC §8), published by each user's Wallet through its outbox onto the same
 * queue. Ids are `wallet:<userId>:<seq>`; the broker confirms them back to that Wallet.
 */
const walletEnvelope = {
  v: z.literal(1),
  id: z.string(),
  userId: z.string(),
  seq: z.number().int().positive(),
  occurredAt: z.number().int(),
};
const topUpFields = { topUpId: z.string(), amount: z.number().int(), currency: z.string() };

/** A transfer as a ledger event carries it (durable/money/ledger.ts). */
const LedgerTransferSchema = z.object({
  id: z.string(),
  kind: z.string(),
  debit: AccountNameSchema,
  credit: AccountNameSchema,
  amount: z.number().int().positive(),
  currency: z.string(),
  auctionId: z.string().nullable(),
  holdId: z.string().nullable(),
});
export type LedgerTransfer = z.infer<typeof LedgerTransferSchema>;

export const WalletEventSchema = z.discriminatedUnion("type", [
  z.object({ ...walletEnvelope, ...topUpFields, type: z.literal("wallet.top_up_succeeded") }),
  z.object({ ...walletEnvelope, ...topUpFields, type: z.literal("wallet.top_up_failed") }),
  // Every transfer the Wallet wrote, for the broker's D1 ledger (SPEC §8: it projects every entry).
  z.object({ ...walletEnvelope, type: z.literal("wallet.ledger"), transfers: z.array(LedgerTransferSchema) }),
]);
export type WalletEvent = z.infer<typeof WalletEventSchema>;
export type TopUpEvent = Extract<WalletEvent, { topUpId: string }>;

/**
 * Everything on the queue, in one union on `type` (the families' types never overlap): one parse
 * per message. Trying one family and then the other built a validation error for every message
 * of the second family — a tenth of the server's CPU in the hot-auction profile.
 */
export const QueueEventSchema = z.discriminatedUnion("type", [
  ...AuctionEventSchema.options,
  ...WalletEventSchema.options,
]);
export type QueueEvent = z.infer<typeof QueueEventSchema>;

export function walletEventId(userId: string, seq: number): string {
  return `wallet:${userId}:${seq}`;
}
