import { type Lang, problemMessage, translate } from "../../shared/i18n";
import { callApi } from "../api/call";
import { UploadSchema } from "../api/responses";
import { holdForm } from "./api-forms";
import { problemOf } from "./problem-fields";

/**
 * /sell's photos (web contract): each chosen file goes to `POST /api/v1/uploads` as its raw bytes
 * with its own Content-Type (the server checks the bytes themselves), one at a time, in order.
 * Each uploaded photo gets a preview and a hidden `imageUrls` list field; the listing form waits
 * for the uploads before it can be sent.
 */

function photoError(form: HTMLFormElement | null, input: HTMLInputElement, text: string): void {
  const target = form?.querySelector<HTMLElement>('[data-error-for="imageUrls"]');
  if (target) target.textContent = text;
  input.setAttribute("aria-invalid", "true");
}

/** A preview with its remove button, and the hidden list field the form sends; removing the photo removes both. */
function preview(
  previews: Element,
  name: string,
  url: string,
  lang: Lang,
): { figure: HTMLElement; field: HTMLInputElement } {
  const figure = itemFor(previews);
  const image = document.createElement("img");
  image.src = url;
  image.alt = translate(lang, "sell.uploaded", { name });
  const field = document.createElement("input");
  field.type = "hidden";
  field.name = "imageUrls";
  field.value = url;
  field.setAttribute("data-type", "list");
  const remove = document.createElement("button");
  remove.type = "button";
  remove.textContent = translate(lang, "sell.removePhoto", { name });
  remove.addEventListener("click", () => {
    figure.remove();
    field.remove();
  });
  figure.append(image, remove);
  return { figure, field };
}

/** A preview's element: a list item in a list (`<ul data-photo-previews>`), else a figure. */
function itemFor(previews: Element): HTMLElement {
  const list = previews instanceof HTMLUListElement || previews instanceof HTMLOListElement;
  return document.createElement(list ? "li" : "figure");
}

async function upload(file: File, input: HTMLInputElement, previews: Element, lang: Lang): Promise<void> {
  const placeholder = itemFor(previews);
  placeholder.setAttribute("aria-busy", "true");
  placeholder.textContent = translate(lang, "sell.uploading", { name: file.name });
  previews.append(placeholder);
  const result = await callApi({
    method: "POST",
    url: "/api/v1/uploads",
    raw: file,
    headers: { "content-type": file.type || "application/octet-stream" },
  });
  const uploaded = UploadSchema.safeParse(result.body);
  if (result.kind === "ok" && uploaded.success) {
    // As given: the auction takes the upload's own site-relative /media/… address.
    const { figure, field } = preview(previews, file.name, uploaded.data.url, lang);
    placeholder.replaceWith(figure);
    // Only a form's own controls are sent: the field goes in the preview when the previews are
    // inside the form, else in the form itself.
    const form = input.form;
    if (form && !form.contains(previews)) form.append(field);
    else figure.append(field);
    return;
  }
  placeholder.remove();
  const problem = problemOf(result.body);
  const reason =
    problem !== null
      ? problemMessage(lang, problem.code, problem.detail)
      : result.status === 0
        ? translate(lang, "form.offline")
        : problemMessage(lang, "INTERNAL");
  photoError(input.form, input, `${file.name}: ${reason}`);
}

async function uploadChosen(input: HTMLInputElement, lang: Lang): Promise<void> {
  const files = [...(input.files ?? [])];
  // Cleared so choosing the same file again (after removing it) fires `change` again.
  input.value = "";
  const form = input.form;
  const previews =
    form?.querySelector("[data-photo-previews]") ?? document.querySelector("[data-photo-previews]");
  if (files.length === 0 || !previews) return;
  input.removeAttribute("aria-invalid");
  const work = async () => {
    for (const file of files) await upload(file, input, previews, lang);
  };
  await (form ? holdForm(form, work) : work());
}

export function initPhotoUploads(lang: Lang): void {
  for (const input of document.querySelectorAll<HTMLInputElement>("input[data-photo-input]")) {
    input.addEventListener("change", () => void uploadChosen(input, lang));
  }
}
