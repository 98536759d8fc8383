import type { components } from "../../client/api-schema";
import { formatDateTime, formatPrice, formatTimeLeft } from "../../shared/format";
import { STANDING_MESSAGE, standingOf } from "../../shared/standing";
import type { Auction } from "../components/auction-card";
import { ApiForm, Field } from "../components/field";
import { Layout } from "../layout";
import type { PageContext } from "../page-context";
import { PageNotFound } from "../page-errors";

/** How the bid history names the reader's own bids. */
const YOU = "you";

type HistoryItem = components["schemas"]["HistoryItem"];
type Order = components["schemas"]["Order"];

/** `/auctions/{id}` (SPEC §10): what is sold, by whom, the live figures, and the ways to bid. */
export async function auctionPage(page: PageContext, id: string) {
  const { api } = page;
  const found = await api.GET("/api/v1/auctions/{id}", { params: { path: { id } } });
  const auction = found.data;
  if (!auction) throw new PageNotFound(page.t("auction.notFound"));
  const sold = auction.status === "closed" && auction.outcome === "sold";
  const party = page.me !== null && (page.me.id === auction.sellerId || page.me.id === auction.winnerId);
  const [history, watchlist, order] = await Promise.all([
    api.GET("/api/v1/auctions/{id}/bids", { params: { path: { id }, query: { limit: 20 } } }),
    page.me ? api.GET("/api/v1/me/watchlist", { params: { query: { limit: 100 } } }) : null,
    sold && party ? api.GET("/api/v1/auctions/{id}/order", { params: { path: { id } } }) : null,
  ]);
  const watching = watchlist?.data?.items.some((item) => item.id === id) ?? false;
  const items = history.data?.items ?? [];
  const viewerHasBid = items.some((item) => item.bidder.handle === YOU);
  return (
    <Layout page={page} title={auction.title} data={{ auction, lastSeq: null, viewerHasBid }} auctionScript>
      <AuctionView
        page={page}
        auction={auction}
        history={items}
        watching={watching}
        order={order?.data ?? null}
      />
    </Layout>
  );
}

interface ViewProps {
  page: PageContext;
  auction: Auction;
  history: HistoryItem[];
  watching: boolean;
  order: Order | null;
}

function AuctionView({ page, auction, history, watching, order }: ViewProps) {
  const viewerHasBid = history.some((item) => item.bidder.handle === YOU);
  const { t, lang, me } = page;
  const price = (amount: number) => formatPrice(amount, auction.currency, lang);
  const isSeller = me?.id === auction.sellerId;
  const open = auction.status === "open";
  return (
    <div class="auction" data-auction={auction.id}>
      <h1 class="title">{auction.title}</h1>
      <div class="photos">
        {auction.imageUrls.map((url, index) => (
          <img
            src={url}
            alt={t("auction.photo", { title: auction.title, n: index + 1 })}
            width="800"
            height="600"
            loading={index === 0 ? "eager" : "lazy"}
          />
        ))}
      </div>
      <section class="details">
        <p>{t("auction.seller", { nickname: auction.seller.nickname })}</p>
        <h2>{t("auction.description")}</h2>
        <p style="white-space:pre-wrap">{auction.description}</p>
        <h2>{t("auction.history")}</h2>
        <ol class="history" data-live="history">
          {history.map((item) => (
            <li>
              <span>{item.bidder.handle}</span> <span>{price(item.amount)}</span>{" "}
              <time datetime={item.placedAt}>{formatDateTime(item.placedAt, lang)}</time>
            </li>
          ))}
        </ol>
        {history.length === 0 && (
          <p class="muted" data-live="no-history">
            {t("auction.noHistory")}
          </p>
        )}
      </section>
      <aside class="card panel">
        <LiveFigures page={page} auction={auction} viewerHasBid={viewerHasBid} />
        {order && (
          <p>
            {t("auction.order", { status: t(`orders.status.${order.status}`) })}{" "}
            <a href="/me/orders">{t("auction.goToOrder")}</a>
          </p>
        )}
        {open && !isSeller && me && <BidForms page={page} auction={auction} price={price} />}
        {open && !me && (
          <p>
            <a class="button" href={`/login?next=${encodeURIComponent(`/auctions/${auction.id}`)}`}>
              {t("auction.loginToBid")}
            </a>
          </p>
        )}
        {isSeller && <p class="muted">{t("auction.yourListing")}</p>}
        {me && !isSeller && (
          <ApiForm
            action={`/api/v1/auctions/${auction.id}/watch`}
            method={watching ? "DELETE" : "PUT"}
            reload
            class="row"
          >
            <button type="submit" class="secondary" aria-pressed={watching ? "true" : "false"}>
              {watching ? t("auction.watching") : t("auction.watch")}
            </button>
          </ApiForm>
        )}
      </aside>
    </div>
  );
}

