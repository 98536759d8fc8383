import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Wallet } from "../../src/durable/wallet";
import { setRoomClock } from "../durable/auction-room/helpers";
import { call, createAuction, expectProblem, signUp, type TestUser } from "../helpers";

const ROOM_TIME = Date.UTC(2026, 10, 25, 12, 0, 0);
const WALLET_TIME = Date.UTC(2026, 10, 25, 12, 0, 3);

async function setWalletClock(user: TestUser, at: number): Promise<void> {
  await runInDurableObject(env.WALLET.getByName(user.id), (wallet: Wallet) => {
    wallet.clock = () => at;
  });
}

describe("GET /api/v1/auctions/{id}/ping", () => {
  it("answers with the room's clock and nothing else", async () => {
    const seller = await signUp("s");
    const auction = await createAuction(seller);
    await setRoomClock(auction.id, ROOM_TIME);
    const res = await call("GET", `/api/v1/auctions/${auction.id}/ping`, { token: seller.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ serverTime: "2026-11-25T12:00:00.000Z" });
  });

  it("with wallet=true asks the caller's own Wallet first and answers with both clocks", async () => {
    const seller = await signUp("s");
    const caller = await signUp("caller");
    const auction = await createAuction(seller);
    await setRoomClock(auction.id, ROOM_TIME);
    await setWalletClock(caller, WALLET_TIME);
    const res = await call("GET", `/api/v1/auctions/${auction.id}/ping?wallet=true`, { token: caller.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      serverTime: "2026-11-25T12:00:00.000Z",
      walletTime: "2026-11-25T12:00:03.000Z",
    });
  });

  it("refuses a wallet value other than true or false", async () => {
    const seller = await signUp("s");
    const auction = await createAuction(seller);
    const res = await call("GET", `/api/v1/auctions/${auction.id}/ping?wallet=yes-please`, {
      token: seller.token,
    });
    expectProblem(res, 400, "INVALID_PARAMETER");
  });

  it("needs a session", async () => {
    const seller = await signUp("s");
    const auction = await createAuction(seller);
    expectProblem(await call("GET", `/api/v1/auctions/${auction.id}/ping`), 401, "UNAUTHENTICATED");
  });
});
