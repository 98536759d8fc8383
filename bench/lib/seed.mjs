// Seeds the server through the public API only: users (sign-up + login), and auctions.

import { performance } from "node:perf_hooks";
import { api, signUpAndLogin } from "../../test/e2e/harness.ts";

/**
 * Signs `count` users up and logs them in, `concurrency` at a time. Login hashes the password
 * with PBKDF2 (100,000 iterations) on the server's one thread, so more concurrency buys nothing.
 * @returns {Promise<{ token: string, user: { id: string, username: string } }[]>}
 */
export async function seedUsers(baseUrl, prefix, count, concurrency = 3) {
  const users = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      users[i] = await signUpAndLogin(baseUrl, `${prefix}_${String(i).padStart(5, "0")}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return users;
}

/**
 * Creates `count` open auctions for `seller`. No soft close, so bids never move the end; long
 * enough to outlive the run.
 * @returns {Promise<string[]>} their ids
 */
export async function seedAuctions(
  baseUrl,
  sellerToken,
  count,
  { title = "Bench item", durationSeconds = 6 * 3600 } = {},
) {
  const client = api(baseUrl);
  const ids = [];
  for (let i = 0; i < count; i++) {
    const res = await client.post(
      "/api/v1/auctions",
      { title: `${title} ${i + 1}`, startingPrice: 1_000, durationSeconds, softClose: null },
      { token: sellerToken },
    );
    const id = res.body && typeof res.body === "object" && "id" in res.body ? res.body.id : undefined;
    if (res.status !== 201 || typeof id !== "string") {
      throw new Error(`creating an auction answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    ids.push(id);
  }
  return ids;
}

/** Runs `fn` and returns its value with how long it took in seconds. */
export async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { value, seconds: Math.round((performance.now() - started) / 10) / 100 };
}
