import type { LiveAuction } from "../../src/shared/live-frames";

/** An open auction as the room's frames and the auction page's data carry it, at 10:00 on 2026-11-20. */
export function liveAuction(overrides: Partial<LiveAuction> = {}): LiveAuction {
  return {
    id: "auc_1",
    title: "Vintage film camera",
    currency: "KRW",
    status: "open",
    outcome: null,
    currentPrice: 10_000,
    bidCount: 0,
    leader: null,
    leaderIsYou: false,
    minimumNextBid: 10_000,
    reserveMet: true,
    buyNowPrice: 90_000,
    endsAt: "2026-11-20T11:00:00.000Z",
    extendedCount: 0,
    winnerId: null,
    serverTime: "2026-11-20T10:00:00.000Z",
    ...overrides,
  };
}
