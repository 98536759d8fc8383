#!/usr/bin/env node
// Fills a local server with a handful of realistic demo auctions, so a newcomer sees something
// at once. Everything goes through the public API, as a client would.
//
//   npm run seed [-- --url http://127.0.0.1:8787]
//
// Safe to run twice: the demo users are logged in again, and their top-ups and listings are created
// with Idempotency-Keys, so a second run adds nothing.
//
// Bidding takes money (SPEC §8), so each demo buyer first tops up their wallet the way a real user
// does: a top-up, confirmed by the payment provider's signed webhook, played here as `npm run pay`
// plays it (signed with PAYMENTS_WEBHOOK_SECRET from .dev.vars, else .dev.vars.example).

import { parseArgs } from "node:util";
import { deliverPaymentEvent, localWebhookSecret } from "../scripts/payment-provider.mjs";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: process.env.AUCTION_URL ?? "http://127.0.0.1:8787" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log("usage: npm run seed [-- --url http://127.0.0.1:8787]");
  process.exit(0);
}
const baseUrl = values.url.replace(/\/+$/, "");
const PASSWORD = "demo passphrase 2026";
const HOUR = 3600;
/** Each demo buyer's wallet: well above everything they bid here, with room to play in the UI. */
const BUYER_FUNDS = 10_000_000;

const SELLERS = [
  { username: "demo_minji", nickname: "민지네 창고" },
  { username: "demo_oliver", nickname: "Oliver's Attic" },
];
const BUYERS = [
  { username: "demo_buyer_jun", nickname: "준호" },
  { username: "demo_buyer_sam", nickname: "Sam" },
];

/** [seller index, listing, bids as [buyer index, body]] — prices in KRW (no minor unit). */
const LISTINGS = [
  [
    0,
    {
      title: "아이폰 13 미니 128GB 미드나이트",
      description: "배터리 성능 87%, 액정 기스 없음. 케이스와 충전 케이블 함께 드려요.",
      category: "phones",
      startingPrice: 250_000,
      buyNowPrice: 420_000,
      durationSeconds: 2 * HOUR,
    },
    [
      [0, { amount: 260_000 }],
      [1, { maxAmount: 300_000 }],
    ],
  ],
  [
    0,
    {
      title: "무인양품 원목 책상 (120cm)",
      description: "이사로 판매합니다. 직거래 선호, 택배 불가.",
      category: "furniture",
      startingPrice: 40_000,
      durationSeconds: 6 * HOUR,
    },
    [[1, {}]],
  ],
  [
    0,
    {
      title: "닌텐도 스위치 OLED + 젤다 왕국의 눈물",
      description: "사용감 적음. 박스 있음.",
      category: "games",
      startingPrice: 280_000,
      reservePrice: 330_000,
      durationSeconds: 24 * HOUR,
    },
    [[0, { maxAmount: 310_000 }]],
  ],
  [
    1,
    {
      title: "Canon AE-1 film camera with 50mm f/1.8",
      description: "Shutter and light meter work. Light wear on the top plate.\nComes with a strap.",
      category: "cameras",
      startingPrice: 120_000,
      durationSeconds: 3 * HOUR,
    },
    [
      [0, { amount: 125_000 }],
      [1, { amount: 130_000 }],
    ],
  ],
  [
    1,
    {
      title: "Road bike, 54 cm aluminium frame",
      description: "Serviced last month: new chain and brake pads.",
      category: "bikes",
      startingPrice: 180_000,
      buyNowPrice: 300_000,
      durationSeconds: 12 * HOUR,
    },
    [],
  ],
  [
    1,
    {
      title: "Le Creuset 24 cm cast-iron casserole (cerise)",
      description: "A few marks on the enamel inside; cooks perfectly.",
      category: "kitchen",
      startingPrice: 90_000,
      durationSeconds: 45 * 60,
      softClose: { windowSeconds: 120, extendSeconds: 120 },
    },
    [[0, { maxAmount: 110_000 }]],
  ],
  [
    0,
    {
      title: "레고 테크닉 포르쉐 911 GT3 RS (미개봉)",
      description: "선물 받았는데 조립할 시간이 없어서 내놓습니다.",
      category: "toys",
      startingPrice: 350_000,
      // On the hour, so a second run within the hour sends the same body (same Idempotency-Key).
      startsAt: new Date((Math.floor(Date.now() / (HOUR * 1000)) + 2) * HOUR * 1000).toISOString(),
      durationSeconds: 24 * HOUR,
    },
    [],
  ],
];

