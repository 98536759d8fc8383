import { describe, expect, it } from "vitest";
import { feeOf, type Order, type OrderRole } from "../../../src/durable/orders/order";
import {
  autoConfirm,
  cancelBySeller,
  confirm,
  dispute,
  openOrder,
  resolveDispute,
  ship,
} from "../../../src/durable/orders/transitions";

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const DAY = 24 * 3600_000;
const TERMS = { autoConfirmMs: 7 * DAY, shipDeadlineMs: 5 * DAY, feeBps: 250, funded: true };
const SALE = {
  id: "auc_1",
  auctionId: "auc_1",
  buyerId: "usr_b",
  sellerId: "usr_s",
  currency: "KRW",
  price: 30_000,
};

const paid = (): Order => openOrder(SALE, TERMS, T0).order;
const shipped = (): Order => {
  const change = ship(paid(), "seller", { carrier: "CJ", trackingNumber: "123" }, T0 + DAY);
  if (!change.ok) throw new Error(change.code);
  return change.next;
};
const disputed = (): Order => {
  const change = dispute(shipped(), "buyer", "Arrived broken", TERMS, T0 + 2 * DAY);
  if (!change.ok) throw new Error(change.code);
  return change.next;
};
const ids = (change: {
  ok: boolean;
  money?: { transfer: { id: string; amount: number }; wallet: string | null }[];
}) => (change.money ?? []).map((m) => [m.transfer.id, m.transfer.amount, m.wallet]);

