import { formatDateTime } from "../../../shared/format";
import { inboxMessageText } from "../../../shared/i18n/inbox";
import { ApiForm } from "../../components/field";
import type { PageContext } from "../../page-context";
import { MeLayout } from "./me-layout";

/** `/me/inbox` (SPEC §7): newest first, unread marked, "mark all as read". */
export async function myInboxPage(page: PageContext) {
  const { t, lang } = page;
  const { data } = await page.api.GET("/api/v1/me/inbox", { params: { query: { limit: 50 } } });
  const messages = data?.items ?? [];
  return (
    <MeLayout page={page} title={t("me.inboxTitle")} current="inbox">
      <ApiForm action="/api/v1/me/inbox/read-all" reload class="row">
        <button type="submit" class="secondary">
          {t("inbox.markAllRead")}
        </button>
      </ApiForm>
      {messages.length === 0 && <p>{t("inbox.empty")}</p>}
      <ul class="history" data-inbox>
        {messages.map((message) => (
          <li class={message.readAt ? "" : "unread"}>
            <span>
              {message.readAt ? "" : <strong>{t("inbox.unread")} · </strong>}
              {message.auctionId ? (
                <a href={`/auctions/${message.auctionId}`}>{inboxMessageText(lang, message)}</a>
              ) : (
                inboxMessageText(lang, message)
              )}
            </span>
            <time datetime={message.createdAt}>{formatDateTime(message.createdAt, lang)}</time>
          </li>
        ))}
      </ul>
    </MeLayout>
  );
}
