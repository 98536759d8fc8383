// The payment provider, played locally (SPEC §8): the webhook secret the local server has, and
// signed deliveries of `payment.succeeded` / `payment.failed`. Shared by `npm run pay` and the
// examples that fund their demo users the way a real user gets money.

import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const projectRoot = join(import.meta.dirname, "..");

/**
 * PAYMENTS_WEBHOOK_SECRET as the local server has it: the environment's, else .dev.vars (what
 * `npm run dev` loads), else .dev.vars.example (what .dev.vars starts as, and the e2e servers load).
 */
export function localWebhookSecret() {
  if (process.env.PAYMENTS_WEBHOOK_SECRET) return process.env.PAYMENTS_WEBHOOK_SECRET;
  for (const name of [".dev.vars", ".dev.vars.example"]) {
    const file = join(projectRoot, name);
    if (!existsSync(file)) continue;
    const line = readFileSync(file, "utf8")
      .split("\n")
      .find((l) => l.startsWith("PAYMENTS_WEBHOOK_SECRET="));
    if (line) return line.slice("PAYMENTS_WEBHOOK_SECRET=".length).trim().replace(/^"|"$/g, "");
  }
  return undefined;
}

/** `Payment-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + rawBody)>`, over these exact bytes. */
export function paymentSignature(secret, rawBody, t = Math.floor(Date.now() / 1000)) {
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex")}`;
}

/**
 * Sends one provider event (`{id, type, data: {topUpId, amount, currency}}`) to the server's
 * webhook, signed as the provider signs it. Resolves with the answer's status and text.
 */
export async function deliverPaymentEvent(baseUrl, secret, event) {
  const rawBody = JSON.stringify(event);
  const response = await fetch(`${baseUrl.replace(/\/+$/, "")}/api/v1/webhooks/payments`, {
    method: "POST",
    headers: { "content-type": "application/json", "payment-signature": paymentSignature(secret, rawBody) },
    body: rawBody,
  });
  return { status: response.status, ok: response.ok, text: await response.text() };
}
