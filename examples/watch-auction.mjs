#!/usr/bin/env node
// Watch one auction live in the terminal.
//
//   npm run watch -- <auctionId> [--url http://127.0.0.1:8787] [--token <bearer token>]
//
// Connects to GET /api/v1/auctions/{id}/live, prints every frame, and keeps a countdown computed
// from the server's clock (offset = serverTime - local time at receipt), so a skewed local clock
// does not skew the countdown. When the socket drops it reconnects with ?since=<last seq> and the
// server replays what was missed. With --token, frames say when you are the leader.

import { parseArgs } from "node:util";

const USAGE = "usage: npm run watch -- <auctionId> [--url http://127.0.0.1:8787] [--token <bearer token>]";
const PING_EVERY_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: "string", default: process.env.AUCTION_URL ?? "http://127.0.0.1:8787" },
    token: { type: "string", default: process.env.AUCTION_TOKEN },
    help: { type: "boolean", short: "h" },
  },
});
const auctionId = positionals[0];
if (values.help || !auctionId) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}
const baseUrl = values.url.replace(/\/+$/, "");
const authHeaders = values.token ? { authorization: `Bearer ${values.token}` } : {};

/** What we know of the auction, updated by every frame. */
const state = {
  title: auctionId,
  currency: "KRW",
  status: "unknown",
  price: null,
  bidCount: 0,
  leader: null,
  endsAt: null,
  lastSeq: null,
  /** serverTime - local clock, from the latest frame. */
  offsetMs: 0,
};

// ------------------------------------------------------------------ formatting

const fractionDigits = (currency) => {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits;
  } catch {
    return 2;
  }
};

/** Minor units → "12,500 KRW" / "12.50 USD". */
function money(amount, currency = state.currency) {
  if (amount === null || amount === undefined) return "-";
  const digits = fractionDigits(currency);
  const value = amount / 10 ** digits;
  return `${value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${currency}`;
}

const serverNow = () => Date.now() + state.offsetMs;

/** "1d 02:03:04", "04:59", "ended". */
function countdown() {
  if (state.endsAt === null) return "-";
  const left = Math.max(0, Date.parse(state.endsAt) - serverNow());
  if (left === 0) return "ending…";
  const s = Math.floor(left / 1000);
  const pad = (n) => String(n).padStart(2, "0");
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const clock = `${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  if (days > 0) return `${days}d ${pad(hours)}:${clock}`;
  return hours > 0 ? `${pad(hours)}:${clock}` : clock;
}

const stamp = () => new Date(serverNow()).toISOString().slice(11, 19);
const leaderText = (leader, isYou) => (leader ? `${leader.handle}${isYou ? " (you)" : ""}` : "nobody");

// A one-line ticker on a terminal; plain lines when piped.
const tty = process.stdout.isTTY;
let tickerShown = false;
function clearTicker() {
  if (tty && tickerShown) {
    process.stdout.write("\r\x1b[2K");
    tickerShown = false;
  }
}
function print(line) {
  clearTicker();
  console.log(`[${stamp()}] ${line}`);
  drawTicker();
}
function drawTicker() {
  if (!tty || state.status !== "open") return;
  process.stdout.write(
    `\r\x1b[2K  ⏱  ${countdown()} left · ${money(state.price)} · leader ${leaderText(state.leader)}`,
  );
  tickerShown = true;
}
const ticker = setInterval(drawTicker, 1000);

// ------------------------------------------------------------------ frames

function onFrame(text) {
  if (text === "pong") return;
  let frame;
  try {
    frame = JSON.parse(text);
  } catch {
    print(`? unreadable frame: ${text.slice(0, 80)}`);
    return;
  }
  if (typeof frame.serverTime === "string") state.offsetMs = Date.parse(frame.serverTime) - Date.now();
  if (typeof frame.seq === "number") state.lastSeq = Math.max(state.lastSeq ?? 0, frame.seq);

  switch (frame.type) {
    case "snapshot": {
      const a = frame.auction;
      Object.assign(state, {
        title: a.title,
        currency: a.currency,
        status: a.status,
        price: a.currentPrice,
        bidCount: a.bidCount,
        leader: a.leader,
        endsAt: a.endsAt,
      });
      print(
        `snapshot #${frame.seq} "${a.title}" · ${a.status} · ${money(a.currentPrice)} · ${a.bidCount} bid(s) · ` +
          `leader ${leaderText(a.leader, a.leaderIsYou)} · ${a.status === "open" ? `ends in ${countdown()}` : `outcome ${a.outcome ?? "-"}`}`,
      );
      if (a.status === "closed" || a.status === "cancelled") finish();
      break;
    }
    case "bid":
      Object.assign(state, {
        price: frame.price,
        bidCount: frame.bidCount,
        leader: frame.leader,
        endsAt: frame.endsAt,
      });
      print(
        `bid #${frame.seq} ${money(frame.price)} · leader ${leaderText(frame.leader, frame.leaderIsYou)} · ` +
          `${frame.bidCount} bid(s) · ends in ${countdown()}${frame.extended ? " (extended)" : ""}`,
      );
      break;
    case "closed":
      state.status = "closed";
      print(
        frame.outcome === "sold"
          ? `closed #${frame.seq} SOLD to ${leaderText(frame.winner, frame.winnerIsYou)} for ${money(frame.finalPrice)} (${frame.endedBy === "buy_now" ? "buy now" : "time"})`
          : `closed #${frame.seq} UNSOLD (${frame.endedBy === "buy_now" ? "buy now" : "time"})`,
      );
      finish();
      break;
    case "cancelled":
      state.status = "cancelled";
      print(`cancelled #${frame.seq} the seller cancelled the auction`);
      finish();
      break;
    default:
      print(`${frame.type ?? "?"} ${JSON.stringify(frame)}`);
  }
}

