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

/**
 * The top-up's status line: `[data-top-up-status]` holding its text and the id in
 * `[data-top-up-id]` (made when the page has none). The text changes, the id element stays.
 */
function showStatus(form: HTMLFormElement, text: string, topUpId?: string): void {
  let status = document.querySelector<HTMLElement>("[data-top-up-status]");
  if (!status) {
    status = document.createElement("p");
    status.setAttribute("data-top-up-status", "");
    status.setAttribute("role", "status");
    form.after(status);
  }
  let id = status.querySelector<HTMLElement>("[data-top-up-id]");
  if (!id) {
    id = document.createElement("code");
    id.setAttribute("data-top-up-id", "");
  }
  if (topUpId !== undefined) id.textContent = topUpId;
  id.hidden = false;
  status.replaceChildren(`${text} `, id);
  status.hidden = false;
}

/** After POST /me/wallet/top-ups: "Waiting for the payment to be confirmed" and the top-up's id. */
export function showTopUpWaiting(form: HTMLFormElement, body: unknown, lang: Lang): void {
  const topUp = TopUpSchema.safeParse(body);
  if (topUp.success) showStatus(form, translate(lang, "wallet.topUpWaiting"), topUp.data.id);
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

/**
 * On the wallet page: every notification may follow a change of money (a top-up, an outbid hold
 * released, a sale paid out), so each one re-reads the figures; a top-up's also ends its wait.
 */
export function walletListener(lang: Lang): ((message: LiveMessage) => void) | null {
  if (!document.querySelector("[data-wallet]")) return null;
  return (message) => {
    void refreshFigures(lang);
    if (message.kind !== "top_up_succeeded" && message.kind !== "top_up_failed") return;
    const shown = document.querySelector<HTMLElement>("[data-top-up-status] [data-top-up-id]");
    const form = document.querySelector<HTMLFormElement>("form[data-top-up-form]");
    if (form && shown?.textContent && message.data.topUpId === shown.textContent) {
      showStatus(form, notificationText(lang, message));
    }
  };
}
