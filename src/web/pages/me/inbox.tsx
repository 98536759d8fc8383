import type { components } from "../../../client/api-schema";
import { formatDateTime, formatPrice } from "../../../shared/format";
import { fill, type Lang } from "../../../shared/i18n";
import { INBOX_TEXT } from "../../../shared/i18n/inbox";
import { INBOX_KINDS, type InboxKind } from "../../../shared/inbox-kinds";
import { ApiForm } from "../../components/field";
import type { PageContext } from "../../page-context";
import { MeLayout } from "./me-layout";

type InboxMessage = components["schemas"]["InboxMessage"];

function isInboxKind(kind: string): kind is InboxKind {
  return (INBOX_KINDS as readonly string[]).includes(kind);
}

/** A message in the reader's language from its kind and data; the server's English text otherwise. */
export function inboxText(message: InboxMessage, lang: Lang): string {
  if (!isInboxKind(message.kind)) return message.body;
  const data = message.data;
  const title = typeof data.auctionTitle === "string" ? data.auctionTitle : "";
  const price =
    typeof data.price === "number" && typeof data.currency === "string"
      ? formatPrice(data.price, data.currency, lang)
      : "";
  return fill(INBOX_TEXT[message.kind][lang], { title, price });
}

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
                <a href={`/auctions/${message.auctionId}`}>{inboxText(message, lang)}</a>
              ) : (
                inboxText(message, lang)
              )}
            </span>
            <time datetime={message.createdAt}>{formatDateTime(message.createdAt, lang)}</time>
          </li>
        ))}
      </ul>
    </MeLayout>
  );
}
