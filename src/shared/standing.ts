import type { MessageKey } from "./i18n";

/**
 * Where the reader stands in an auction, in one word the page shows ("You are leading", "You were
 * outbid", "You won", "You did not win"). One rule for the server-rendered page and the live
 * client, so a reload and a live update never disagree.
 */
export type Standing = "leading" | "outbid" | "won" | "lost" | null;

export interface StandingFacts {
  status: "scheduled" | "open" | "closed" | "cancelled";
  outcome: "sold" | "unsold" | null;
  leaderIsYou: boolean;
  /** Whether the reader won (the room's `winnerIsYou`, or `winnerId` equal to the reader). */
  winnerIsYou: boolean;
  /** Whether the reader has bid on this auction. */
  viewerHasBid: boolean;
}

export function standingOf(facts: StandingFacts): Standing {
  if (facts.status === "open") {
    if (facts.leaderIsYou) return "leading";
    return facts.viewerHasBid ? "outbid" : null;
  }
  if (facts.status === "closed") {
    if (facts.outcome === "sold" && facts.winnerIsYou) return "won";
    return facts.viewerHasBid ? "lost" : null;
  }
  return null;
}

/** The words for each standing (SPEC §10), the same on the page and in the live client. */
export const STANDING_MESSAGE = {
  leading: "auction.leading",
  outbid: "auction.outbid",
  won: "auction.won",
  lost: "auction.lost",
} as const satisfies Record<NonNullable<Standing>, MessageKey>;
