import { describe, expect, it } from "vitest";
import { fillTemplate, safeNext } from "../../src/client/forms/navigation";

describe("fillTemplate", () => {
  it("fills {field} from the JSON response", () => {
    expect(fillTemplate("/auctions/{id}", { id: "auc_1", title: "x" })).toBe("/auctions/auc_1");
  });

  it("escapes what it fills in", () => {
    expect(fillTemplate("/auctions/{id}", { id: "a/b?c" })).toBe("/auctions/a%2Fb%3Fc");
  });

  it("is null when the response lacks the field", () => {
    expect(fillTemplate("/auctions/{id}", { title: "x" })).toBeNull();
    expect(fillTemplate("/auctions/{id}", null)).toBeNull();
  });
});

describe("safeNext", () => {
  it("takes ?next= when it is a path on this site", () => {
    expect(safeNext("?next=%2Fme%2Fwallet%3Ftab%3D1")).toBe("/me/wallet?tab=1");
  });

  it("refuses anything that could leave the site", () => {
    for (const next of ["https://evil.test/", "//evil.test/", "/\\evil.test", "javascript:alert(1)", ""]) {
      expect(safeNext(`?next=${encodeURIComponent(next)}`)).toBeNull();
    }
    expect(safeNext("")).toBeNull();
  });
});
