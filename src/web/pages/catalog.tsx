import { CATALOG_SORTS, type CatalogSort } from "../../shared/catalog-sorts";
import { AuctionCard } from "../components/auction-card";
import { Layout } from "../layout";
import type { PageContext } from "../page-context";

const STATUSES = ["open", "scheduled", "closed"] as const;
type Status = (typeof STATUSES)[number];

export interface CatalogQuery {
  q?: string;
  category?: string;
  sort?: CatalogSort;
  status?: Status;
  cursor?: string;
}

/** Reads the catalog's search form from the URL, dropping what the API would refuse. */
export function catalogQuery(url: URL): CatalogQuery {
  const get = (name: string) => url.searchParams.get(name)?.trim() || undefined;
  const sort = get("sort");
  const status = get("status");
  return {
    q: get("q")?.slice(0, 100),
    category: get("category")?.match(/^[a-z0-9-]{1,32}$/)?.[0],
    sort: CATALOG_SORTS.find((s) => s === sort),
    status: STATUSES.find((s) => s === status),
    cursor: get("cursor"),
  };
}

/** `/`: the catalog (SPEC §10) — search, category, sort, status, photos, countdowns, "more". */
export async function catalogPage(page: PageContext, query: CatalogQuery) {
  const { t } = page;
  const { data } = await page.api.GET("/api/v1/auctions", {
    params: { query: { ...query, status: query.status ?? "open", limit: 24 } },
  });
  const items = data?.items ?? [];
  const more = data?.nextCursor
    ? `/?${new URLSearchParams(
        Object.entries({ ...query, cursor: data.nextCursor }).filter(
          (e): e is [string, string] => e[1] !== undefined,
        ),
      )}`
    : null;
  return (
    <Layout page={page} title={t("catalog.title")}>
      <h1>{t("catalog.title")}</h1>
      <search>
        <form method="get" action="/" class="row card">
          <div>
            <label for="q">{t("catalog.search")}</label>
            <input id="q" name="q" type="search" value={query.q} />
          </div>
          <div>
            <label for="category">{t("catalog.category")}</label>
            <input id="category" name="category" value={query.category} pattern="[a-z0-9-]{1,32}" />
          </div>
          <div>
            <label for="sort">{t("catalog.sort")}</label>
            <select id="sort" name="sort">
              {CATALOG_SORTS.map((sort) => (
                <option value={sort} selected={sort === (query.sort ?? "newest")}>
                  {t(`catalog.sort.${sort}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="status">{t("catalog.status")}</label>
            <select id="status" name="status">
              {STATUSES.map((status) => (
                <option value={status} selected={status === (query.status ?? "open")}>
                  {t(`status.${status}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t("catalog.submit")}</button>
        </form>
      </search>
      {items.length === 0 ? (
        <p>{t("catalog.empty")}</p>
      ) : (
        <ul class="grid" data-catalog style="margin-top:1rem">
          {items.map((auction) => (
            <li>
              <AuctionCard page={page} auction={auction} />
            </li>
          ))}
        </ul>
      )}
      {more && (
        <p>
          <a class="button" href={more}>
            {t("catalog.more")}
          </a>
        </p>
      )}
    </Layout>
  );
}
