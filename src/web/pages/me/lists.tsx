import { formatPrice } from "../../../shared/format";
import { STANDING_MESSAGE } from "../../../shared/standing";
import { type Auction, AuctionCard } from "../../components/auction-card";
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
              {t(STANDING_MESSAGE[bid.state])} ·{" "}
              {formatPrice(bid.auction.currentPrice, bid.auction.currency, lang)}
            </p>
          </li>
        ))}
      </ul>
    </MeLayout>
  );
}

/** `/me/listings`: what the reader is selling or sold. */
export async function myListingsPage(page: PageContext) {
  const { data } = await page.api.GET("/api/v1/me/auctions", { params: { query: { limit: 50 } } });
  return (
    <MeLayout page={page} title={page.t("me.listingsTitle")} current="listings">
      <AuctionGrid page={page} auctions={data?.items ?? []} />
    </MeLayout>
  );
}

/** `/me/watchlist`. */
export async function myWatchlistPage(page: PageContext) {
  const { data } = await page.api.GET("/api/v1/me/watchlist", { params: { query: { limit: 50 } } });
  return (
    <MeLayout page={page} title={page.t("me.watchlistTitle")} current="watchlist">
      <AuctionGrid page={page} auctions={data?.items ?? []} />
    </MeLayout>
  );
}

function AuctionGrid({ page, auctions }: { page: PageContext; auctions: Auction[] }) {
  if (auctions.length === 0) return <p>{page.t("me.empty")}</p>;
  return (
    <ul class="grid">
      {auctions.map((auction) => (
        <li>
          <AuctionCard page={page} auction={auction} />
        </li>
      ))}
    </ul>
  );
}
