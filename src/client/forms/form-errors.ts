import { type Lang, problemMessage, translate } from "../../shared/i18n";
import type { ApiResult } from "../api/call";
import { showToast } from "../dom/toasts";
import { fieldErrors, problemOf } from "./problem-fields";

/** Where a form shows what went wrong (web contract: data-error-for, data-form-error, aria-invalid). */

function controlFor(form: HTMLFormElement, errorElement: HTMLElement): HTMLElement | null {
  if (!errorElement.id) return null;
  return form.querySelector<HTMLElement>(`[aria-describedby~="${CSS.escape(errorElement.id)}"]`);
}

export function clearErrors(form: HTMLFormElement): void {
  for (const element of form.querySelectorAll<HTMLElement>("[data-error-for]")) {
    element.textContent = "";
    controlFor(form, element)?.removeAttribute("aria-invalid");
  }
  const formError = form.querySelector<HTMLElement>("[data-form-error]");
  if (formError) formError.textContent = "";
}

/** The form's own message; a toast when the form has no place for one. */
export function showFormError(form: HTMLFormElement, text: string): void {
  const formError = form.querySelector<HTMLElement>("[data-form-error]");
  if (formError) formError.textContent = text;
  else showToast(text);
}

/** Puts a failed request's problem on the form: each field's messages by its path, the rest on the form. */
export function showFailure(form: HTMLFormElement, result: ApiResult, lang: Lang): void {
  const problem = problemOf(result.body);
  if (problem === null) {
    const text =
      result.status === 0
        ? translate(lang, "form.offline")
        : translate(lang, "form.failed", { message: problemMessage(lang, "INTERNAL") });
    showFormError(form, text);
    return;
  }
  const targets = [...form.querySelectorAll<HTMLElement>("[data-error-for]")];
  const { byPath, unmatched } = fieldErrors(
    problem.errors ?? [],
    targets.map((t) => t.dataset.errorFor ?? ""),
  );
  let first: HTMLElement | null = null;
  for (const target of targets) {
    const messages = byPath.get(target.dataset.errorFor ?? "");
    if (!messages) continue;
    target.textContent = messages.join(" ");
    const control = controlFor(form, target);
    control?.setAttribute("aria-invalid", "true");
    first ??= control;
  }
  showFormError(form, [problemMessage(lang, problem.code, problem.detail), ...unmatched].join(" "));
  first?.focus();
}
