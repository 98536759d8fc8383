import { describe, expect, it } from "vitest";
import { parsePageData } from "../../src/client/page-data";
import { liveAuction } from "./fixtures";

// The page passes the whole resource; the client keeps what it shows.
const auction = {
  ...liveAuction({ title: "Film camera", buyNowPrice: null }),
  description: "Works.",
  seller: { id: "usr_s", nickname: "Sam" },
};

describe("parsePageData", () => {
  it("reads the page's JSON: language, viewer, unread count, and on an auction page the auction and its seq", () => {
    const page = parsePageData(
      JSON.stringify({
        lang: "en",
        me: { id: "usr_1", username: "alice", nickname: "Alice", role: "user" },
        unreadCount: 3,
        auction,
        lastSeq: 12,
        viewerHasBid: true,
      }),
      "ko",
    );
    expect(page).toMatchObject({
      lang: "en",
      me: { id: "usr_1" },
      unreadCount: 3,
      lastSeq: 12,
      viewerHasBid: true,
    });
    expect(page.auction).toMatchObject({ id: "auc_1", currentPrice: 10_000 });
    expect(page.auction).not.toHaveProperty("description");
  });

  it("reads a signed-out page with no auction", () => {
    expect(parsePageData('{"lang":"ko","me":null,"unreadCount":null}', "en")).toEqual({
      lang: "ko",
      me: null,
      unreadCount: null,
    });
  });

  it("falls back to a signed-out page in the document's language when the JSON is missing or wrong", () => {
    const fallback = { lang: "en", me: null, unreadCount: null };
    expect(parsePageData(null, "en")).toEqual(fallback);
    expect(parsePageData("{not json", "en")).toEqual(fallback);
    expect(parsePageData('{"lang":"fr","me":null,"unreadCount":null}', "en")).toEqual(fallback);
    expect(parsePageData(null, "de")).toEqual({ ...fallback, lang: "ko" });
  });
});