async function request(method, path, { token, body, key } = {}) {
  const headers = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  if (key) headers["idempotency-key"] = key;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function account({ username, nickname }) {
  const created = await request("POST", "/api/v1/users", {
    body: { username, password: PASSWORD, nickname },
  });
  if (created.status !== 201 && created.body?.code !== "USERNAME_TAKEN") {
    throw new Error(`sign-up of ${username} answered ${created.status}: ${JSON.stringify(created.body)}`);
  }
  const session = await request("POST", "/api/v1/sessions", { body: { username, password: PASSWORD } });
  if (session.status !== 201) {
    throw new Error(`login of ${username} answered ${session.status}: ${JSON.stringify(session.body)}`);
  }
  return { username, token: session.body.token };
}

/**
 * Tops the buyer's wallet up by BUYER_FUNDS KRW: a pending top-up (the same one on every run, by
 * its Idempotency-Key), then the provider's `payment.succeeded` for it, once.
 */
async function fund(buyer, secret) {
  const topUp = await request("POST", "/api/v1/me/wallet/top-ups", {
    token: buyer.token,
    body: { amount: BUYER_FUNDS, currency: "KRW" },
    key: "demo-top-up",
  });
  if (topUp.status !== 201) {
    throw new Error(`top-up of ${buyer.username} answered ${topUp.status}: ${JSON.stringify(topUp.body)}`);
  }
  if (topUp.body.status !== "pending") return;
  const paid = await deliverPaymentEvent(baseUrl, secret, {
    id: `evt_demo_${topUp.body.id}`,
    type: "payment.succeeded",
    data: { topUpId: topUp.body.id, amount: BUYER_FUNDS, currency: "KRW" },
  });
  if (!paid.ok) {
    throw new Error(
      `the payment webhook answered ${paid.status} ${paid.text}: does the server use this PAYMENTS_WEBHOOK_SECRET (.dev.vars)?`,
    );
  }
}

async function main() {
  const health = await fetch(`${baseUrl}/api/v1/health`).catch(() => null);
  if (!health?.ok) {
    console.error(`No server at ${baseUrl}: start one with \`npm run dev\` first.`);
    process.exit(1);
  }
  const sellers = [];
  for (const seller of SELLERS) sellers.push(await account(seller));
  const secret = localWebhookSecret();
  if (!secret) {
    console.error("No PAYMENTS_WEBHOOK_SECRET: set it in .dev.vars (see .dev.vars.example).");
    process.exit(2);
  }
  const buyers = [];
  for (const buyer of BUYERS) {
    const session = await account(buyer);
    await fund(session, secret);
    buyers.push(session);
  }

  for (const [i, [sellerIndex, listing, bids]] of LISTINGS.entries()) {
    const seller = sellers[sellerIndex];
    const created = await request("POST", "/api/v1/auctions", {
      token: seller.token,
      body: listing,
      key: `demo-listing-${i}-${listing.startsAt ?? ""}`,
    });
    if (created.status !== 201) {
      throw new Error(`"${listing.title}" answered ${created.status}: ${JSON.stringify(created.body)}`);
    }
    const auction = created.body;
    for (const [j, [buyerIndex, body]] of bids.entries()) {
      const placed = await request("POST", `/api/v1/auctions/${auction.id}/bids`, {
        token: buyers[buyerIndex].token,
        body,
        key: `demo-bid-${i}-${j}`,
      });
      if (placed.status !== 201) {
        console.warn(
          `  a demo bid on "${listing.title}" answered ${placed.status} ${placed.body?.code ?? ""}`,
        );
      }
    }
    const now = await request("GET", `/api/v1/auctions/${auction.id}`);
    console.log(
      `${auction.id}  ${now.body.status.padEnd(9)} ${String(now.body.currentPrice).padStart(9)} KRW  ${listing.title}`,
    );
  }
  console.log(
    `\nDemo accounts (password "${PASSWORD}"): ${[...SELLERS, ...BUYERS].map((u) => u.username).join(", ")}`,
  );
  console.log(
    `Each demo buyer topped up ${BUYER_FUNDS.toLocaleString("en-US")} KRW (once, however often this runs).`,
  );
  console.log(`Browse: ${baseUrl}/api/v1/auctions  ·  docs: ${baseUrl}/docs`);
}

await main();
