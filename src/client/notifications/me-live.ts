import { type LiveMessage, NotificationFrameSchema } from "../../shared/live-frames";
import { callApi } from "../api/call";
import { UnreadCountSchema } from "../api/responses";
import { socketUrl } from "../dom/page";
import { browserTimers } from "../dom/timers";
import { showToast } from "../dom/toasts";
import { parseJson } from "../json";
import { keepLive } from "../live/live-socket";
import type { PageData } from "../page-data";
import { showUnread } from "./badge";
import { notificationText, toastsFor } from "./notification-text";

/**
 * The signed-in reader's notifications (`GET /api/v1/me/live`, SPEC §6–7): a toast and the badge
 * for each, and the unread count read again after a reconnect, since frames sent while the socket
 * was down are not replayed. `listeners` hear every message (the wallet page's top-ups).
 */
export function startNotifications(page: PageData, listeners: ((message: LiveMessage) => void)[]): void {
  const { lang } = page;
  const openAuctionId = page.auction?.id ?? null;
  const refreshUnread = async () => {
    const result = await callApi({ method: "GET", url: "/api/v1/me/inbox/unread-count" });
    const unread = UnreadCountSchema.safeParse(result.body);
    if (result.kind === "ok" && unread.success) showUnread(unread.data.count, lang);
  };
  keepLive({
    url: () => socketUrl("/api/v1/me/live"),
    connect: (url) => new WebSocket(url),
    onText: (text) => {
      const frame = NotificationFrameSchema.safeParse(parseJson(text));
      if (!frame.success) return;
      const { message, unreadCount } = frame.data;
      showUnread(unreadCount, lang);
      if (toastsFor(message, openAuctionId)) showToast(notificationText(lang, message));
      for (const listener of listeners) listener(message);
    },
    onOpen: (reopened) => {
      if (reopened) void refreshUnread();
    },
    timers: browserTimers,
    random: Math.random,
  });
}
