import { describe, expect, it } from "vitest";
import { type FieldValue, formPayload } from "../../src/client/forms/form-payload";

function field(name: string, value: string, extra: Partial<FieldValue> = {}): FieldValue {
  return {
    name,
    value,
    type: "text",
    checked: false,
    dataType: null,
    jsonName: null,
    proxy: false,
    ...extra,
  };
}

describe("formPayload", () => {
  it("names each JSON field after its input, integers as numbers", () => {
    expect(
      formPayload([
        field("title", "Camera"),
        field("startingPrice", "12000", { dataType: "integer" }),
        field("durationSeconds", "86400", { type: "select-one", dataType: "integer" }),
      ]),
    ).toEqual({ title: "Camera", startingPrice: 12_000, durationSeconds: 86_400 });
  });

  it("reads an integer written with grouping (12,000) and sends anything else as typed, for the server to refuse", () => {
    expect(formPayload([field("amount", " 12,000 ", { dataType: "integer" })])).toEqual({ amount: 12_000 });
    expect(formPayload([field("amount", "12.5", { dataType: "integer" })])).toEqual({ amount: "12.5" });
  });

  it("leaves empty optional inputs out", () => {
    expect(formPayload([field("buyNowPrice", "", { dataType: "integer" }), field("category", "")])).toEqual(
      {},
    );
  });

  it("keeps text exactly as typed (a password's spaces are part of it)", () => {
    expect(formPayload([field("password", "  two words  ", { type: "password" })])).toEqual({
      password: "  two words  ",
    });
  });

  it("builds nested objects from dotted names", () => {
    expect(
      formPayload([
        field("softClose.windowSeconds", "120", { dataType: "integer" }),
        field("softClose.extendSeconds", "60", { dataType: "integer" }),
      ]),
    ).toEqual({ softClose: { windowSeconds: 120, extendSeconds: 60 } });
  });

  it("turns a checkbox into a boolean, under data-json-name when it has one", () => {
    expect(
      formPayload([
        field("notify", "on", { type: "checkbox", checked: true }),
        field("box", "on", { type: "checkbox", checked: false, jsonName: "giftWrap" }),
      ]),
    ).toEqual({ notify: true, giftWrap: false });
  });

  it("takes only the chosen radio", () => {
    expect(
      formPayload([
        field("kind", "a", { type: "radio", checked: false }),
        field("kind", "b", { type: "radio", checked: true }),
      ]),
    ).toEqual({ kind: "b" });
  });

  it("collects list fields (data-type=list) into an array", () => {
    expect(
      formPayload([
        field("imageUrls", "https://x.test/media/a.jpg", { type: "hidden", dataType: "list" }),
        field("imageUrls", "https://x.test/media/b.png", { type: "hidden", dataType: "list" }),
      ]),
    ).toEqual({ imageUrls: ["https://x.test/media/a.jpg", "https://x.test/media/b.png"] });
  });

  it("skips files, buttons and unnamed inputs", () => {
    expect(
      formPayload([
        field("photos", "C:\\fakepath\\a.jpg", { type: "file" }),
        field("go", "1", { type: "submit" }),
        field("", "x"),
      ]),
    ).toEqual({});
  });

  it("sends the amount as maxAmount when the proxy checkbox is ticked, and the checkbox itself never", () => {
    const amount = field("amount", "30000", { type: "number", dataType: "integer" });
    const proxy = (checked: boolean) => field("proxy", "on", { type: "checkbox", checked, proxy: true });
    expect(formPayload([amount, proxy(true)])).toEqual({ maxAmount: 30_000 });
    expect(formPayload([amount, proxy(false)])).toEqual({ amount: 30_000 });
  });

  it("refuses names that would reach Object.prototype", () => {
    const payload = formPayload([field("__proto__.polluted", "yes"), field("a.constructor", "x")]);
    expect(payload).toEqual({});
    expect(Object.prototype).not.toHaveProperty("polluted");
  });
});
