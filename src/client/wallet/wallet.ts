import { formatPrice } from "../../shared/format";
import { type Lang, translate } from "../../shared/i18n";
import type { LiveMessage } from "../../shared/live-frames";
import { callApi } from "../api/call";
import { TopUpSchema, WalletSchema } from "../api/responses";
import { notificationText } from "../notifications/notification-text";

/**
 * /me/wallet (web contract): a started top-up waits for the payment provider's confirmation, which
 * arrives as a `top_up_succeeded` (or `top_up_failed`) notification; then the figures are read
 * again from the API instead of reloading the page.
 */

function statusElement(form: HTMLFormElement): HTMLElement {
  const existing = document.querySelector<HTMLElement>("[data-top-up-status]");
  if (existing) return existing;
  const created = document.createElement("p");
  created.setAttribute("data-top-up-status", "");
  created.setAttribute("role", "status");
  form.after(created);
  return created;
}

/** After POST /me/wallet/top-ups: "Waiting for the payment to be confirmed" and the top-up's id. */
export function showTopUpWaiting(form: HTMLFormElement, body: unknown, lang: Lang): void {
  const topUp = TopUpSchema.safeParse(body);
  if (!topUp.success) return;
  const status = statusElement(form);
  status.hidden = false;
  status.textContent = translate(lang, "wallet.topUpWaiting");
  for (const element of document.querySelectorAll<HTMLElement>("[data-top-up-id]")) {
    element.textContent = topUp.data.id;
    element.hidden = false;
  }
}

const FIGURES = { available: "available", held: "held", pending: "pendingPayout" } as const;

function isFigure(name: string | undefined): name is keyof typeof FIGURES {
  return name !== undefined && Object.hasOwn(FIGURES, name);
}

async function refreshFigures(lang: Lang): Promise<void> {
  const result = await callApi({ method: "GET", url: "/api/v1/me/wallet" });
  const wallet = WalletSchema.safeParse(result.body);
  if (result.kind !== "ok" || !wallet.success) return;
  for (const element of document.querySelectorAll<HTMLElement>("[data-wallet]")) {
    const figure = element.dataset.wallet;
    if (!isFigure(figure)) continue;
    const currency = element.dataset.currency ?? "KRW";
    const balance = wallet.data.balances.find((b) => b.currency === currency);
    element.textContent = formatPrice(balance?.[FIGURES[figure]] ?? 0, currency, lang);
  }
}

/** On the wallet page: answers top-up notifications. */
export function walletListener(lang: Lang): ((message: LiveMessage) => void) | null {
  if (!document.querySelector("[data-wallet]")) return null;
  return (message) => {
    if (message.kind !== "top_up_succeeded" && message.kind !== "top_up_failed") return;
    void refreshFigures(lang);
    const shown = document.querySelector<HTMLElement>("[data-top-up-id]")?.textContent;
    const status = document.querySelector<HTMLElement>("[data-top-up-status]");
    if (status && shown && message.data.topUpId === shown)
      status.textContent = notificationText(lang, message);
  };
}
