import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  api,
  eventually,
  runPay,
  signUpAndLogin,
  startServer,
  type TestServer,
  uniqueUsername,
} from "./harness";

// SPEC §8 on a real `wrangler dev`: `npm run pay` plays the payment provider, signing a webhook for
// a pending top-up it reads from the server's own local D1; the wallet is credited exactly once.

const TopUpSchema = z.object({ id: z.string(), status: z.literal("pending") });
const WalletSchema = z.object({
  balances: z.array(z.object({ currency: z.string(), available: z.number(), held: z.number() })),
});
const InboxSchema = z.object({ items: z.array(z.object({ kind: z.string() })) });

describe("wallet on a real server", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  const topUp = async (token: string, amount: number) => {
    const res = await api(server.baseUrl).post(
      "/api/v1/me/wallet/top-ups",
      { amount, currency: "KRW" },
      { token },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return TopUpSchema.parse(res.body).id;
  };
  const available = async (token: string) => {
    const res = await api(server.baseUrl).get("/api/v1/me/wallet", { token });
    expect(res.status).toBe(200);
    return WalletSchema.parse(res.body).balances.find((b) => b.currency === "KRW")?.available ?? 0;
  };
  const inboxKinds = async (token: string) => {
    const res = await api(server.baseUrl).get("/api/v1/me/inbox?limit=100", { token });
    expect(res.status).toBe(200);
    return InboxSchema.parse(res.body).items.map((i) => i.kind);
  };

  it("npm run pay credits a top-up once, however often the provider delivers; --fail credits nothing", async () => {
    const { token } = await signUpAndLogin(server.baseUrl, uniqueUsername("payer"));
    const paid = await topUp(token, 25_000);
    expect(await available(token)).toBe(0);

    const first = await runPay(server, [paid, "--event-id", "evt_e2e_first"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`payment.succeeded for ${paid} (25000 KRW) → 200`);
    expect(await available(token)).toBe(25_000);

    // The provider retries the same event, then sends another one for the same payment.
    for (const args of [
      ["--event-id", "evt_e2e_first"],
      ["--event-id", "evt_e2e_first"],
      ["--event-id", "evt_e2e_second"],
    ]) {
      const again = await runPay(server, [paid, ...args]);
      expect(again.code, again.stdout + again.stderr).toBe(0);
    }
    expect(await available(token)).toBe(25_000);

    const declined = await topUp(token, 9_000);
    const failed = await runPay(server, [declined, "--fail"]);
    expect(failed.code, failed.stderr).toBe(0);
    expect(failed.stdout).toContain(`payment.failed for ${declined} (9000 KRW) → 200`);
    expect(await available(token)).toBe(25_000);

    const kinds = await eventually(
      async () => {
        const seen = await inboxKinds(token);
        return seen.includes("top_up_failed") && seen.includes("top_up_succeeded") ? seen : undefined;
      },
      { what: "top_up_succeeded and top_up_failed in the inbox", timeoutMs: 20_000 },
    );
    expect(kinds.filter((k) => k === "top_up_succeeded")).toHaveLength(1);
    expect(kinds.filter((k) => k === "top_up_failed")).toHaveLength(1);
  });

  it("says so when the top-up does not exist (exit 1) and refuses what is not a top-up id (exit 2)", async () => {
    const unknown = await runPay(server, ["top_00000000000000000000"]);
    expect(unknown).toMatchObject({ code: 1 });
    expect(unknown.stderr).toContain("No top-up top_00000000000000000000 in the local database.");
    const injection = await runPay(server, ["top_x' OR '1'='1"]);
    expect(injection.code).toBe(2);
  });
});