describe("orders: from the hammer to the payout", () => {
  it("opens paid: the price goes from the buyer's hold into escrow, price − fee shows as the seller's pending payout", () => {
    const { order, money } = openOrder(SALE, TERMS, T0);
    expect(order).toMatchObject({ status: "paid", price: 30_000, fee: 750, paidAt: T0 });
    expect(
      money.map((m) => [m.transfer.id, m.transfer.debit, m.transfer.credit, m.transfer.amount, m.wallet]),
    ).toEqual([
      ["order:auc_1:pay", "user:usr_b:KRW:held", "escrow:auc_1", 30_000, "usr_b"],
      ["order:auc_1:pending", "escrow:auc_1", "user:usr_s:KRW:pending", 29_250, "usr_s"],
    ]);
  });

  it("takes the fee by rounding down, and moves no zero transfer when there is no fee", () => {
    expect(feeOf(9_999, 250)).toBe(249);
    const { order } = openOrder(SALE, { feeBps: 0, funded: true }, T0);
    const change = confirm({ ...order, status: "shipped", shippedAt: T0 }, "buyer", T0 + DAY);
    expect(ids(change)).toEqual([["order:auc_1:release", 30_000, "usr_s"]]);
  });

  it("moves no money where bids need no funds: the order runs, settled outside the platform", () => {
    const { order, money } = openOrder(SALE, { feeBps: 250, funded: false }, T0);
    expect(order).toMatchObject({ status: "paid", funded: false, price: 30_000 });
    expect(money).toEqual([]);
    const shippedOrder = { ...order, status: "shipped" as const, shippedAt: T0 };
    expect(confirm(shippedOrder, "buyer", T0 + DAY)).toMatchObject({ ok: true, money: [] });
    expect(cancelBySeller(order, "seller", T0 + DAY)).toMatchObject({ ok: true, money: [] });
  });

  it("ships (seller, while paid), then completes when the buyer confirms: payout released, fee to the platform", () => {
    const order = shipped();
    expect(order).toMatchObject({ status: "shipped", shipment: { carrier: "CJ", trackingNumber: "123" } });
    const change = confirm(order, "buyer", T0 + 3 * DAY);
    expect(change).toMatchObject({ ok: true, next: { status: "completed", resolution: "buyer_confirmed" } });
    expect(ids(change)).toEqual([
      ["order:auc_1:release", 29_250, "usr_s"],
      ["order:auc_1:fee", 750, null],
    ]);
  });

  it("completes by itself 7 days after shipping, not a moment before", () => {
    expect(autoConfirm(shipped(), TERMS, T0 + DAY + 7 * DAY - 1)).toBeNull();
    expect(autoConfirm(paid(), TERMS, T0 + 30 * DAY)).toBeNull();
    expect(autoConfirm(shipped(), TERMS, T0 + DAY + 7 * DAY)).toMatchObject({
      ok: true,
      next: { status: "completed", resolution: "auto_confirmed" },
    });
  });

  it("lets the buyer dispute once shipped, or while paid only after the ship deadline", () => {
    expect(dispute(paid(), "buyer", "Never sent", TERMS, T0 + 5 * DAY - 1)).toMatchObject({
      code: "ORDER_STATE",
    });
    expect(dispute(paid(), "buyer", "Never sent", TERMS, T0 + 5 * DAY)).toMatchObject({
      ok: true,
      next: { status: "disputed", disputeReason: "Never sent" },
      money: [],
    });
    expect(disputed()).toMatchObject({ status: "disputed", disputeReason: "Arrived broken" });
  });

  it("refunds when the seller cancels before shipping: pending back to escrow, escrow back to the buyer", () => {
    const change = cancelBySeller(paid(), "seller", T0 + DAY);
    expect(change).toMatchObject({ ok: true, next: { status: "refunded", resolution: "seller_cancelled" } });
    expect(ids(change)).toEqual([
      ["order:auc_1:reverse", 29_250, "usr_s"],
      ["order:auc_1:refund", 30_000, "usr_b"],
    ]);
  });

  it("resolves a dispute either way, by an administrator", () => {
    expect(resolveDispute(disputed(), "admin", "refund", T0 + 3 * DAY)).toMatchObject({
      ok: true,
      next: { status: "refunded", resolution: "admin_refunded" },
    });
    expect(resolveDispute(disputed(), "admin", "release", T0 + 3 * DAY)).toMatchObject({
      ok: true,
      next: { status: "completed", resolution: "admin_released" },
    });
  });

  const actions: [string, (o: Order, role: OrderRole) => ReturnType<typeof ship>, OrderRole][] = [
    ["ship", (o, r) => ship(o, r, { carrier: null, trackingNumber: null }, T0 + 6 * DAY), "seller"],
    ["confirm", (o, r) => confirm(o, r, T0 + 6 * DAY), "buyer"],
    ["dispute", (o, r) => dispute(o, r, "why", TERMS, T0 + 6 * DAY), "buyer"],
    ["cancel", (o, r) => cancelBySeller(o, r, T0 + 6 * DAY), "seller"],
    ["resolve", (o, r) => resolveDispute(o, r, "refund", T0 + 6 * DAY), "admin"],
  ];

  it.each(actions)("%s: anyone but its actor is FORBIDDEN, whatever the state", (_name, act, actor) => {
    for (const order of [paid(), shipped(), disputed()]) {
      for (const role of ["buyer", "seller", "admin", "other"] as const) {
        if (role === actor) continue;
        expect(act(order, role)).toMatchObject({ ok: false, code: "FORBIDDEN" });
      }
    }
  });

  it.each(actions)("%s: its actor in a state it does not apply to gets ORDER_STATE", (_name, act, actor) => {
    const allowed: Record<string, string[]> = {
      ship: ["paid"],
      confirm: ["shipped"],
      dispute: ["paid", "shipped"],
      cancel: ["paid"],
      resolve: ["disputed"],
    };
    const completedOrder = { ...shipped(), status: "completed" as const };
    const refundedOrder = { ...paid(), status: "refunded" as const };
    for (const order of [paid(), shipped(), disputed(), completedOrder, refundedOrder]) {
      const result = act(order, actor);
      expect(result.ok ? "ok" : result.code).toBe(
        allowed[_name]?.includes(order.status) ? "ok" : "ORDER_STATE",
      );
    }
  });
});
