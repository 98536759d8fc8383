import { type WalletEvent, walletEventId } from "../../queue/events";
import type { OutboxRow } from "../kit/outbox-storage";
import type { TopUpRequest } from "./results";

export type WalletEventType = WalletEvent["type"];

/** The outbox row of a top-up's outcome, numbered `seq` in the Wallet's outbox. */
export function topUpEventRow(
  userId: string,
  type: WalletEventType,
  topUp: TopUpRequest,
  seq: number,
  now: number,
): OutboxRow {
  const event: WalletEvent = {
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
