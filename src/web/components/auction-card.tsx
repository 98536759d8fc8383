import type { components } from "../../client/api-schema";
import { formatPrice, formatTimeLeft } from "../../shared/format";
import type { PageContext } from "../page-context";

export type Auction = components["schemas"]["Auction"];

/** A catalog card: photo, title, price, a countdown the client keeps ticking, status. */
export function AuctionCard({ page, auction }: { page: PageContext; auction: Auction }) {
  const { t, lang } = page;
  const photo = auction.imageUrls[0];
  const left = Date.parse(auction.endsAt) - Date.parse(auction.serverTime);
  return (
    <article class="card">
      {photo ? (
        <img
          class="thumb"
          src={photo}
          alt={t("auction.photo", { title: auction.title, n: 1 })}
          loading="lazy"
          width="320"
          height="240"
        />
      ) : (
        <div class="thumb" aria-hidden="true">
          {t("catalog.noPhoto")}
        </div>
      )}
      <h2>
        <a href={`/auctions/${auction.id}`}>{auction.title}</a>
      </h2>
      <p class="price">{formatPrice(auction.currentPrice, auction.currency, lang)}</p>
      <p class="muted">
        {t(`status.${auction.status}`)} ·{" "}
        {t(auction.bidCount === 1 ? "catalog.oneBid" : "catalog.bids", { count: auction.bidCount })}
        {auction.status === "open" && (
          <>
            {" · "}
            <time
              data-countdown
              data-ends-at={auction.endsAt}
              data-server-time={auction.serverTime}
              datetime={auction.endsAt}
            >
              {formatTimeLeft(left, lang)}
            </time>
          </>
        )}
      </p>
    </article>
  );
}
