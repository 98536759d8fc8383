import { describe, expect, it } from "vitest";
import { chooseLang, problemMessage, translate } from "../../src/shared/i18n";

describe("chooseLang", () => {
  it("takes the reader's explicit choice first", () => {
    expect(chooseLang("en", "ko-KR,ko;q=0.9")).toBe("en");
    expect(chooseLang("ko", "en-US")).toBe("ko");
  });

  it("else the best-weighted language we speak from Accept-Language, else Korean", () => {
    expect(chooseLang(undefined, "en-US,en;q=0.9,ko;q=0.8")).toBe("en");
    expect(chooseLang(undefined, "fr-FR,ko;q=0.5,en;q=0.7")).toBe("en");
    expect(chooseLang(undefined, "fr-FR, de;q=0.5")).toBe("ko");
    expect(chooseLang("xx", "en;q=0")).toBe("ko");
    expect(chooseLang(undefined, undefined)).toBe("ko");
  });
});

describe("translate and problemMessage", () => {
  it("fills parameters in either language", () => {
    expect(translate("en", "auction.soldTo", { handle: "bob", price: "₩12,000" })).toBe(
      "Sold to bob for ₩12,000",
    );
    expect(translate("ko", "auction.buyNow", { price: "50,000원" })).toBe("50,000원에 즉시 구매");
  });

  it("translates every API code and falls back to the detail for codes it does not know", () => {
    expect(problemMessage("en", "INSUFFICIENT_FUNDS")).toBe("Not enough money in your wallet.");
    expect(problemMessage("ko", "BID_TOO_LOW")).toBe("최소 입찰가보다 낮습니다.");
    expect(problemMessage("en", "SOMETHING_NEWER", "A newer refusal.")).toBe("A newer refusal.");
  });
});
