import { Layout } from "../layout";
import type { PageContext } from "../page-context";

/** What a reader sees at an address with nothing behind it (served with 404). */
export function notFoundPage(page: PageContext, detail?: string) {
  const { t } = page;
  return (
    <Layout page={page} title={t("page.notFound")}>
      <h1>{t("page.notFound")}</h1>
      <p>{detail ?? t("page.notFoundBody")}</p>
      <p>
        <a href="/">{t("page.back")}</a>
      </p>
    </Layout>
  );
}
