import { describe, expect, it } from "vitest";
import { notificationText, toastsFor } from "../../src/client/notifications/notification-text";
import type { LiveMessage } from "../../src/shared/live-frames";

function message(kind: string, data: Record<string, unknown>, title = "Server title"): LiveMessage {
  return { id: "msg_1", kind, auctionId: "auc_1", title, body: "Server body", data };
}

const auctionData = { auctionId: "auc_1", auctionTitle: "Film camera", price: 12_000, currency: "KRW" };

describe("notificationText", () => {
  it("writes the message in the reader's language from its kind and data", () => {
    expect(notificationText("en", message("outbid", auctionData))).toBe(
      "You were outbid on Film camera; the price is now ₩12,000.",
    );
    expect(notificationText("ko", message("auction_won", auctionData))).toBe(
      "Film camera을(를) 12,000원에 낙찰받았습니다.",
    );
  });

  it("prices a top-up by its amount", () => {
    expect(
      notificationText(
        "en",
        message("top_up_succeeded", { topUpId: "tu_1", amount: 50_000, currency: "KRW" }),
      ),
    ).toBe("₩50,000 was added to your wallet.");
  });

  it("falls back to the server's title for a kind it does not know or data it cannot read", () => {
    expect(notificationText("en", message("brand_new_kind", auctionData))).toBe("Server title");
    expect(notificationText("en", message("outbid", { auctionTitle: "Film camera" }))).toBe("Server title");
  });
});

describe("toastsFor", () => {
  it("toasts every notification, except an outbid about the auction open on this page (its room already told)", () => {
    expect(toastsFor(message("outbid", auctionData), null)).toBe(true);
    expect(toastsFor(message("outbid", auctionData), "auc_2")).toBe(true);
    expect(toastsFor(message("outbid", auctionData), "auc_1")).toBe(false);
    expect(toastsFor(message("bid_received", auctionData), "auc_1")).toBe(true);
  });
});
