import type { components } from "../../../client/api-schema";
import { formatPrice } from "../../../shared/format";
import { ApiForm, Field } from "../../components/field";
import type { PageContext } from "../../page-context";
import { MeLayout } from "./me-layout";

type MyOrder = components["schemas"]["MyOrder"];

/** `/me/orders` (SPEC §8): the reader's sales and purchases, with the step each one waits for. */
export async function myOrdersPage(page: PageContext) {
  const { t } = page;
  const { data } = await page.api.GET("/api/v1/me/orders", { params: { query: { limit: 50 } } });
  // The list is the D1 projection, about a second behind; an order still moving is read from its
  // room, so the page shows a step the reader just took (ship, confirm) at once.
  const orders = await Promise.all((data?.items ?? []).map((order) => withLiveStatus(page, order)));
  return (
    <MeLayout page={page} title={t("me.ordersTitle")} current="orders">
      {orders.length === 0 && <p>{t("me.empty")}</p>}
      {orders.map((order) => (
        <OrderCard page={page} order={order} />
      ))}
    </MeLayout>
  );
}

const FINAL_STATUSES: ReadonlySet<MyOrder["status"]> = new Set(["completed", "refunded"]);

async function withLiveStatus(page: PageContext, order: MyOrder): Promise<MyOrder> {
  if (FINAL_STATUSES.has(order.status)) return order;
  const live = await page.api.GET("/api/v1/auctions/{id}/order", {
    params: { path: { id: order.auctionId } },
  });
  return live.data && live.data.id === order.id ? { ...order, status: live.data.status } : order;
}

function OrderCard({ page, order }: { page: PageContext; order: MyOrder }) {
  const { t, lang } = page;
  const base = `/api/v1/auctions/${order.auctionId}/order`;
  const id = order.id.replace(/[^a-zA-Z0-9_-]/g, "_");
  const seller = order.role === "seller";
  return (
    <article class="card" data-order={order.auctionId} style="margin-bottom:1rem">
      <h2>
        <a href={`/auctions/${order.auctionId}`}>{order.title}</a>
      </h2>
      <p>
        {seller ? t("orders.sold") : t("orders.bought")} · {formatPrice(order.price, order.currency, lang)} ·{" "}
        <strong data-order-status>{t(`orders.status.${order.status}`)}</strong>
      </p>
      {seller && order.status === "paid" && (
        <ApiForm action={`${base}/ship`} reload class="row">
          <Field id={`carrier-${id}`} name="carrier" label={t("orders.carrier")} />
          <Field id={`tracking-${id}`} name="trackingNumber" label={t("orders.trackingNumber")} />
          <button type="submit">{t("orders.ship")}</button>
        </ApiForm>
      )}
      {seller && order.status === "paid" && (
        <ApiForm action={`${base}/cancel`} reload class="row">
          <button type="submit" class="secondary">
            {t("orders.cancel")}
          </button>
        </ApiForm>
      )}
      {!seller && order.status === "shipped" && (
        <ApiForm action={`${base}/confirm`} reload class="row">
          <button type="submit">{t("orders.confirm")}</button>
        </ApiForm>
      )}
      {!seller && (order.status === "paid" || order.status === "shipped") && (
        <details>
          <summary>{t("orders.dispute")}</summary>
          <ApiForm action={`${base}/dispute`} reload>
            <Field id={`reason-${id}`} name="reason" label={t("admin.reason")} required multiline />
            <button type="submit" class="secondary">
              {t("orders.dispute")}
            </button>
          </ApiForm>
        </details>
      )}
    </article>
  );
}
