import { describe, expect, it } from "vitest";
import { fillTemplate } from "../../src/client/forms/navigation";

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
