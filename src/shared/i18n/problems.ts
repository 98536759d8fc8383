import type { ErrorCode } from "../error-codes";
import type { Lang } from "./lang";

/**
 * Every API error `code` as a reader is told it (SPEC §10: every message from the API's code
 * translated). Keyed by the code list itself, so a new code does not compile until it has words.
 */
export const PROBLEM_MESSAGES: Record<ErrorCode, Record<Lang, string>> = {
  MALFORMED_JSON: { en: "The request could not be read.", ko: "요청을 읽을 수 없습니다." },
  BAD_REQUEST: { en: "The request is not valid.", ko: "잘못된 요청입니다." },
  BODY_NOT_ALLOWED: { en: "The request is not valid.", ko: "잘못된 요청입니다." },
  INVALID_PARAMETER: { en: "Some of the values are not valid.", ko: "값이 올바르지 않습니다." },
  INVALID_CURSOR: {
    en: "That page of results is no longer available.",
    ko: "더 이상 볼 수 없는 목록입니다.",
  },
  INVALID_WEBSOCKET_HANDSHAKE: { en: "The live connection failed.", ko: "실시간 연결에 실패했습니다." },
  NOT_FOUND: { en: "Not found.", ko: "찾을 수 없습니다." },
  PAYLOAD_TOO_LARGE: { en: "That is too large.", ko: "용량이 너무 큽니다." },
  UNSUPPORTED_IMAGE: {
    en: "Photos must be JPEG, PNG or WebP.",
    ko: "사진은 JPEG, PNG, WebP만 올릴 수 있습니다.",
  },
  UPLOAD_NOT_OWNED: { en: "Use photos you uploaded yourself.", ko: "직접 올린 사진만 쓸 수 있습니다." },
  MEDIA_NOT_FOUND: { en: "No such photo.", ko: "없는 사진입니다." },
  UNSUPPORTED_MEDIA_TYPE: { en: "That kind of file is not accepted.", ko: "지원하지 않는 형식입니다." },
  VALIDATION_FAILED: { en: "Please check the highlighted fields.", ko: "표시된 항목을 확인해 주세요." },
  IDEMPOTENCY_KEY_REUSED: {
    en: "That was already sent with different values.",
    ko: "다른 값으로 이미 보낸 요청입니다.",
  },
  UPGRADE_REQUIRED: { en: "The live connection failed.", ko: "실시간 연결에 실패했습니다." },
  UNSUPPORTED_WEBSOCKET_VERSION: { en: "The live connection failed.", ko: "실시간 연결에 실패했습니다." },
  UNAUTHENTICATED: { en: "Please log in first.", ko: "먼저 로그인해 주세요." },
  INVALID_CREDENTIALS: { en: "Wrong username or password.", ko: "아이디 또는 비밀번호가 틀렸습니다." },
  FORBIDDEN: { en: "You are not allowed to do that.", ko: "권한이 없습니다." },
  ORIGIN_NOT_ALLOWED: {
    en: "Requests from that site are not allowed.",
    ko: "허용되지 않은 사이트의 요청입니다.",
  },
  SELLER_CANNOT_BID: { en: "You cannot bid on your own item.", ko: "내 상품에는 입찰할 수 없습니다." },
  TOO_MANY_ATTEMPTS: {
    en: "Too many attempts; wait a moment.",
    ko: "시도가 너무 많습니다. 잠시 후 다시 해 주세요.",
  },
  USERNAME_TAKEN: { en: "That username is taken.", ko: "이미 사용 중인 아이디입니다." },
  PASSWORD_TOO_WEAK: { en: "Choose a stronger password.", ko: "더 안전한 비밀번호를 정해 주세요." },
  INVALID_CURRENT_PASSWORD: { en: "The current password is wrong.", ko: "현재 비밀번호가 틀렸습니다." },
  ACCOUNT_SUSPENDED: { en: "This account is suspended.", ko: "정지된 계정입니다." },
  USER_NOT_FOUND: { en: "No such user.", ko: "없는 회원입니다." },
  ACCOUNT_ALREADY_SUSPENDED: { en: "Already suspended.", ko: "이미 정지된 계정입니다." },
  ACCOUNT_NOT_SUSPENDED: { en: "That account is not suspended.", ko: "정지되지 않은 계정입니다." },
  CANNOT_SUSPEND_ADMIN: { en: "Administrators cannot be suspended.", ko: "관리자는 정지할 수 없습니다." },
  AUCTION_NOT_FOUND: { en: "No such auction.", ko: "없는 경매입니다." },
  AUCTION_NOT_OPEN: { en: "The auction is not open.", ko: "진행 중인 경매가 아닙니다." },
  AUCTION_CLOSED: { en: "The auction has ended.", ko: "종료된 경매입니다." },
  AUCTION_HAS_BIDS: { en: "It already has bids.", ko: "이미 입찰이 있습니다." },
  BUY_NOW_UNAVAILABLE: { en: "Buy now is no longer available.", ko: "즉시 구매할 수 없습니다." },
  BID_TOO_LOW: { en: "Your bid is below the minimum.", ko: "최소 입찰가보다 낮습니다." },
  MAX_NOT_RAISED: {
    en: "Raise your maximum above the current one.",
    ko: "자동 입찰 한도를 지금보다 높여 주세요.",
  },
  BID_AT_OR_ABOVE_BUY_NOW: {
    en: "At that price, use Buy now.",
    ko: "그 가격이면 즉시 구매를 이용해 주세요.",
  },
  RATE_LIMITED: { en: "Too fast; wait a moment.", ko: "너무 빠릅니다. 잠시 후 다시 해 주세요." },
  INSUFFICIENT_FUNDS: { en: "Not enough money in your wallet.", ko: "지갑 잔액이 부족합니다." },
  INVALID_SIGNATURE: { en: "The payment could not be verified.", ko: "결제를 확인할 수 없습니다." },
  TOP_UP_NOT_FOUND: { en: "No such top-up.", ko: "없는 충전 요청입니다." },
  TOP_UP_STATE: { en: "That top-up is already settled.", ko: "이미 처리된 충전입니다." },
  AMOUNT_MISMATCH: { en: "The amount does not match.", ko: "금액이 맞지 않습니다." },
  WITHDRAWAL_NOT_FOUND: { en: "No such withdrawal.", ko: "없는 출금 요청입니다." },
  WITHDRAWAL_STATE: { en: "That withdrawal is already settled.", ko: "이미 처리된 출금입니다." },
  ORDER_NOT_FOUND: { en: "No such order.", ko: "없는 주문입니다." },
  ORDER_STATE: { en: "The order cannot do that now.", ko: "지금은 할 수 없는 주문 처리입니다." },
  SECOND_CHANCE_NOT_FOUND: { en: "No such offer.", ko: "없는 제안입니다." },
  SECOND_CHANCE_STATE: { en: "That offer is no longer open.", ko: "더 이상 유효하지 않은 제안입니다." },
  UNKNOWN_BIDDER: { en: "No such bidder on this auction.", ko: "이 경매의 입찰자가 아닙니다." },
  BIDDER_NOT_ELIGIBLE: { en: "That bidder cannot get an offer.", ko: "제안할 수 없는 입찰자입니다." },
  TRANSFER_CONFLICT: { en: "That payment conflicts with an earlier one.", ko: "이전 결제와 충돌합니다." },
  INBOX_MESSAGE_NOT_FOUND: { en: "No such message.", ko: "없는 알림입니다." },
  LIVE_UNAVAILABLE: {
    en: "Live updates are unavailable right now.",
    ko: "지금은 실시간 알림을 받을 수 없습니다.",
  },
  OVERLOADED: {
    en: "Busy right now; try again in a moment.",
    ko: "지금은 혼잡합니다. 잠시 후 다시 해 주세요.",
  },
  INTERNAL: { en: "Something went wrong on our side.", ko: "서버에 문제가 생겼습니다." },
};
