import { z } from "@hono/zod-openapi";

/** A surrogate code unit standing alone: not a character, and invalid once encoded as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;
/** C0/C1 control characters (NUL, ESC, …). */
const CONTROL = /\p{Cc}/u;
/** The same, except tab and line breaks, which a multi-line description legitimately holds. */
const CONTROL_EXCEPT_LINE_BREAKS = /[^\P{Cc}\t\n\r]/u;
/**
 * Bidirectional embeddings, overrides and isolates: they make text read differently from what it
 * is (a title can show another seller's name, a nickname can mirror a price). The plain marks
 * LRM/RLM, which right-to-left text needs, stay allowed.
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;

export interface TextRules {
  min?: number;
  max: number;
  /** Allow tab and line breaks (descriptions). */
  multiline?: boolean;
  /** Strip leading and trailing white space first (titles, nicknames). */
  trim?: boolean;
}

/**
 * User-written text (SPEC §2): normalised to NFC so the same words compare and count the same,
 * and refused with a field error when it holds control characters, lone surrogates or
 * bidirectional controls. Lengths are counted after normalising.
 */
export function userText({ min = 0, max, multiline = false, trim = false }: TextRules) {
  const control = multiline ? CONTROL_EXCEPT_LINE_BREAKS : CONTROL;
  return z
    .string()
    .refine((s) => !LONE_SURROGATE.test(s), "must not contain lone surrogates (invalid Unicode)")
    .refine(
      (s) => !control.test(s),
      multiline
        ? "must not contain control characters other than tab and line breaks"
        : "must not contain control characters",
    )
    .refine((s) => !BIDI_CONTROL.test(s), "must not contain bidirectional override or isolate characters")
    .overwrite((s) => {
      const normalised = s.normalize("NFC");
      return trim ? normalised.trim() : normalised;
    })
    .min(min)
    .max(max);
}
