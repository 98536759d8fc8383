// Funds the seeded bidders the way a real user gets money (SPEC §8): a top-up through the API,
// then the payment provider's signed webhook confirming it, as `npm run pay` sends it.

import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { paymentSignature } from "../../scripts/payment-provider.mjs";
import { api } from "../../test/e2e/harness.ts";

/** The largest top-up the API takes (MAX_MONEY, in minor units). */
export const MAX_TOP_UP = 1_000_000_000_000;

/**
 * PAYMENTS_WEBHOOK_SECRET as the served server loaded it: the harness passes `.dev.vars.example`
 * of the folder it serves to `wrangler dev --env-file`.
 */
export function webhookSecret(sourceRoot) {
  const file = join(sourceRoot, ".dev.vars.example");
  if (!existsSync(file)) throw new Error(`no ${file}: cannot sign payment webhooks`);
  const line = readFileSync(file, "utf8")
    .split("\n")
    .find((l) => l.startsWith("PAYMENTS_WEBHOOK_SECRET="));
  if (!line) throw new Error(`${file} has no PAYMENTS_WEBHOOK_SECRET`);
  return line.slice("PAYMENTS_WEBHOOK_SECRET=".length).trim().replace(/^"|"$/g, "");
}

/** One user's top-up of `amount` `currency`, confirmed by the provider's webhook. */
async function fundOne(baseUrl, secret, user, amount, currency) {
  const client = api(baseUrl);
  const topUp = await client.post(
    "/api/v1/me/wallet/top-ups",
    { amount, currency },
    { token: user.token, headers: { "idempotency-key": `bench-funding-${user.user.id}` } },
  );
  const topUpId =
    topUp.body && typeof topUp.body === "object" && "id" in topUp.body ? topUp.body.id : undefined;
  if (topUp.status !== 201 || typeof topUpId !== "string")
    throw new Error(`a top-up answered ${topUp.status}: ${JSON.stringify(topUp.body)}`);
  const rawBody = JSON.stringify({
    id: `evt_bench_${randomUUID().replaceAll("-", "")}`,
    type: "payment.succeeded",
    data: { topUpId, amount, currency },
  });
  const res = await fetch(new URL("/api/v1/webhooks/payments", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json", "payment-signature": paymentSignature(secret, rawBody) },
    body: rawBody,
  });
  const text = await res.text();
  if (res.status !== 200)
    throw new Error(`the payment webhook for ${topUpId} answered ${res.status}: ${text}`);
}

/**
 * Tops up every user's wallet with `amount` `currency`, `concurrency` users at a time. Throws on
 * the first refusal: a bidder without the money the scenarios assume would skew every figure.
 * @param {{ token: string, user: { id: string } }[]} users
 */
export async function fundUsers(
  baseUrl,
  sourceRoot,
  users,
  amount,
  { currency = "KRW", concurrency = 4 } = {},
) {
  const secret = webhookSecret(sourceRoot);
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const user = users[next++];
      await fundOne(baseUrl, secret, user, amount, currency);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
