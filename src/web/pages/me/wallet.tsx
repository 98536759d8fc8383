import { formatDateTime, formatPrice } from "../../../shared/format";
import type { MessageKey } from "../../../shared/i18n";
import { TRANSFER_KIND_TEXT } from "../../../shared/i18n/wallet-entries";
import { ApiForm, Field } from "../../components/field";
import type { PageContext } from "../../page-context";
import { MeLayout } from "./me-layout";

/** Each of a wallet's accounts by the name its figure has at the top of the page. */
const ACCOUNT_LABEL = {
  available: "wallet.available",
  held: "wallet.held",
  pendingPayout: "wallet.pending",
} as const satisfies Record<string, MessageKey>;

/** The site's currency: top-ups and the figures shown first. */
const HOME_CURRENCY = "KRW";

/** `/me/wallet` (SPEC §8, §10): balance, holds, entries, top-up. */
export async function myWalletPage(page: PageContext) {
  const { t, lang } = page;
  const [wallet, entries] = await Promise.all([
    page.api.GET("/api/v1/me/wallet"),
    page.api.GET("/api/v1/me/wallet/entries", { params: { query: { limit: 50 } } }),
  ]);
  const balance = wallet.data?.balances.find((b) => b.currency === HOME_CURRENCY) ?? {
    currency: HOME_CURRENCY,
    available: 0,
    held: 0,
    pendingPayout: 0,
  };
  const price = (amount: number, currency = HOME_CURRENCY) => formatPrice(amount, currency, lang);
  // An entry's amount says which way the money went: what came in carries a plus.
  const signedPrice = (amount: number, currency: string) =>
    `${amount > 0 ? "+" : ""}${price(amount, currency)}`;
  const holds = wallet.data?.holds ?? [];
  const rows = entries.data?.items ?? [];
  return (
    <MeLayout page={page} title={t("me.walletTitle")} current="wallet">
      <dl class="facts card">
        <dt>{t("wallet.available")}</dt>
        <dd class="price" data-wallet="available">
          {price(balance.available)}
        </dd>
        <dt>{t("wallet.held")}</dt>
        <dd data-wallet="held">{price(balance.held)}</dd>
        <dt>{t("wallet.pending")}</dt>
        <dd data-wallet="pending">{price(balance.pendingPayout)}</dd>
      </dl>
      <h2>{t("wallet.topUp")}</h2>
      <ApiForm action="/api/v1/me/wallet/top-ups" idempotent extra={{ "data-top-up-form": true }} class="row">
        <Field
          name="amount"
          label={t("wallet.topUpAmount")}
          type="number"
          dataType="integer"
          min={1}
          required
        />
        <input type="hidden" name="currency" value={HOME_CURRENCY} />
        <button type="submit">{t("wallet.topUp")}</button>
      </ApiForm>
      <p role="status" data-top-up-status hidden>
        {t("wallet.topUpWaiting")} <code data-top-up-id />
      </p>
      <h2>{t("wallet.withdraw")}</h2>
      <ApiForm action="/api/v1/me/wallet/withdrawals" idempotent reload class="row">
        <Field
          name="amount"
          id="withdrawal-amount"
          label={t("wallet.topUpAmount")}
          type="number"
          dataType="integer"
          min={1}
          hint={t("wallet.withdrawHint")}
          required
        />
        <input type="hidden" name="currency" value={HOME_CURRENCY} />
        <button type="submit">{t("wallet.withdraw")}</button>
      </ApiForm>
      <h2>{t("wallet.holds")}</h2>
      {holds.length === 0 ? (
        <p>{t("admin.none")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("wallet.hold.auction")}</th>
              <th scope="col">{t("wallet.hold.amount")}</th>
            </tr>
          </thead>
          <tbody>
            {holds.map((hold) => (
              <tr data-hold>
                {/* A hold on no auction is a withdrawal's: the money rules allow no other. */}
                <td>
                  {hold.auctionId ? (
                    <a href={`/auctions/${hold.auctionId}`}>{hold.auctionId}</a>
                  ) : (
                    t("wallet.hold.withdrawal")
                  )}
                </td>
                <td>{price(hold.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t("wallet.entries")}</h2>
      {rows.length === 0 ? (
        <p>{t("wallet.noEntries")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("wallet.entry.when")}</th>
              <th scope="col">{t("wallet.entry.kind")}</th>
              <th scope="col">{t("wallet.entry.account")}</th>
              <th scope="col">{t("wallet.entry.amount")}</th>
              <th scope="col">{t("wallet.entry.balanceAfter")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((entry) => (
              <tr data-entry>
                <td>{formatDateTime(entry.createdAt, lang)}</td>
                <td>
                  {TRANSFER_KIND_TEXT[entry.kind][lang]}
                  {entry.auctionId ? (
                    <>
                      {" · "}
                      <a href={`/auctions/${entry.auctionId}`}>{entry.auctionId}</a>
                    </>
                  ) : null}
                </td>
                <td>{t(ACCOUNT_LABEL[entry.account])}</td>
                <td>{signedPrice(entry.amount, entry.currency)}</td>
                <td>{price(entry.balanceAfter, entry.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </MeLayout>
  );
}
