import { describe, expect, it } from "vitest";
import { inboxMessageText } from "../../src/shared/i18n/inbox";

describe("inboxMessageText: the inbox page and a pushed toast write a message alike", () => {
  it("writes an auction message from its title and price", () => {
    const message = {
      kind: "outbid",
      title: "You've been outbid",
      data: { auctionTitle: "Film camera", price: 31_000, currency: "KRW" },
    };
    expect(inboxMessageText("en", message)).toBe("You were outbid on Film camera; the price is now ₩31,000.");
    expect(inboxMessageText("ko", message)).toBe(
      "Film camera에 더 높은 입찰이 들어왔습니다. 현재가 31,000원.",
    );
  });

  it("writes a wallet message from its amount", () => {
    const message = {
      kind: "top_up_succeeded",
      title: "Top-up received",
      data: { amount: 50_000, currency: "KRW" },
    };
    expect(inboxMessageText("en", message)).toBe("₩50,000 was added to your wallet.");
  });

  it("falls back to the server's title for a kind or data it cannot read", () => {
    expect(inboxMessageText("en", { kind: "newer_kind", title: "Something new", data: {} })).toBe(
      "Something new",
    );
    expect(inboxMessageText("en", { kind: "outbid", title: "You've been outbid", data: {} })).toBe(
      "You've been outbid",
    );
  });
});
