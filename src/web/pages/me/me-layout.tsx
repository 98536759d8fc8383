import type { Child } from "hono/jsx";
import type { MessageKey } from "../../../shared/i18n";
import { Layout } from "../../layout";
import type { PageContext } from "../../page-context";

export const ME_TABS = [
  ["bids", "me.bids"],
  ["listings", "me.listings"],
  ["watchlist", "me.watchlist"],
  ["wallet", "me.wallet"],
  ["orders", "me.orders"],
  ["inbox", "me.inbox"],
] as const satisfies ReadonlyArray<readonly [string, MessageKey]>;

export type MeTab = (typeof ME_TABS)[number][0];

/** Every `/me` page: the site frame, its heading and the sub-navigation with the current tab marked. */
export function MeLayout(props: {
  page: PageContext;
  title: string;
  current: MeTab | null;
  children: Child;
}) {
  const { t } = props.page;
  return (
    <Layout page={props.page} title={props.title}>
      <h1>{props.title}</h1>
      <nav aria-label={t("me.nav")} class="tabs">
        {ME_TABS.map(([tab, label]) => (
          <a href={`/me/${tab}`} aria-current={tab === props.current ? "page" : undefined}>
            {t(label)}
          </a>
        ))}
      </nav>
      {props.children}
    </Layout>
  );
}