/** The figures the live client keeps in step: it rewrites exactly these, with the same words. */
function LiveFigures({
  page,
  auction,
  viewerHasBid,
}: {
  page: PageContext;
  auction: Auction;
  viewerHasBid: boolean;
}) {
  const { t, lang } = page;
  const price = (amount: number) => formatPrice(amount, auction.currency, lang);
  const closed = auction.status === "closed";
  const standing = standingOf({
    status: auction.status,
    outcome: auction.outcome,
    leaderIsYou: auction.leaderIsYou,
    winnerIsYou: page.me !== null && auction.winnerId === page.me.id,
    viewerHasBid,
  });
  const left = Date.parse(auction.endsAt) - Date.parse(auction.serverTime);
  return (
    <>
      <dl class="facts">
        <dt>{t("auction.price")}</dt>
        <dd class="price" data-live="price">
          {price(auction.currentPrice)}
        </dd>
        <dt>{t("auction.bidCount")}</dt>
        <dd data-live="bid-count">{auction.bidCount}</dd>
        <dt>{t("auction.leader")}</dt>
        <dd data-live="leader">{auction.leader?.handle ?? t("auction.noLeader")}</dd>
        <dt>{t("auction.minimum")}</dt>
        <dd data-live="minimum">{price(auction.minimumNextBid)}</dd>
        {auction.status === "scheduled" ? (
          // Not open yet: when it opens, not a countdown to its end (a reload then counts down).
          <>
            <dt>{t("status.scheduled")}</dt>
            <dd>
              <time datetime={auction.startsAt}>{formatDateTime(auction.startsAt, lang)}</time>
            </dd>
          </>
        ) : (
          <>
            <dt>{t("auction.timeLeft")}</dt>
            <dd>
              <time
                data-live="time-left"
                data-ends-at={auction.endsAt}
                data-server-time={auction.serverTime}
                datetime={auction.endsAt}
              >
                {formatTimeLeft(auction.status === "open" ? left : 0, lang)}
              </time>
            </dd>
          </>
        )}
        <dt>{t("catalog.status")}</dt>
        <dd data-live="status">{t(`status.${auction.status}`)}</dd>
      </dl>
      {auction.reservePrice !== undefined && auction.reservePrice !== null && (
        <p data-live="reserve">{auction.reserveMet ? t("auction.reserveMet") : t("auction.reserveNotMet")}</p>
      )}
      <p class="notice" data-live="extended" hidden={auction.extendedCount === 0}>
        {t("auction.extended")}
      </p>
      <p
        class={`standing ${standing === "outbid" || standing === "lost" ? "bad" : "good"}`}
        data-live="standing"
      >
        {standing && t(STANDING_MESSAGE[standing])}
      </p>
      <p class="price" data-live="result">
        {closed && auction.outcome === "sold" && auction.leader
          ? t("auction.soldTo", { handle: auction.leader.handle, price: price(auction.currentPrice) })
          : closed
            ? t("auction.notSold")
            : auction.status === "cancelled"
              ? t("auction.cancelled")
              : ""}
      </p>
    </>
  );
}

function BidForms({
  page,
  auction,
  price,
}: {
  page: PageContext;
  auction: Auction;
  price: (n: number) => string;
}) {
  const { t } = page;
  return (
    <>
      <h2>{t("auction.bid")}</h2>
      <ApiForm action={`/api/v1/auctions/${auction.id}/bids`} idempotent label={t("auction.bid")}>
        <Field
          name="amount"
          label={t("auction.amount")}
          type="number"
          dataType="integer"
          min={auction.minimumNextBid}
          value={auction.minimumNextBid}
          required
        />
        <label class="check">
          <input type="checkbox" name="proxy" data-proxy /> {t("auction.proxy")}
        </label>
        <button type="submit">{t("auction.placeBid")}</button>
      </ApiForm>
      {auction.buyNowAvailable && auction.buyNowPrice !== null && (
        <ApiForm action={`/api/v1/auctions/${auction.id}/buy-now`} idempotent reload class="row">
          <button type="submit" class="secondary">
            {t("auction.buyNow", { price: price(auction.buyNowPrice) })}
          </button>
        </ApiForm>
      )}
    </>
  );
}
