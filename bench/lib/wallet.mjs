// 9. Wallet: every bid reserves a hold on its bidder's Wallet, from bidders funded for only so many
// bids, so that money runs short (422 INSUFFICIENT_FUNDS, a correct refusal). Once the server is
// idle again, every bidder's wallet is checked against what they were funded and what they lead.

import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { closedLoop } from "./load.mjs";
import { measured, requests } from "./scenarios.mjs";

const CURRENCY = "KRW";

/** GET a JSON resource (with a token, or anonymously); throws unless it answers 200. */
async function getOk(baseUrl, path, token) {
  const res = await fetch(new URL(path, baseUrl), {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Runs `fn` over `items`, `concurrency` at a time, in order. */
async function mapLimited(items, concurrency, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k], k);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/**
 * One pass over every bidder's `GET /me/wallet` and every auction, against SPEC §8's invariants:
 * available ≥ 0; held = the sum of the holds; at most one hold per (bidder, auction); available +
 * held = what the bidder was funded (nothing sold, nothing created or lost); every hold on an
 * auction its holder leads ("stray" otherwise: an outbid hold not voided yet, or never); every
 * auction with bids has its leader's hold, covering at least the current price.
 */
async function checkWallets(ctx, bidders, auctions, funded) {
  const wallets = await mapLimited(bidders, 8, (b) => getOk(ctx.baseUrl, "/api/v1/me/wallet", b.token));
  const auctionStates = await mapLimited(auctions, 8, (id) => getOk(ctx.baseUrl, `/api/v1/auctions/${id}`));
  const byAuction = new Map(auctions.map((id, k) => [id, auctionStates[k]]));
  const violations = {
    negativeAvailable: 0,
    heldNotSumOfHolds: 0,
    twoHoldsOneAuction: 0,
    fundsNotConserved: 0,
    strayHolds: 0,
    holdBelowPrice: 0,
    leadsWithoutHold: 0,
  };
  const examples = [];
  const note = (kind, detail) => {
    if (examples.length < 10) examples.push({ kind, ...detail });
  };
  const coveredAuctions = new Set();
  /** Bidders whose money itself is wrong (not a hold waiting to be voided): the overspends. */
  const overspent = new Set();
  let holds = 0;
  let held = 0;
  const holdChecks = [];
  bidders.forEach((bidder, k) => {
    const wallet = wallets[k];
    const balance = wallet.balances.find((b) => b.currency === CURRENCY) ?? { available: 0, held: 0 };
    const userId = bidder.user.id;
    if (balance.available < 0) {
      violations.negativeAvailable++;
      overspent.add(userId);
      note("negativeAvailable", { userId, available: balance.available });
    }
    const sum = wallet.holds.reduce((total, h) => total + h.amount, 0);
    if (balance.held !== sum) {
      violations.heldNotSumOfHolds++;
      overspent.add(userId);
      note("heldNotSumOfHolds", { userId, held: balance.held, sumOfHolds: sum });
    }
    const perAuction = new Set();
    for (const h of wallet.holds) {
      if (perAuction.has(h.auctionId)) {
        violations.twoHoldsOneAuction++;
        overspent.add(userId);
        note("twoHoldsOneAuction", { userId, auctionId: h.auctionId });
      }
      perAuction.add(h.auctionId);
      holdChecks.push({ bidder, hold: h });
    }
    if (balance.available + balance.held !== funded) {
      violations.fundsNotConserved++;
      overspent.add(userId);
      note("fundsNotConserved", { userId, available: balance.available, held: balance.held, funded });
    }
    holds += wallet.holds.length;
    held += balance.held;
  });
  // Whether the holder leads: only their own view of the auction says so (leaders are anonymised).
  const leads = await mapLimited(holdChecks, 8, ({ bidder, hold }) =>
    byAuction.has(hold.auctionId)
      ? getOk(ctx.baseUrl, `/api/v1/auctions/${hold.auctionId}`, bidder.token).then((a) => a.leaderIsYou)
      : false,
  );
  holdChecks.forEach(({ bidder, hold }, k) => {
    const auction = byAuction.get(hold.auctionId);
    if (!leads[k]) {
      violations.strayHolds++;
      note("strayHold", { userId: bidder.user.id, auctionId: hold.auctionId, amount: hold.amount });
      return;
    }
    coveredAuctions.add(hold.auctionId);
    if (hold.amount < auction.currentPrice) {
      violations.holdBelowPrice++;
      note("holdBelowPrice", {
        auctionId: hold.auctionId,
        hold: hold.amount,
        currentPrice: auction.currentPrice,
      });
    }
  });
  for (const [id, a] of byAuction) {
    if (a.bidCount > 0 && !coveredAuctions.has(id)) {
      violations.leadsWithoutHold++;
      note("leadsWithoutHold", { auctionId: id, currentPrice: a.currentPrice });
    }
  }
  const prices = auctionStates.map((a) => a.currentPrice).sort((p, q) => p - q);
  return {
    violations,
    total: Object.values(violations).reduce((n, v) => n + v, 0),
    overspends: overspent.size,
    examples,
    holds,
    held,
    bids: auctionStates.reduce((n, a) => n + a.bidCount, 0),
    openAuctions: auctionStates.filter((a) => a.status === "open").length,
    prices: { min: prices[0], median: prices[Math.floor(prices.length / 2)], max: prices.at(-1) },
  };
}

/**
 * A closed loop of `walletConnections` over the wallet bidders and auctions, `{}` bids. Request i
 * goes to auction i mod A; within each round of A requests, each bidder in turn bids on
 * `walletBidsAtOnce` consecutive auctions, so a bidder's bids on different auctions are in flight
 * together (the Wallet must serialise them); the bidders shift by one each round, so every
 * (bidder, auction) pair comes up once every A rounds.
 */
export async function walletScenario(ctx) {
  const { profile } = ctx;
  const bidders = ctx.walletBidders;
  const auctions = ctx.walletAuctions;
  if (bidders.length === 0 || auctions.length === 0)
    throw new Error("no wallet bidders or auctions were seeded");
  const funded = profile.walletFunds;
  const req = requests(bidders.map((b) => b.token));
  const perBidder = profile.walletBidsAtOnce;
  const next = (i) => {
    const round = Math.floor(i / auctions.length);
    return req.bid(auctions[i % auctions.length], Math.floor(i / perBidder) + round);
  };
  const run = await measured(
    ctx,
    `${bidders.length} bidders × ${auctions.length} auctions, closed ${profile.walletConnections} conn`,
    [201],
    () =>
      closedLoop({
        baseUrl: ctx.baseUrl,
        connections: profile.walletConnections,
        durationMs: profile.walletMs,
        warmupMs: profile.warmupMs,
        next,
      }),
    { fundsMayRunShort: true },
  );

  // Outbid holds are voided by the broker a few seconds after the bid that outbid them: retry
  // until every wallet checks out, or the wait runs out (then the last pass is what is reported).
  // What the session's probe found (a never-funded user's bid), else what this run saw.
  const probed = ctx.setup?.fundsRequired ?? null;
  const enforced = (c) => probed ?? (c.holds > 0 || run.insufficientFunds > 0);
  const started = performance.now();
  let check;
  let passes = 0;
  for (;;) {
    check = await checkWallets(ctx, bidders, auctions, funded);
    passes++;
    // A server that does not require funds has no hold to wait for.
    if (!enforced(check)) break;
    if (check.total === 0 || performance.now() - started > profile.walletSettleMaxMs) break;
    await sleep(500);
  }
  const fundsEnforced = enforced(check);
  const answered = run.ok + run.bidTooLow + run.insufficientFunds;
  ctx.log(
    `  wallet check after ${passes} pass(es) in ${round2((performance.now() - started) / 1000)} s: ` +
      `${check.holds} holds (${check.held} held) over ${check.bids} bids, prices ${check.prices.min}–${check.prices.max}; ` +
      `violations ${JSON.stringify(check.violations)}${fundsEnforced ? "" : " — this server does not require funds to bid"}`,
  );
  return {
    bidders: bidders.length,
    auctions: auctions.length,
    fundedEach: funded,
    currency: CURRENCY,
    bidsAtOnce: perBidder,
    fundsEnforced,
    run,
    /** The share of answered bids refused for want of money: whether money did run short. */
    insufficientFundsShare: answered === 0 ? null : round4(run.insufficientFunds / answered),
    check: {
      ...check,
      passes,
      seconds: round2((performance.now() - started) / 1000),
      settleMaxSeconds: profile.walletSettleMaxMs / 1000,
    },
  };
}

function round2(v) {
  return Math.round(v * 100) / 100;
}

function round4(v) {
  return Math.round(v * 10_000) / 10_000;
}
