import { safeNextPath } from "../../shared/safe-next";
import { ApiForm, Field } from "../components/field";
import { Layout } from "../layout";
import type { PageContext } from "../page-context";

/** `/signup`: the client signs the new user in right after, with the same username and password. */
export function signupPage(page: PageContext) {
  const { t } = page;
  return (
    <Layout page={page} title={t("auth.signupTitle")}>
      <h1>{t("auth.signupTitle")}</h1>
      <ApiForm action="/api/v1/users" redirect="/" extra={{ "data-signup-form": true }}>
        <Field
          name="username"
          label={t("auth.username")}
          autocomplete="username"
          required
          hint={t("auth.usernameHint")}
        />
        <Field name="nickname" label={t("auth.nickname")} autocomplete="nickname" required />
        <Field
          name="password"
          label={t("auth.password")}
          type="password"
          autocomplete="new-password"
          required
          hint={t("auth.passwordHint")}
        />
        <button type="submit">{t("auth.signup")}</button>
      </ApiForm>
      <p>
        <a href="/login">{t("auth.haveAccount")}</a>
      </p>
    </Layout>
  );
}

export function loginPage(page: PageContext, next: string | undefined) {
  const { t } = page;
  return (
    <Layout page={page} title={t("auth.loginTitle")}>
      <h1>{t("auth.loginTitle")}</h1>
      <ApiForm action="/api/v1/sessions" redirect={safeNextPath(next) ?? "/"}>
        <Field name="username" label={t("auth.username")} autocomplete="username" required />
        <Field
          name="password"
          label={t("auth.password")}
          type="password"
          autocomplete="current-password"
          required
        />
        <button type="submit">{t("auth.login")}</button>
      </ApiForm>
      <p>
        <a href="/signup">{t("auth.noAccount")}</a>
      </p>
    </Layout>
  );
}
