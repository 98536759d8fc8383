#!/usr/bin/env node
// Makes an existing user an administrator (SPEC §9). There is no API for it on purpose: the first
// admin cannot be granted by an admin, and whoever can run this can already write to the database.
//
//   npm run admin:grant -- <username>              the local D1 that `npm run dev` serves
//   npm run admin:grant -- <username> --remote     the production D1
//   npm run admin:grant -- <username> --persist-to <dir>   a local D1 kept elsewhere (tests)
//
// Exit codes: 0 granted, 1 no such user (or wrangler failed), 2 bad arguments.
// A session the user already has keeps its old role for up to 30 s (the worker's session cache).

import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const USAGE = "usage: npm run admin:grant -- <username> [--remote | --persist-to <dir>]";
// The API's own rule for usernames; it is also what makes the name safe to put inside the SQL.
const USERNAME = /^[a-z0-9_]{3,32}$/;

function fail(message, code) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      remote: { type: "boolean", default: false },
      "persist-to": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
} catch (error) {
  fail(`${error.message}\n${USAGE}`, 2);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals.length !== 1) fail(USAGE, 2);
const username = positionals[0];
if (!USERNAME.test(username)) fail(`"${username}" is not a username: 3–32 characters of a–z, 0–9 and _`, 2);
if (values.remote && values["persist-to"] !== undefined)
  fail(`--remote and --persist-to do not go together\n${USAGE}`, 2);

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const wrangler = join(
  dirname(createRequire(import.meta.url).resolve("wrangler/package.json")),
  "bin",
  "wrangler.js",
);
// RETURNING rather than wrangler's `meta.changes`: local `d1 execute --json` reports no changes.
const sql = `UPDATE users SET role = 'admin' WHERE username = '${username}' RETURNING id, username`;
const args = [
  wrangler,
  "d1",
  "execute",
  "DB",
  values.remote ? "--remote" : "--local",
  ...(values["persist-to"] === undefined ? [] : ["--persist-to", values["persist-to"]]),
  "--json",
  "--command",
  sql,
];

// The same Node that runs this script runs wrangler: the first `node` on PATH may be too old.
execFile(
  process.execPath,
  args,
  { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 },
  (error, stdout, stderr) => {
    let output;
    try {
      // wrangler prints the JSON answer alone on stdout; banners and warnings go to stderr.
      output = JSON.parse(stdout);
    } catch {
      fail(
        `wrangler d1 execute failed${error ? ` (${error.message.split("\n")[0]})` : ""}:\n${stdout}${stderr}`,
        1,
      );
    }
    if (!Array.isArray(output)) {
      const text = output?.error?.text ?? JSON.stringify(output);
      fail(
        `wrangler d1 execute failed: ${text}\n(Are the migrations applied? \`npm run dev\` applies them locally.)`,
        1,
      );
    }
    const [granted] = output[0]?.results ?? [];
    if (granted === undefined) fail(`No user named ${username}; nothing changed.`, 1);
    process.stdout.write(`${granted.username} (${granted.id}) is now an admin.\n`);
  },
);
