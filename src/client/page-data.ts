import * as z from "zod/mini";
import { isLang, LANGS, type Lang } from "../shared/i18n";
import { LiveAuctionSchema } from "../shared/live-frames";

/**
 * What the server tells the browser code in `<script type="application/json" id="page-data">`
 * (web contract, "Page data for the client"). It is our own markup, but a stale cached page or a
 * proxy could hand us anything: parsed like any other input.
 */
const PageDataSchema = z.object({
  lang: z.enum(LANGS),
  me: z.nullable(z.object({ id: z.string(), username: z.string(), nickname: z.string(), role: z.string() })),
  unreadCount: z.nullable(z.int()),
  /** Auction pages only. */
  auction: z.optional(LiveAuctionSchema),
  /** Auction pages only: the room's latest seq when the page was rendered, if known. */
  lastSeq: z.optional(z.nullable(z.int())),
  /** Auction pages only: whether the reader has bid on this auction (for "You were outbid"). */
  viewerHasBid: z.optional(z.boolean()),
});
export type PageData = z.infer<typeof PageDataSchema>;

/** The page's data, or a signed-out page in the document's language when it cannot be read. */
export function parsePageData(text: string | null, documentLang: string | null): PageData {
  if (text !== null) {
    try {
      const parsed = PageDataSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // Not JSON: fall through to the fallback.
    }
  }
  const lang: Lang = isLang(documentLang) ? documentLang : "ko";
  return { lang, me: null, unreadCount: null };
}
