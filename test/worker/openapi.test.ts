import { describe, expect, it } from "vitest";
import { z } from "zod";
import { call } from "../helpers";

// The document as client developers meet it: generators name methods after operationIds, and
// read `security` to know which calls need a session. Both are part of the contract.

const Requirement = z.record(z.string(), z.array(z.string()));
const Operation = z.object({
  operationId: z.string().optional(),
  tags: z.array(z.string()).optional(),
  security: z.array(Requirement).optional(),
  responses: z.record(z.string(), z.object({ description: z.string() })),
});
const DocumentShape = z.object({
  servers: z.array(z.object({ url: z.string(), description: z.string().optional() })).optional(),
  tags: z.array(z.object({ name: z.string(), description: z.string().optional() })).optional(),
  paths: z.record(z.string(), z.record(z.string(), Operation)),
  components: z.object({ securitySchemes: z.record(z.string(), z.unknown()) }),
});

async function document() {
  const res = await call("GET", "/openapi.json");
  expect(res.status).toBe(200);
  return DocumentShape.parse(res.body);
}

async function operations() {
  const doc = await document();
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
  );
}

/** Stable ids: changing one breaks every generated client, so each is pinned here. */
const OPERATION_IDS: Record<string, string> = {
  "GET /api/v1/health": "getHealth",
  "POST /api/v1/users": "signUp",
  "POST /api/v1/sessions": "logIn",
  "DELETE /api/v1/sessions/current": "logOut",
  "GET /api/v1/me": "getMe",
  "PUT /api/v1/me/password": "changePassword",
  "GET /api/v1/me/auctions": "listMyAuctions",
  "GET /api/v1/me/bids": "listMyBids",
  "GET /api/v1/me/watchlist": "getMyWatchlist",
  "GET /api/v1/me/inbox": "getMyInbox",
  "GET /api/v1/me/inbox/unread-count": "getMyUnreadCount",
  "POST /api/v1/me/inbox/read-all": "markAllInboxMessagesRead",
  "POST /api/v1/me/inbox/{id}/read": "markInboxMessageRead",
  "GET /api/v1/me/live": "openMyLiveSocket",
  "POST /api/v1/me/live-ticket": "issueLiveTicket",
  "POST /api/v1/auctions": "createAuction",
  "GET /api/v1/auctions": "listAuctions",
  "GET /api/v1/auctions/{id}": "getAuction",
  "PATCH /api/v1/auctions/{id}": "updateAuction",
  "DELETE /api/v1/auctions/{id}": "cancelAuction",
  "GET /api/v1/auctions/{id}/ping": "pingAuctionRoom",
  "POST /api/v1/auctions/{id}/bids": "placeBid",
  "GET /api/v1/auctions/{id}/bids": "getBidHistory",
  "POST /api/v1/auctions/{id}/buy-now": "buyNow",
  "PUT /api/v1/auctions/{id}/watch": "watchAuction",
  "DELETE /api/v1/auctions/{id}/watch": "unwatchAuction",
  "GET /api/v1/auctions/{id}/live": "openAuctionLiveSocket",
  "GET /api/v1/admin/users": "listUsers",
  "POST /api/v1/admin/users/{id}/suspend": "suspendUser",
  "POST /api/v1/admin/users/{id}/unsuspend": "unsuspendUser",
  "POST /api/v1/admin/auctions/{id}/cancel": "cancelAuctionAsAdmin",
  "GET /api/v1/admin/audit-log": "listAuditLog",
  "POST /api/v1/admin/users/{id}/wallet/adjustments": "adjustWallet",
  "GET /api/v1/admin/withdrawals": "listWithdrawals",
  "POST /api/v1/admin/withdrawals/{id}/complete": "completeWithdrawal",
  "POST /api/v1/admin/withdrawals/{id}/reject": "rejectWithdrawal",
  "GET /api/v1/me/wallet": "getMyWallet",
  "GET /api/v1/me/wallet/entries": "listMyWalletEntries",
  "POST /api/v1/me/wallet/top-ups": "createTopUp",
  "POST /api/v1/me/wallet/withdrawals": "requestWithdrawal",
  "POST /api/v1/webhooks/payments": "receivePaymentWebhook",
  "GET /api/v1/auctions/{id}/order": "getOrder",
  "POST /api/v1/auctions/{id}/order/ship": "shipOrder",
  "POST /api/v1/auctions/{id}/order/confirm": "confirmOrder",
  "POST /api/v1/auctions/{id}/order/dispute": "disputeOrder",
  "POST /api/v1/auctions/{id}/order/cancel": "cancelOrder",
  "GET /api/v1/auctions/{id}/second-chance": "getSecondChanceOffer",
  "POST /api/v1/auctions/{id}/second-chance": "offerSecondChance",
  "POST /api/v1/auctions/{id}/second-chance/accept": "acceptSecondChanceOffer",
  "POST /api/v1/auctions/{id}/second-chance/decline": "declineSecondChanceOffer",
  "GET /api/v1/me/orders": "listMyOrders",
  "POST /api/v1/admin/orders/{auctionId}/resolve": "resolveOrderDispute",
  "GET /api/v1/admin/ledger/check": "checkLedger",
  "GET /api/v1/admin/orders": "listOrders",
  "POST /api/v1/uploads": "uploadPhoto",
  "GET /media/u/{userId}/{name}": "getPhoto",
};

