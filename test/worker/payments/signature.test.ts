import { describe, expect, it } from "vitest";
import {
  paymentSignatureHeader,
  SIGNATURE_TOLERANCE_SECONDS,
  verifyPaymentSignature,
} from "../../../src/worker/payments/signature";

const SECRET = "whsec_test_5f2b9c";
const BODY =
  '{"id":"evt_1","type":"payment.succeeded","data":{"topUpId":"top_1","amount":50000,"currency":"KRW"}}';
const NOW = 1_795_000_000; // unix seconds

describe("payment webhook signatures", () => {
  it("accepts what the provider signs: t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>", async () => {
    const header = await paymentSignatureHeader(SECRET, BODY, NOW);
    expect(header).toMatch(/^t=1795000000,v1=[0-9a-f]{64}$/);
    expect(await verifyPaymentSignature(SECRET, BODY, header, NOW)).toEqual({ ok: true });
  });

  it("matches an HMAC computed independently", async () => {
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(SECRET),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${NOW}.${BODY}`));
    const hex = [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(await verifyPaymentSignature(SECRET, BODY, `t=${NOW},v1=${hex}`, NOW)).toEqual({ ok: true });
  });

  it("refuses a body changed after signing, another secret, and a forged digest", async () => {
    const header = await paymentSignatureHeader(SECRET, BODY, NOW);
    expect(await verifyPaymentSignature(SECRET, BODY.replace("50000", "500000"), header, NOW)).toEqual({
      ok: false,
      reason: "mismatch",
    });
    expect(await verifyPaymentSignature("whsec_other", BODY, header, NOW)).toEqual({
      ok: false,
      reason: "mismatch",
    });
    expect(await verifyPaymentSignature(SECRET, BODY, `t=${NOW},v1=${"0".repeat(64)}`, NOW)).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  it("refuses a timestamp more than 5 minutes away, either side", async () => {
    const header = await paymentSignatureHeader(SECRET, BODY, NOW);
    const tolerance = SIGNATURE_TOLERANCE_SECONDS;
    expect(await verifyPaymentSignature(SECRET, BODY, header, NOW + tolerance)).toEqual({ ok: true });
    expect(await verifyPaymentSignature(SECRET, BODY, header, NOW + tolerance + 1)).toEqual({
      ok: false,
      reason: "stale",
    });
    expect(await verifyPaymentSignature(SECRET, BODY, header, NOW - tolerance - 1)).toEqual({
      ok: false,
      reason: "stale",
    });
  });

  it.each([
    ["missing", null],
    ["empty", ""],
    ["no v1", `t=${NOW}`],
    ["no t", `v1=${"a".repeat(64)}`],
    ["short digest", `t=${NOW},v1=abc`],
    ["non-numeric t", `t=soon,v1=${"a".repeat(64)}`],
  ])("refuses a %s header as malformed", async (_name, header) => {
    expect(await verifyPaymentSignature(SECRET, BODY, header, NOW)).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it("accepts any of several v1 digests (the provider rotating its secret)", async () => {
    const good = (await paymentSignatureHeader(SECRET, BODY, NOW)).split(",v1=")[1];
    const header = `t=${NOW},v1=${"f".repeat(64)},v1=${good}`;
    expect(await verifyPaymentSignature(SECRET, BODY, header, NOW)).toEqual({ ok: true });
  });
});
