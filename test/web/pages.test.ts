import { describe, expect, it } from "vitest";
import { call, createAuction, signUp, signUpAdmin, signUpFunded } from "../helpers";
import { runBroker } from "../worker/funds/support";
import { openPage, pageData, rowsOf, textOf } from "./support";

describe("the catalog page", () => {
  it("lists open auctions with their price, in the reader's language", async () => {
    const seller = await signUp("catseller");
    const auction = await createAuction(seller, { title: "Catalog lamp", startingPrice: 12_000 });
    // The catalog is the D1 projection, which the broker fills.
    await runBroker(auction.id);
    const page = await openPage("/?q=Catalog%20lamp", { lang: "en" });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.html).toMatch(/^<!doctype html><html lang="en">/);
    expect(page.html).toContain("<h1>Auctions</h1>");
    expect(page.html).toContain(`<a href="/auctions/${auction.id}">Catalog lamp</a>`);
    expect(page.html).toContain('<p class="price">₩12,000</p>');
    const korean = await openPage("/", { acceptLanguage: "ko-KR,ko;q=0.9" });
    expect(korean.html).toContain('<html lang="ko">');
    expect(korean.html).toContain("<h1>경매</h1>");
  });
});

describe("the auction page", () => {
  it("shows the figures the live client keeps in step, escaped", async () => {
    const seller = await signUp("pageseller");
    const created = await createAuction(seller, {
      title: "<script>alert(1)</script> Radio",
      description: "Works & sounds fine",
      startingPrice: 30_000,
      buyNowPrice: 90_000,
    });
    const id: string = created.id;
    const bidder = await signUpFunded("pagebidder");
    const bid = await call("POST", `/api/v1/auctions/${id}/bids`, {
      token: bidder.token,
      body: { amount: 30_000 },
    });
    expect(bid.status).toBe(201);

    const anonymous = await openPage(`/auctions/${id}`, { lang: "en" });
    expect(anonymous.status).toBe(200);
    expect(anonymous.html).not.toContain("<script>alert(1)</script>");
    expect(anonymous.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Radio");
    expect(textOf(anonymous.html, 'data-live="price"')).toBe("₩30,000");
    expect(textOf(anonymous.html, 'data-live="bid-count"')).toBe("1");
    const minimum = await call("GET", `/api/v1/auctions/${id}`);
    expect(textOf(anonymous.html, 'data-live="minimum"')).toBe(
      `₩${minimum.body.minimumNextBid.toLocaleString("en")}`,
    );
    expect(anonymous.html).toContain("Log in to bid");
    expect(textOf(anonymous.html, 'data-live="standing"')).toBe("");

    const leader = await openPage(`/auctions/${id}`, { lang: "en", user: bidder });
    expect(textOf(leader.html, 'data-live="standing"')).toBe("You are leading");
    expect(leader.html).toContain("Place bid");
    expect(leader.html).toContain("Buy now for ₩90,000");
    const data = pageData(leader.html);
    expect(data).toMatchObject({ lang: "en", viewerHasBid: true, me: { id: bidder.id } });
    expect(data.auction).toMatchObject({ id, currentPrice: 30_000, leaderIsYou: true });

    const own = await openPage(`/auctions/${id}`, { lang: "ko", user: seller });
    expect(own.html).toContain("내가 등록한 상품입니다.");
    expect(textOf(own.html, 'data-live="price"')).toBe("30,000원");
  });

  it("tells when a scheduled auction opens instead of counting down to its end", async () => {
    const seller = await signUp("schedseller");
    const startsAt = new Date(Date.now() + 86_400_000).toISOString();
    const auction = await createAuction(seller, { startsAt, durationSeconds: 3600 });
    const page = await openPage(`/auctions/${auction.id}`, { lang: "en" });
    expect(page.html).toContain("<dt>Starts soon</dt>");
    expect(page.html).toContain(`<time datetime="${startsAt}">`);
    expect(page.html).not.toContain('data-live="time-left"');
  });

  it("answers an unknown auction with the not-found page, 404", async () => {
    const page = await openPage("/auctions/auc_00000000000000000000", { lang: "en" });
    expect(page.status).toBe(404);
    expect(page.html).toContain("This auction does not exist.");
  });
});

describe("pages that need a reader", () => {
  it("send a signed-out reader to log in and come back", async () => {
    for (const path of ["/sell", "/me", "/me/wallet", "/me/orders", "/admin"]) {
      const page = await openPage(path);
      expect(page.status, path).toBe(303);
      expect(page.headers.get("location"), path).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it("render every page of a signed-in reader with one h1 and its badge", async () => {
    const user = await signUpFunded("pagesuser");
    const expected: Record<string, string> = {
      "/": "Auctions",
      "/sell": "Sell an item",
      "/login": "Log in",
      "/signup": "Sign up",
      "/me": "My page",
      "/me/bids": "My bids",
      "/me/listings": "My listings",
      "/me/watchlist": "Watchlist",
      "/me/wallet": "Wallet",
      "/me/orders": "Orders",
      "/me/inbox": "Inbox",
    };
    for (const [path, heading] of Object.entries(expected)) {
      const page = await openPage(path, { user, lang: "en" });
      expect(page.status, path).toBe(200);
      expect(page.html.match(/<h1>/g)?.length, path).toBe(1);
      expect(page.html, path).toContain(`<h1>${heading}</h1>`);
      expect(page.html, path).toContain("data-unread-count");
      expect(page.headers.get("content-security-policy"), path).toContain("script-src 'self'");
    }
  });

  it("show the wallet's figures", async () => {
    const user = await signUpFunded("walletpage", 50_000);
    const page = await openPage("/me/wallet", { user, lang: "en" });
    expect(textOf(page.html, 'data-wallet="available"')).toBe("₩50,000");
    expect(textOf(page.html, 'data-wallet="held"')).toBe("₩0");
  });

  it("list the wallet's entries in the reader's words, each with its account and the figure after it", async () => {
    const user = await signUpFunded("walletentries", 50_000);
    const seller = await signUp("walletentryseller");
    const auction = await createAuction(seller, { startingPrice: 30_000 });
    const bid = await call("POST", `/api/v1/auctions/${auction.id}/bids`, {
      token: user.token,
      body: { amount: 30_000 },
    });
    expect(bid.status).toBe(201);

    // Each row's cells after its time: what, account, amount, figure after.
    const entries = async (lang: "en" | "ko") =>
      rowsOf((await openPage("/me/wallet", { user, lang })).html, "data-entry").map((cells) =>
        cells.slice(1).join(" | "),
      );
    const english = await entries("en");
    expect(english).toHaveLength(3);
    // Newest first; a hold's two entries (one per account) in either order.
    expect(english.slice(0, 2).sort()).toEqual(
      [
        `Held · ${auction.id} | Available | -₩30,000 | ₩20,000`,
        `Held · ${auction.id} | Held for bids | +₩30,000 | ₩30,000`,
      ].sort(),
    );
    expect(english[2]).toBe("Top-up | Available | +₩50,000 | ₩50,000");

    expect((await entries("ko"))[2]).toBe("충전 | 사용 가능 | +50,000원 | 50,000원");
  });

  it("offer a withdrawal and show a requested one among the holds", async () => {
    const user = await signUpFunded("walletwithdraws", 50_000);
    const before = await openPage("/me/wallet", { user, lang: "en" });
    expect(before.html).toMatch(/<form[^>]*action="\/api\/v1\/me\/wallet\/withdrawals"[^>]*data-reload/);
    expect(before.html).toContain('<label for="withdrawal-amount">Amount</label>');

    const requested = await call("POST", "/api/v1/me/wallet/withdrawals", {
      token: user.token,
      body: { amount: 20_000, currency: "KRW" },
    });
    expect(requested.status).toBe(201);
    const after = await openPage("/me/wallet", { user, lang: "en" });
    expect(rowsOf(after.html, "data-hold")).toEqual([["Withdrawal requested", "₩20,000"]]);
    expect(textOf(after.html, 'data-wallet="available"')).toBe("₩30,000");
  });

  it("offer each side of a paid order its next steps", async () => {
    const seller = await signUp("orderpageseller");
    const buyer = await signUpFunded("orderpagebuyer", 100_000);
    const auction = await createAuction(seller, {
      title: "Desk lamp",
      startingPrice: 10_000,
      buyNowPrice: 30_000,
    });
    expect(
      (await call("POST", `/api/v1/auctions/${auction.id}/buy-now`, { token: buyer.token, body: {} })).status,
    ).toBe(201);
    await runBroker(auction.id);
    const sellerPage = await openPage("/me/orders", { user: seller, lang: "en" });
    expect(textOf(sellerPage.html, "data-order-status")).toBe("Paid — waiting for shipping");
    expect(sellerPage.html).toContain("Mark as shipped");
    expect(sellerPage.html).toContain(`action="/api/v1/auctions/${auction.id}/order/cancel"`);
    const buyerPage = await openPage("/me/orders", { user: buyer, lang: "en" });
    expect(buyerPage.html).toContain("You bought");
    expect(buyerPage.html).not.toContain("Mark as shipped");
    expect(buyerPage.html).not.toContain("/order/cancel");
    expect(buyerPage.html).toContain("Open a dispute");
  });

  it("keep /admin for administrators", async () => {
    const user = await signUp("notadmin");
    const refused = await openPage("/admin", { user, lang: "en" });
    expect(refused.status).toBe(403);
    expect(refused.html).toContain("This page is for administrators.");
    const admin = await signUpAdmin();
    // The page shows what the API's check answers, whichever way it comes out. Other tests'
    // wallets may still be handing transfers to the ledger: compare with the checks on both sides
    // of the page, once they agree.
    const check = () => call("GET", "/api/v1/admin/ledger/check", { token: admin.token });
    for (let attempt = 1; ; attempt++) {
      const before = await check();
      const page = await openPage("/admin?ledger=1", { user: admin, lang: "en" });
      const after = await check();
      if (JSON.stringify(before.body) !== JSON.stringify(after.body) && attempt < 20) continue;
      expect(page.status).toBe(200);
      expect(page.html).toContain("<h1>Admin</h1>");
      expect(page.html).toContain(
        after.body.ok
          ? `Ledger OK: ${after.body.transfers} transfers`
          : `Ledger problems: ${after.body.problems.length}`,
      );
      break;
    }
  });
});

describe("the login page", () => {
  it("goes back to ?next= after logging in, only when it is a path on this site", async () => {
    const back = await openPage("/login?next=%2Fme%2Fwallet", { lang: "en" });
    expect(back.html).toContain('data-redirect="/me/wallet"');
    const offsite = await openPage("/login?next=%2F%2Fevil.example", { lang: "en" });
    expect(offsite.html).toContain('data-redirect="/"');
  });
});

describe("the language switch", () => {
  it("remembers the choice in a cookie and goes back, only to this site", async () => {
    const page = await openPage("/lang/en?next=%2Fsell");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/sell");
    expect(page.headers.get("set-cookie")).toMatch(
      /^lang=en; Max-Age=31536000; Path=\/; Secure; SameSite=Lax/,
    );
    const offsite = await openPage("/lang/ko?next=%2F%2Fevil.example");
    expect(offsite.headers.get("location")).toBe("/");
  });
});

describe("addresses nothing serves", () => {
  it("give a browser the not-found page and an API client a problem", async () => {
    const page = await openPage("/no/such/page", { lang: "en" });
    expect(page.status).toBe(404);
    expect(page.html).toContain("Page not found");
    const api = await call("GET", "/no/such/page");
    expect(api.status).toBe(404);
    expect(api.body.code).toBe("NOT_FOUND");
  });
});
