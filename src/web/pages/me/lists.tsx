import { formatPrice } from "../../../shared/format";
import { AuctionCard } from "../../components/auction-card";
import type { PageContext } from "../../page-context";
import { MeLayout } from "./me-layout";

/** `/me`: a greeting and the way to each part of the reader's page. */
export function meOverviewPage(page: PageContext) {
  const { t } = page;
  return (
    <MeLayout page={page} title={t("me.title")} current={null}>
      <p>{t("me.welcome", { nickname: page.me?.nickname ?? "" })}</p>
    </MeLayout>
  );
}

/** `/me/bids`: auctions the reader bid on, with where they stand. */
export async function myBidsPage(page: PageContext) {
  const { t, lang } = page;
  const { data } = await page.api.GET("/api/v1/me/bids", { params: { query: { limit: 50 } } });
  const items = data?.items ?? [];
  return (
    <MeLayout page={page} title={t("me.bidsTitle")} current="bids">
      {items.length === 0 && <p>{t("me.empty")}</p>}
      <ul class="grid">
        {items.map((bid) => (
          <li>
            <AuctionCard page={page} auction={bid.auction} />
            <p>
              {t(
                `auction.${bid.state === "leading" ? "leading" : bid.state === "outbid" ? "outbid" : bid.state === "won" ? "won" : "lost"}`,
              )}{" "}
              · {formatPrice(bid.auction.currentPrice, bid.auction.currency, lang)}
            </p>
          </li>
        ))}
      </ul>
    </MeLayout>
  );
}

/** `/me/listings`: what the reader is selling or sold. */
export async function myListingsPage(page: PageContext) {
  const { t } = page;
  const { data } = await page.api.GET("/api/v1/me/auctions", { params: { query: { limit: 50 } } });
  const items = data?.items ?? [];
  return (
    <MeLayout page={page} title={t("me.listingsTitle")} current="listings">
      {items.length === 0 && <p>{t("me.empty")}</p>}
      <ul class="grid">
        {items.map((auction) => (
          <li>
            <AuctionCard page={page} auction={auction} />
          </li>
        ))}
      </ul>
    </MeLayout>
  );
}

/** `/me/watchlist`. */
export async function myWatchlistPage(page: PageContext) {
  const { t } = page;
  const { data } = await page.api.GET("/api/v1/me/watchlist", { params: { query: { limit: 50 } } });
  const items = data?.items ?? [];
  return (
    <MeLayout page={page} title={t("me.watchlistTitle")} current="watchlist">
      {items.length === 0 && <p>{t("me.empty")}</p>}
      <ul class="grid">
        {items.map((auction) => (
          <li>
            <AuctionCard page={page} auction={auction} />
          </li>
        ))}
      </ul>
    </MeLayout>
  );
}
