import { formatDateTime, formatPrice } from "../../shared/format";
import { ApiForm, Field } from "../components/field";
import { Layout } from "../layout";
import type { PageContext } from "../page-context";

/** `/admin` (SPEC §9, §10): users, disputes, withdrawals and the ledger check, for administrators. */
export async function adminPage(page: PageContext, options: { q?: string; runLedger: boolean }) {
  const { t, lang, api } = page;
  const [users, withdrawals, disputes, ledger] = await Promise.all([
    api.GET("/api/v1/admin/users", {
      params: { query: { limit: 50, ...(options.q ? { q: options.q } : {}) } },
    }),
    api.GET("/api/v1/admin/withdrawals", { params: { query: { status: "requested", limit: 50 } } }),
    api.GET("/api/v1/admin/orders", { params: { query: { status: "disputed", limit: 50 } } }),
    options.runLedger ? api.GET("/api/v1/admin/ledger/check") : null,
  ]);
  return (
    <Layout page={page} title={t("admin.title")}>
      <h1>{t("admin.title")}</h1>

      <h2>{t("admin.ledger")}</h2>
      <form method="get" action="/admin" class="row">
        <input type="hidden" name="ledger" value="1" />
        <button type="submit">{t("admin.runLedger")}</button>
      </form>
      {ledger?.data && (
        <div role="status" data-ledger-result>
          {ledger.data.ok ? (
            <p>{t("admin.ledgerOk", { transfers: ledger.data.transfers })}</p>
          ) : (
            <>
              <p class="form-error">{t("admin.ledgerProblems", { count: ledger.data.problems.length })}</p>
              <ul>
                {ledger.data.problems.slice(0, 50).map((problem) => (
                  <li>
                    <code>{JSON.stringify(problem)}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}

      <h2>{t("admin.disputes")}</h2>
      {(disputes.data?.items.length ?? 0) === 0 && <p>{t("admin.none")}</p>}
      {disputes.data?.items.map((order) => (
        <div class="card" style="margin-bottom:.5rem" data-dispute={order.auctionId}>
          <p>
            <a href={`/auctions/${order.auctionId}`}>{order.title}</a> ·{" "}
            {formatPrice(order.price, order.currency, lang)} · {order.buyer.username} →{" "}
            {order.seller.username}
          </p>
          {(["refund", "release"] as const).map((outcome) => (
            <ApiForm action={`/api/v1/admin/orders/${order.auctionId}/resolve`} reload class="row">
              <input type="hidden" name="outcome" value={outcome} />
              <Field id={`${outcome}-reason-${order.id}`} name="reason" label={t("admin.reason")} required />
              <button type="submit" class={outcome === "refund" ? "secondary" : undefined}>
                {t(outcome === "refund" ? "admin.refund" : "admin.release")}
              </button>
            </ApiForm>
          ))}
        </div>
      ))}

      <h2>{t("admin.withdrawals")}</h2>
      {(withdrawals.data?.items.length ?? 0) === 0 && <p>{t("admin.none")}</p>}
      {withdrawals.data?.items.map((withdrawal) => (
        <div class="card row" style="margin-bottom:.5rem" data-withdrawal={withdrawal.id}>
          <span>
            {formatPrice(withdrawal.amount, withdrawal.currency, lang)} · {withdrawal.userId} ·{" "}
            {formatDateTime(withdrawal.createdAt, lang)}
          </span>
          <ApiForm action={`/api/v1/admin/withdrawals/${withdrawal.id}/complete`} reload class="row">
            <button type="submit">{t("admin.complete")}</button>
          </ApiForm>
          <ApiForm action={`/api/v1/admin/withdrawals/${withdrawal.id}/reject`} reload class="row">
            <button type="submit" class="secondary">
              {t("admin.reject")}
            </button>
          </ApiForm>
        </div>
      ))}

      <h2>{t("admin.users")}</h2>
      <search>
        <form method="get" action="/admin" class="row">
          <div>
            <label for="user-q">{t("catalog.search")}</label>
            <input id="user-q" name="q" type="search" value={options.q} />
          </div>
          <button type="submit">{t("catalog.submit")}</button>
        </form>
      </search>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("auth.username")}</th>
            <th scope="col">{t("auth.nickname")}</th>
            <th scope="col">{t("catalog.status")}</th>
          </tr>
        </thead>
        <tbody>
          {users.data?.items.map((user) => (
            <tr data-user={user.username}>
              <td>{user.username}</td>
              <td>{user.nickname}</td>
              <td>
                {user.role === "admin" ? (
                  t("nav.admin")
                ) : user.suspended ? (
                  <ApiForm
                    action={`/api/v1/admin/users/${user.id}/unsuspend`}
                    reload
                    class="row"
                    label={`${t("admin.unsuspend")} ${user.username}`}
                  >
                    <span>{t("admin.suspended")}</span>
                    <button type="submit" class="secondary">
                      {t("admin.unsuspend")}
                    </button>
                  </ApiForm>
                ) : (
                  <ApiForm
                    action={`/api/v1/admin/users/${user.id}/suspend`}
                    reload
                    class="row"
                    label={`${t("admin.suspend")} ${user.username}`}
                  >
                    <Field
                      id={`suspend-reason-${user.id}`}
                      name="reason"
                      label={t("admin.reason")}
                      required
                    />
                    <button type="submit" class="secondary">
                      {t("admin.suspend")}
                    </button>
                  </ApiForm>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

/** What a signed-in non-administrator sees at `/admin` (served with 403). */
export function adminForbiddenPage(page: PageContext) {
  const { t } = page;
  return (
    <Layout page={page} title={t("admin.title")}>
      <h1>{t("admin.title")}</h1>
      <p>{t("admin.forbidden")}</p>
    </Layout>
  );
}
