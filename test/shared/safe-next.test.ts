import { describe, expect, it } from "vitest";
import { safeNextPath } from "../../src/shared/safe-next";

describe("safeNextPath", () => {
  it("takes ?next= when it is a path on this site", () => {
    expect(safeNextPath(new URLSearchParams("?next=%2Fme%2Fwallet%3Ftab%3D1").get("next"))).toBe(
      "/me/wallet?tab=1",
    );
  });

  it("refuses anything that could leave the site", () => {
    for (const next of ["https://evil.test/", "//evil.test/", "/\\evil.test", "javascript:alert(1)", ""]) {
      expect(safeNextPath(next)).toBeNull();
    }
    expect(safeNextPath(null)).toBeNull();
    expect(safeNextPath(undefined)).toBeNull();
  });
});
