import { type AuctionEvent, AuctionEventSchema, type CatalogSnapshot, eventId } from "../../src/queue/events";

/** Builders for domain events as an AuctionRoom would publish them; each result is schema-checked. */

export const T0 = Date.parse("2026-09-01T12:00:00.000Z");
export const ENDS_AT = T0 + 3600_000;

let auctionCounter = 0;
/** An auction id unique within the test run (D1 persists across tests in a file). */
export function uniqueAuctionId(): string {
  auctionCounter += 1;
  return `auc_test${auctionCounter}${Math.random().toString(36).slice(2, 10)}`;
}

export function catalog(overrides: Partial<CatalogSnapshot> = {}): CatalogSnapshot {
  return {
    sellerId: "usr_seller",
    title: "Vintage film camera",
    category: "cameras",
    currency: "KRW",
    startingPrice: 10_000,
    currentPrice: 10_000,
    bidCount: 0,
    status: "open",
    outcome: null,
    leaderId: null,
    winnerId: null,
    startsAt: T0,
    endsAt: ENDS_AT,
    createdAt: T0,
    updatedAt: T0,
    summary: JSON.stringify({ id: "placeholder" }),
    ...overrides,
  };
}

type Draft = Record<string, unknown> & { type: AuctionEvent["type"] };

/** Fills the envelope (v, id, seq, occurredAt) around a draft and validates the result. */
export function event(
  auctionId: string,
  seq: number,
  draft: Draft,
  catalogOverrides: Partial<CatalogSnapshot> = {},
) {
  const occurredAt = T0 + seq * 1000;
  return AuctionEventSchema.parse({
    v: 1,
    id: eventId(auctionId, seq),
    auctionId,
    seq,
    occurredAt,
    catalog: catalog({ updatedAt: occurredAt, ...catalogOverrides }),
    ...draft,
  });
}

export interface BidPlacedInput {
  bidderId: string;
  leaderId: string;
  previousLeaderId: string | null;
  price: number;
  result?: "leading" | "outbid" | "max_raised";
  bidCount?: number;
  sellerId?: string;
}

export function bidPlaced(auctionId: string, seq: number, input: BidPlacedInput) {
  return event(
    auctionId,
    seq,
    {
      type: "bid.placed",
      bidderId: input.bidderId,
      leaderId: input.leaderId,
      previousLeaderId: input.previousLeaderId,
      price: input.price,
      result: input.result ?? "leading",
      endsAt: ENDS_AT,
      extended: false,
      leaderHandle: "b***1",
    },
    {
      currentPrice: input.price,
      bidCount: input.bidCount ?? seq - 1,
      leaderId: input.leaderId,
      ...(input.sellerId ? { sellerId: input.sellerId } : {}),
    },
  );
}

export function endingSoon(
  auctionId: string,
  seq: number,
  bidderIds: string[],
  catalogOverrides: Partial<CatalogSnapshot> = {},
) {
  return event(auctionId, seq, { type: "auction.ending_soon", endsAt: ENDS_AT, bidderIds }, catalogOverrides);
}

export interface ClosedInput {
  outcome: "sold" | "unsold";
  winnerId: string | null;
  finalPrice: number | null;
  bidderIds: string[];
  endedBy?: "time" | "buy_now";
  sellerId?: string;
}

export function closed(auctionId: string, seq: number, input: ClosedInput) {
  return event(
    auctionId,
    seq,
    {
      type: "auction.closed",
      outcome: input.outcome,
      endedBy: input.endedBy ?? "time",
      finalPrice: input.finalPrice,
      winnerId: input.winnerId,
      winnerHandle: input.winnerId ? "b***1" : null,
      bidderIds: input.bidderIds,
    },
    {
      status: "closed",
      outcome: input.outcome,
      winnerId: input.winnerId,
      currentPrice: input.finalPrice ?? 10_000,
      ...(input.sellerId ? { sellerId: input.sellerId } : {}),
    },
  );
}

export function cancelled(
  auctionId: string,
  seq: number,
  bidderIds: string[],
  catalogOverrides: Partial<CatalogSnapshot> = {},
) {
  return event(
    auctionId,
    seq,
    { type: "auction.cancelled", bidderIds },
    { status: "cancelled", ...catalogOverrides },
  );
}

/** An administrator's cancellation (SPEC §9): even with bids, with the reason they gave. */
export function adminCancelled(
  auctionId: string,
  seq: number,
  bidderIds: string[],
  reason: string,
  catalogOverrides: Partial<CatalogSnapshot> = {},
) {
  return event(
    auctionId,
    seq,
    { type: "auction.cancelled", bidderIds, byAdmin: true, reason },
    { status: "cancelled", ...catalogOverrides },
  );
}
