// `npm run ledger:check -- --token <admin's bearer token> [--url http://127.0.0.1:8787]`: asks the
// local server (or --url) for GET /api/v1/admin/ledger/check and prints it (SPEC §9). Exits 1
// when the ledger is not ok. The token may also come from ADMIN_TOKEN; log in as an admin
// (`npm run admin:grant -- <username>` first) with POST /api/v1/sessions to get one.

import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { token: { type: "string" }, url: { type: "string", default: "http://127.0.0.1:8787" } },
});
const token = values.token ?? process.env.ADMIN_TOKEN;
if (!token) {
  console.error("usage: npm run ledger:check -- --token <admin token> [--url <server>] (or ADMIN_TOKEN=…)");
  process.exit(2);
}
const response = await fetch(new URL("/api/v1/admin/ledger/check", values.url), {
  headers: { authorization: `Bearer ${token}` },
});
const body = await response.json();
console.log(JSON.stringify(body, null, 2));
if (!response.ok) {
  console.error(`the server answered ${response.status}`);
  process.exit(1);
}
process.exit(body.ok ? 0 : 1);
