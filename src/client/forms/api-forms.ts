import type { Lang } from "../../shared/i18n";
import { type ApiResult, callApi } from "../api/call";
import type { PageData } from "../page-data";
import { showTopUpWaiting } from "../wallet/wallet";
import { clearErrors, showFailure } from "./form-errors";
import { type FieldValue, formPayload } from "./form-payload";
import { keyForAttempt, type PendingAttempt, settleAttempt } from "./idempotency";
import { fillTemplate } from "./navigation";

/**
 * `<form data-api-form>` (web contract, "Forms"): submitted as JSON to its `action` with fetch,
 * problems shown on the fields, then the page moves on as the form says. Delegated from the
 * document, so forms added later work too. Without JavaScript these forms do nothing: they are
 * the API's, which takes JSON only.
 */

const pending = new WeakMap<HTMLFormElement, PendingAttempt | null>();
const inFlight = new WeakSet<HTMLFormElement>();

/** Forms that uploads or other work hold back, and how many things hold each. */
const holds = new WeakMap<HTMLFormElement, number>();

/**
 * A boolean `data-*` marker. Server-rendered JSX writes `data-x="false"` for a false prop, which
 * must not count as set.
 */
export function flag(element: Element, name: string): boolean {
  const value = element.getAttribute(name);
  return value !== null && value !== "false";
}

function readFields(form: HTMLFormElement): FieldValue[] {
  const fields: FieldValue[] = [];
  for (const element of form.elements) {
    if (
      !(element instanceof HTMLInputElement) &&
      !(element instanceof HTMLSelectElement) &&
      !(element instanceof HTMLTextAreaElement)
    ) {
      continue;
    }
    // :disabled also covers controls inside a disabled fieldset.
    if (element.matches(":disabled")) continue;
    fields.push({
      name: element.name,
      value: element.value,
      type: element.type,
      checked: element instanceof HTMLInputElement && element.checked,
      dataType: element.getAttribute("data-type"),
      jsonName: element.getAttribute("data-json-name"),
      proxy: flag(element, "data-proxy"),
    });
  }
  return fields;
}

function submitButtons(form: HTMLFormElement): (HTMLButtonElement | HTMLInputElement)[] {
  return [
    ...form.querySelectorAll<HTMLButtonElement | HTMLInputElement>(
      'button:not([type="button"]):not([type="reset"]), input[type="submit"]',
    ),
  ];
}

function setBusy(form: HTMLFormElement, busy: boolean): void {
  const held = (holds.get(form) ?? 0) > 0;
  for (const button of submitButtons(form)) button.disabled = busy || held;
  if (busy) form.setAttribute("aria-busy", "true");
  else form.removeAttribute("aria-busy");
}

/** Keeps a form from being submitted while `work` runs (a photo uploading, say). */
export async function holdForm<T>(form: HTMLFormElement, work: () => Promise<T>): Promise<T> {
  holds.set(form, (holds.get(form) ?? 0) + 1);
  setBusy(form, inFlight.has(form));
  try {
    return await work();
  } finally {
    holds.set(form, (holds.get(form) ?? 1) - 1);
    setBusy(form, inFlight.has(form));
  }
}

function methodOf(form: HTMLFormElement): string {
  return (form.dataset.method ?? form.getAttribute("method") ?? "post").toUpperCase();
}

/** Sign-up then log-in with the same name and password (web contract: /signup). */
async function logIn(payload: Record<string, unknown>): Promise<ApiResult> {
  return callApi({
    method: "POST",
    url: "/api/v1/sessions",
    json: { username: payload.username, password: payload.password },
  });
}

/**
 * Where to go after success, or null to stay. The login page's `?next=` is already in its
 * `data-redirect`: the server checked it (src/shared/safe-next.ts) when it rendered the form.
 */
function destination(form: HTMLFormElement, body: unknown): string | null {
  const signsIn = flag(form, "data-signup-form") || form.getAttribute("action") === "/api/v1/sessions";
  const template = form.dataset.redirectTemplate;
  if (template !== undefined) return fillTemplate(template, body);
  if (form.dataset.redirect !== undefined) return form.dataset.redirect;
  return signsIn ? "/" : null;
}

async function submit(form: HTMLFormElement, lang: Lang): Promise<void> {
  if (inFlight.has(form) || (holds.get(form) ?? 0) > 0) return;
  inFlight.add(form);
  setBusy(form, true);
  let leaving = false;
  try {
    clearErrors(form);
    const payload = formPayload(readFields(form));
    const method = methodOf(form);
    // Bodiless DELETEs (log out); every other method sends JSON, `{}` when nothing was filled in.
    const json = method === "DELETE" && Object.keys(payload).length === 0 ? undefined : payload;
    const text = JSON.stringify(json ?? null);
    const headers: Record<string, string> = {};
    let key: string | null = null;
    if (flag(form, "data-idempotent")) {
      key = keyForAttempt(pending.get(form) ?? null, text, () => crypto.randomUUID());
      headers["idempotency-key"] = key;
    }
    let result = await callApi({ method, url: form.getAttribute("action") ?? "", json, headers });
    if (key !== null)
      pending.set(form, settleAttempt(result.kind === "unanswered" ? "unanswered" : "answered", text, key));
    if (result.kind === "ok" && flag(form, "data-signup-form")) result = await logIn(payload);
    if (result.kind !== "ok") {
      showFailure(form, result, lang);
      return;
    }
    form.dispatchEvent(new CustomEvent("api-form:success", { bubbles: true }));
    if (flag(form, "data-top-up-form")) showTopUpWaiting(form, result.body, lang);
    const target = destination(form, result.body);
    if (target !== null) {
      leaving = true;
      location.assign(target);
    } else if (flag(form, "data-reload")) {
      leaving = true;
      location.reload();
    } else {
      form.reset();
    }
  } finally {
    inFlight.delete(form);
    // Leaving the page: keep the button disabled so a second click cannot submit twice.
    if (!leaving) setBusy(form, false);
  }
}

export function initApiForms(page: PageData): void {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !flag(form, "data-api-form")) return;
    event.preventDefault();
    void submit(form, page.lang);
  });
}
