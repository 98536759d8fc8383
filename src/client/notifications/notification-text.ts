import type { Lang } from "../../shared/i18n";
import { inboxMessageText } from "../../shared/i18n/inbox";
import type { LiveMessage } from "../../shared/live-frames";

/** A pushed inbox message in the reader's language, as the inbox page writes it. */
export function notificationText(lang: Lang, message: LiveMessage): string {
  return inboxMessageText(lang, message);
}

/**
 * Whether a notification gets a toast. An outbid on the auction this page shows has had its toast
 * from the room's own frame, which comes first; the notification then only moves the badge.
 */
export function toastsFor(message: LiveMessage, openAuctionId: string | null): boolean {
  return !(message.kind === "outbid" && message.auctionId === openAuctionId);
}
