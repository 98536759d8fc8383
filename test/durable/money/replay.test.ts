import { describe, expect, it } from "vitest";
import { classifyReplay, sameTransfer, type Transfer, transferIds } from "../../../src/durable/money";

const topUp: Transfer = {
  id: "topup:t1",
  kind: "top_up",
  debit: "external:KRW",
  credit: "user:u1:KRW:available",
  amount: 5_000,
  currency: "KRW",
  auctionId: null,
  holdId: null,
};
const post: Transfer = {
  ...topUp,
  id: "post:h1",
  kind: "payment",
  debit: "user:u1:KRW:held",
  credit: "escrow:a1",
};
const rest: Transfer = { ...post, id: "post:h1:rest", kind: "hold_release", credit: "user:u1:KRW:available" };

const storeOf =
  (...stored: Transfer[]) =>
  (id: string) =>
    stored.find((t) => t.id === id);

describe("classifyReplay (the object's check against its unique transfer table)", () => {
  it("is new when no id is stored", () => {
    expect(classifyReplay([post, rest], storeOf(topUp))).toEqual({ kind: "new" });
  });

  it("is a duplicate when every id is stored with the same fields", () => {
    expect(classifyReplay([post, rest], storeOf(topUp, rest, post))).toEqual({ kind: "duplicate" });
  });

  it("is a conflict when an id is stored with other fields", () => {
    expect(classifyReplay([{ ...topUp, amount: 6_000 }], storeOf(topUp))).toEqual({
      kind: "conflict",
      transferId: "topup:t1",
    });
  });

  it("is a conflict when only some of the ids are stored", () => {
    expect(classifyReplay([post, rest], storeOf(post))).toEqual({
      kind: "conflict",
      transferId: "post:h1:rest",
    });
  });

  it("sameTransfer compares every field", () => {
    expect(sameTransfer(topUp, { ...topUp })).toBe(true);
    expect(sameTransfer(topUp, { ...topUp, auctionId: "a1" })).toBe(false);
  });
});

describe("transferIds", () => {
  it("derives every hold transfer id from the hold or the reservation", () => {
    expect(transferIds.reserve("r7")).toBe("reserve:r7");
    expect(transferIds.settle("h1", 3)).toBe("settle:h1:v3");
    expect(transferIds.void("h1")).toBe("void:h1");
    expect(transferIds.post("h1")).toBe("post:h1");
    expect(transferIds.postRest("h1")).toBe("post:h1:rest");
    expect(transferIds.expire("h1")).toBe("expire:h1");
  });
});