const SESSION = [{ bearerAuth: [] }, { cookieAuth: [] }];
/** Anyone may call these; a session, when sent, personalises the answer (e.g. `leaderIsYou`). */
const OPTIONAL_SESSION = [...SESSION, {}];
const PUBLIC: string[] = [
  "GET /api/v1/health",
  "POST /api/v1/users",
  "POST /api/v1/sessions",
  // The payment provider's call: authenticated by its signature, not a session.
  "POST /api/v1/webhooks/payments",
  // Uploaded photos are public, like the listings that show them.
  "GET /media/u/{userId}/{name}",
];
const SESSION_OPTIONAL: string[] = [
  "GET /api/v1/auctions",
  "GET /api/v1/auctions/{id}",
  "GET /api/v1/auctions/{id}/bids",
  "GET /api/v1/auctions/{id}/live",
];

describe("GET /openapi.json for client developers", () => {
  it("gives every operation its own stable camelCase operationId", async () => {
    const ops = await operations();
    const ids = Object.fromEntries(ops.map(({ route, op }) => [route, op.operationId]));
    expect(ids).toEqual(OPERATION_IDS);
    const all = ops.map(({ op }) => op.operationId ?? "");
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
  });

  it("states on every operation which credentials it takes", async () => {
    const ops = await operations();
    for (const { route, op } of ops) {
      expect(op.security, route).toBeDefined();
      if (PUBLIC.includes(route)) expect(op.security, route).toEqual([]);
      else if (SESSION_OPTIONAL.includes(route)) expect(op.security, route).toEqual(OPTIONAL_SESSION);
      else if (route === "GET /api/v1/me/live")
        expect(op.security, route).toEqual([...SESSION, { liveTicket: [] }]);
      else expect(op.security, route).toEqual(SESSION);
    }
  });

  it("declares the schemes it names: bearer token, session cookie, live ticket", async () => {
    const doc = await document();
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: "http", scheme: "bearer" }),
      cookieAuth: expect.objectContaining({ type: "apiKey", in: "cookie", name: "sa_session" }),
      liveTicket: expect.objectContaining({ type: "apiKey", in: "query", name: "ticket" }),
    });
  });

  it("declares, with a description, exactly the tags its operations use", async () => {
    const doc = await document();
    const used = new Set((await operations()).flatMap(({ op }) => op.tags ?? []));
    const declared = doc.tags ?? [];
    expect(declared.map((t) => t.name).sort()).toEqual([...used].sort());
    for (const tag of declared) expect(tag.description?.length ?? 0, tag.name).toBeGreaterThan(10);
  });

  it("names the server relative to itself, so it works wherever it is served", async () => {
    const doc = await document();
    expect(doc.servers).toEqual([{ url: "/", description: expect.any(String) }]);
  });

  it("documents each WebSocket refusal by its code", async () => {
    const doc = await document();
    const room = doc.paths["/api/v1/auctions/{id}/live"]?.get?.responses ?? {};
    const mine = doc.paths["/api/v1/me/live"]?.get?.responses ?? {};
    expect(Object.keys(room)).toEqual(["101", "400", "403", "404", "426"]);
    expect(Object.keys(mine)).toEqual(["101", "400", "401", "403", "426", "503"]);
    for (const responses of [room, mine]) {
      expect(responses["400"]?.description).toContain("INVALID_WEBSOCKET_HANDSHAKE");
      expect(responses["403"]?.description).toContain("ORIGIN_NOT_ALLOWED");
      expect(responses["426"]?.description).toContain("UPGRADE_REQUIRED");
      expect(responses["426"]?.description).toContain("UNSUPPORTED_WEBSOCKET_VERSION");
    }
    expect(room["404"]?.description).toContain("AUCTION_NOT_FOUND");
    expect(mine["401"]?.description).toContain("UNAUTHENTICATED");
    expect(mine["503"]?.description).toContain("LIVE_UNAVAILABLE");
  });
});