// ------------------------------------------------------------------ connection

let socket = null;
let pinger = null;
let finished = false;
let attempt = 0;

function finish(code = 0) {
  finished = true;
  clearInterval(ticker);
  clearInterval(pinger);
  clearTicker();
  socket?.close(1000, "done");
  process.exitCode = code;
}

/** The global WebSocket (Node ≥ 22) cannot send headers; `ws` can, for --token. */
async function openSocket(url) {
  if (values.token || typeof globalThis.WebSocket !== "function") {
    const { default: WebSocket } = await import("ws");
    return new WebSocket(url, { headers: authHeaders });
  }
  return new globalThis.WebSocket(url);
}

function liveUrl() {
  const url = new URL(`${baseUrl}/api/v1/auctions/${encodeURIComponent(auctionId)}/live`);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  if (state.lastSeq !== null) url.searchParams.set("since", String(state.lastSeq));
  return url.toString();
}

async function connect() {
  if (finished) return;
  const url = liveUrl();
  socket = await openSocket(url);
  socket.addEventListener("open", () => {
    attempt = 0;
    print(state.lastSeq === null ? `connected to ${url}` : `reconnected, replaying since #${state.lastSeq}`);
    clearInterval(pinger);
    pinger = setInterval(() => socket.readyState === 1 && socket.send("ping"), PING_EVERY_MS);
  });
  socket.addEventListener("message", (event) => {
    onFrame(typeof event.data === "string" ? event.data : Buffer.from(event.data).toString("utf8"));
  });
  socket.addEventListener("close", (event) => {
    clearInterval(pinger);
    if (finished) return;
    const delay = Math.min(1000 * 2 ** attempt, MAX_BACKOFF_MS);
    attempt += 1;
    print(
      `connection closed (${event.code}${event.reason ? ` ${event.reason}` : ""}); reconnecting in ${delay / 1000}s`,
    );
    setTimeout(() => connect().catch(onFatal), delay);
  });
  // A failed handshake also fires "close", which schedules the retry.
  socket.addEventListener("error", () => {});
}

function onFatal(error) {
  clearTicker();
  console.error(String(error?.message ?? error));
  finish(1);
}

/** Fails fast on a wrong id or an unreachable server instead of retrying forever. */
async function checkAuction() {
  let res;
  try {
    res = await fetch(`${baseUrl}/api/v1/auctions/${encodeURIComponent(auctionId)}`, {
      headers: authHeaders,
    });
  } catch (error) {
    throw new Error(`cannot reach ${baseUrl}: ${error.cause?.code ?? error.message}`);
  }
  if (res.status === 404) throw new Error(`no auction ${auctionId} at ${baseUrl}`);
  if (!res.ok) throw new Error(`GET auction answered ${res.status}: ${await res.text()}`);
  const auction = await res.json();
  state.title = auction.title;
  state.currency = auction.currency;
}

process.on("SIGINT", () => {
  clearTicker();
  console.log("\nbye");
  finish(0);
});

checkAuction().then(connect).catch(onFatal);
