import type { TransferKind } from "../transfer-kinds";
import type { Lang } from "./lang";

/** A wallet entry's kind as its owner reads it on /me/wallet. */
export const TRANSFER_KIND_TEXT: Record<TransferKind, Record<Lang, string>> = {
  top_up: { en: "Top-up", ko: "충전" },
  adjustment: { en: "Adjustment", ko: "잔액 조정" },
  refund: { en: "Refund", ko: "환불" },
  hold: { en: "Held", ko: "보류" },
  hold_raise: { en: "Hold raised", ko: "보류 증액" },
  hold_release: { en: "Hold lowered", ko: "보류 감액" },
  hold_void: { en: "Hold released", ko: "보류 해제" },
  hold_expire: { en: "Hold expired", ko: "보류 만료" },
  payment: { en: "Payment", ko: "결제" },
  withdrawal: { en: "Withdrawal", ko: "출금" },
  payout_pending: { en: "Sale proceeds, pending", ko: "판매 대금 (정산 대기)" },
  payout_release: { en: "Sale proceeds paid out", ko: "판매 대금 지급" },
  payout_reversal: { en: "Sale proceeds returned", ko: "판매 대금 반환" },
  platform_fee: { en: "Platform fee", ko: "수수료" },
};
