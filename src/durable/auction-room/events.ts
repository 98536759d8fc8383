import { type AuctionEvent, type AuctionEventDraft, type CatalogSnapshot, eventId } from "../../queue/events";
import type { OutboxRow } from "../kit/outbox-storage";
import type { AuctionState } from "./state";

/**
 * The room's events as outbox rows: each draft completed with the envelope (id `<auctionId>:<seq>`,
 * seq from `firstSeq` on, time, catalog snapshot) and stored as the JSON text the queue carries.
 */
export function eventRows(
  state: AuctionState,
  drafts: readonly AuctionEventDraft[],
  firstSeq: number,
  now: number,
  catalog: CatalogSnapshot,
): OutboxRow[] {
  return drafts.map((draft, i) => {
    const seq = firstSeq + i;
    const event: AuctionEvent = {
      ...draft,
      v: 1,
      id: eventId(state.id, seq),
      auctionId: state.id,
      seq,
      occurredAt: now,
      catalog,
    };
    return { seq, type: event.type, body: JSON.stringify(event) };
  });
}

/** An event back from its row; written by eventRows from a typed AuctionEvent. */
export function parseEvent(row: OutboxRow): AuctionEvent {
  return JSON.parse(row.body) as AuctionEvent;
}
