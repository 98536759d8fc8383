#!/usr/bin/env node
// Plays the payment provider for a local server: signs a webhook for a pending top-up and sends
// it, exactly as the provider would (SPEC §8).
//
//   npm run pay -- <topUpId> [--fail] [--url http://127.0.0.1:8787] [--persist-to DIR]
//                            [--amount N --currency KRW] [--secret S] [--event-id ID]
//
// The top-up's amount and currency are read from the local D1 (the one `npm run dev` uses, or
// --persist-to's), unless given. The secret is PAYMENTS_WEBHOOK_SECRET from the environment, else
// .dev.vars, else .dev.vars.example (what `npm run dev` and the e2e server load).
//
// Exit codes: 0 the server accepted it (2xx), 1 it did not (or the top-up is unknown), 2 bad arguments.

import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { deliverPaymentEvent, localWebhookSecret } from "./payment-provider.mjs";

const projectRoot = join(import.meta.dirname, "..");
const wrangler = join(
  dirname(createRequire(import.meta.url).resolve("wrangler/package.json")),
  "bin",
  "wrangler.js",
);
const USAGE =
  "usage: npm run pay -- <topUpId> [--fail] [--url http://127.0.0.1:8787] [--persist-to DIR] [--amount N --currency KRW] [--secret S] [--event-id ID]";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    fail: { type: "boolean", default: false },
    url: { type: "string", default: process.env.AUCTION_URL ?? "http://127.0.0.1:8787" },
    "persist-to": { type: "string" },
    amount: { type: "string" },
    currency: { type: "string" },
    secret: { type: "string" },
    "event-id": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
const topUpId = positionals[0];
if (values.help || !topUpId || !/^top_[0-9a-z]{20}$/.test(topUpId)) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

/** The top-up as the local D1 has it (the id was validated above, so it is safe in SQL). */
function localTopUp() {
  const args = [wrangler, "d1", "execute", "DB", "--local", "--json"];
  if (values["persist-to"]) args.push("--persist-to", values["persist-to"]);
  args.push("--command", `SELECT amount, currency, status FROM top_ups WHERE id = '${topUpId}'`);
  let out;
  try {
    // The same Node that runs this script runs wrangler: the first `node` on PATH may be too old.
    out = execFileSync(process.execPath, args, {
      cwd: projectRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    console.error(`wrangler d1 execute failed: ${error.stdout ?? ""}${error.stderr ?? error.message}`);
    process.exit(1);
  }
  const row = JSON.parse(out)[0]?.results?.[0];
  if (!row) {
    console.error(`No top-up ${topUpId} in the local database.`);
    process.exit(1);
  }
  return row;
}

const secret = values.secret ?? localWebhookSecret();
if (!secret) {
  console.error("No PAYMENTS_WEBHOOK_SECRET: set it in .dev.vars (see .dev.vars.example) or pass --secret.");
  process.exit(2);
}
if ((values.amount === undefined) !== (values.currency === undefined)) {
  console.error(`--amount and --currency go together\n${USAGE}`);
  process.exit(2);
}
if (values.amount !== undefined && !/^[1-9][0-9]{0,12}$/.test(values.amount)) {
  console.error(`--amount must be a positive integer in the currency's minor unit\n${USAGE}`);
  process.exit(2);
}
const topUp =
  values.amount !== undefined && values.currency !== undefined
    ? { amount: Number(values.amount), currency: values.currency }
    : localTopUp();
const event = {
  id: values["event-id"] ?? `evt_${randomUUID().replaceAll("-", "")}`,
  type: values.fail ? "payment.failed" : "payment.succeeded",
  data: { topUpId, amount: topUp.amount, currency: topUp.currency },
};
const response = await deliverPaymentEvent(values.url, secret, event);
console.log(
  `${event.type} for ${topUpId} (${topUp.amount} ${topUp.currency}) → ${response.status} ${response.text}`,
);
process.exit(response.ok ? 0 : 1);
