/**
 * What moved a user's money (SPEC §8): the kind of every transfer, and so of every wallet entry
 * the API lists. Read by the money rules that write them and the pages that name them.
 */
export const TRANSFER_KINDS = [
  "top_up",
  "adjustment",
  "refund",
  "hold",
  "hold_raise",
  "hold_release",
  "hold_void",
  "hold_expire",
  "payment",
  "withdrawal",
  "payout_pending",
  "payout_release",
  "payout_reversal",
  "platform_fee",
] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];
