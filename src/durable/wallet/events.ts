import { type LedgerTransfer, type TopUpEvent, type WalletEvent, walletEventId } from "../../queue/events";
import type { OutboxRow } from "../kit/outbox-storage";
import type { TopUpRequest } from "./results";

export type TopUpEventType = TopUpEvent["type"];

/** The outbox row of a top-up's outcome, numbered `seq` in the Wallet's outbox. */
export function topUpEventRow(
  userId: string,
  type: TopUpEventType,
  topUp: TopUpRequest,
  seq: number,
  now: number,
): OutboxRow {
  const event: TopUpEvent = {
    v: 1,
    id: walletEventId(userId, seq),
    userId,
    seq,
    occurredAt: now,
    type,
    topUpId: topUp.topUpId,
    amount: topUp.amount,
    currency: topUp.currency,
  };
  return { seq, type, body: JSON.stringify(event) };
}

/** The outbox row that hands the transfers a change wrote to the broker's D1 ledger. */
export function ledgerEventRow(
  userId: string,
  transfers: readonly LedgerTransfer[],
  seq: number,
  now: number,
): OutboxRow {
  const event: WalletEvent = {
    v: 1,
    id: walletEventId(userId, seq),
    userId,
    seq,
    occurredAt: now,
    type: "wallet.ledger",
    transfers: [...transfers],
  };
  return { seq, type: event.type, body: JSON.stringify(event) };
}
