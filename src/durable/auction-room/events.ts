import {
  type AuctionEvent,
  type AuctionEventDraft,
  type CatalogSnapshot,
  eventId,
  type HoldInstruction,
} from "../../queue/events";
import type { OutboxRow } from "../kit/outbox-storage";
import type { AuctionState } from "./state";

/**
 * The room's events as outbox rows: each draft completed with the envelope (id `<auctionId>:<seq>`,
 * seq from `firstSeq` on, time, catalog snapshot) and stored as the JSON text the queue carries.
 * The change's hold instructions ride on its last event.
 */
export function eventRows(
  state: AuctionState,
  drafts: readonly AuctionEventDraft[],
  firstSeq: number,
  now: number,
  catalog: CatalogSnapshot,
  holds: readonly HoldInstruction[] = [],
): OutboxRow[] {
  return drafts.map((draft, i) => {
    const seq = firstSeq + i;
    const last = i === drafts.length - 1;
    const event: AuctionEvent = {
      ...draft,
      v: 1,
      id: eventId(state.id, seq),
      auctionId: state.id,
      seq,
      occurredAt: now,
      catalog,
      ...(last && holds.length > 0 ? { holds: [...holds] } : {}),
    };
    return { seq, type: event.type, body: JSON.stringify(event) };
  });
}

/** An event back from its row; written by eventRows from a typed AuctionEvent. */
export function parseEvent(row: OutboxRow): AuctionEvent {
  return JSON.parse(row.body) as AuctionEvent;
}
