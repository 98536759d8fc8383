import { describe, expect, it } from "vitest";
import { fieldErrors, problemOf } from "../../src/client/forms/problem-fields";

describe("problemOf", () => {
  it("reads an RFC 9457 problem body", () => {
    expect(
      problemOf({
        type: "about:blank",
        title: "Unprocessable",
        status: 422,
        code: "VALIDATION_FAILED",
        detail: "Invalid auction",
        requestId: "r1",
        errors: [{ path: "title", message: "Required" }],
      }),
    ).toEqual({
      code: "VALIDATION_FAILED",
      detail: "Invalid auction",
      errors: [{ path: "title", message: "Required" }],
    });
  });

  it("is null for anything else (an HTML error page, a bare string)", () => {
    expect(problemOf("<html>")).toBeNull();
    expect(problemOf({ message: "nope" })).toBeNull();
  });
});

describe("fieldErrors", () => {
  const known = ["title", "startingPrice", "softClose.windowSeconds", "imageUrls"];

  it("puts each message on the field whose path it names", () => {
    const { byPath, unmatched } = fieldErrors(
      [
        { path: "title", message: "Required" },
        { path: "title", message: "Too long" },
        { path: "softClose.windowSeconds", message: "Too small" },
      ],
      known,
    );
    expect(Object.fromEntries(byPath)).toEqual({
      title: ["Required", "Too long"],
      "softClose.windowSeconds": ["Too small"],
    });
    expect(unmatched).toEqual([]);
  });

  it("puts an element's error on its list (imageUrls.2 → imageUrls)", () => {
    const { byPath } = fieldErrors([{ path: "imageUrls.2", message: "Invalid URL" }], known);
    expect(Object.fromEntries(byPath)).toEqual({ imageUrls: ["Invalid URL"] });
  });

  it("keeps errors for fields the form does not show, for the form's own message", () => {
    const { byPath, unmatched } = fieldErrors(
      [
        { path: "endsAt", message: "Must be in the future" },
        { path: "", message: "Give exactly one of endsAt and durationSeconds" },
      ],
      known,
    );
    expect(byPath.size).toBe(0);
    expect(unmatched).toEqual(["Must be in the future", "Give exactly one of endsAt and durationSeconds"]);
  });
});
