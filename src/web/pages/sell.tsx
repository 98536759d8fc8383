import { ApiForm, Field } from "../components/field";
import { Layout } from "../layout";
import type { PageContext } from "../page-context";

const DURATIONS = [3_600, 86_400, 259_200, 604_800] as const;

/** `/sell` (SPEC §10): a listing with photos; the API's field errors appear beside each field. */
export function sellPage(page: PageContext) {
  const { t } = page;
  const optional = (label: string) => `${label} (${t("sell.optional")})`;
  return (
    <Layout page={page} title={t("sell.title")}>
      <h1>{t("sell.title")}</h1>
      <ApiForm
        action="/api/v1/auctions"
        idempotent
        redirectTemplate="/auctions/{id}"
        extra={{ "data-sell-form": true }}
      >
        <Field name="title" label={t("sell.itemTitle")} required />
        <Field name="description" label={t("sell.description")} multiline />
        <Field name="category" label={optional(t("sell.category"))} extra={{ pattern: "[a-z0-9-]{1,32}" }} />
        <Field
          name="startingPrice"
          label={t("sell.startingPrice")}
          type="number"
          dataType="integer"
          min={1}
          required
          hint={t("sell.inWon")}
        />
        <Field
          name="buyNowPrice"
          label={optional(t("sell.buyNowPrice"))}
          type="number"
          dataType="integer"
          min={1}
        />
        <Field
          name="reservePrice"
          label={optional(t("sell.reservePrice"))}
          type="number"
          dataType="integer"
          min={1}
        />
        <div class="field">
          <label for="durationSeconds">{t("sell.duration")}</label>
          <select
            id="durationSeconds"
            name="durationSeconds"
            data-type="integer"
            aria-describedby="durationSeconds-error"
          >
            {DURATIONS.map((seconds) => (
              <option value={seconds} selected={seconds === 86_400}>
                {t(`sell.duration.${seconds}`)}
              </option>
            ))}
          </select>
          <p class="field-error" id="durationSeconds-error" data-error-for="durationSeconds" />
        </div>
        <div class="field">
          <label for="photos">{t("sell.photos")}</label>
          <input
            id="photos"
            type="file"
            multiple
            accept="image/jpeg,image/png,image/webp"
            data-photo-input
            aria-describedby="photos-hint imageUrls-error"
          />
          <p class="hint" id="photos-hint">
            {t("sell.photosHint")}
          </p>
          <p class="field-error" id="imageUrls-error" data-error-for="imageUrls" />
          <ul class="grid" data-photo-previews />
        </div>
        <button type="submit">{t("sell.submit")}</button>
      </ApiForm>
    </Layout>
  );
}
