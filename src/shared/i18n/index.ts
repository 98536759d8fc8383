import { ERROR_STATUS, type ErrorCode } from "../error-codes";
import { en, type MessageKey } from "./en";
import { fill, type MessageParams } from "./fill";
import { ko } from "./ko";
import type { Lang } from "./lang";
import { PROBLEM_MESSAGES } from "./problems";

export type { MessageKey } from "./en";
export { fill, type MessageParams } from "./fill";
export { chooseLang, isLang, LANGS, type Lang } from "./lang";

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { en, ko };

export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  return fill(DICTIONARIES[lang][key], params);
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_STATUS, code);
}

/**
 * What to tell a reader about a refused request: the code's words in their language; an unknown
 * code (a newer server) falls back to the problem's own English `detail`.
 */
export function problemMessage(lang: Lang, code: string, detail?: string): string {
  if (isErrorCode(code)) return PROBLEM_MESSAGES[code][lang];
  return detail ?? PROBLEM_MESSAGES.INTERNAL[lang];
}
