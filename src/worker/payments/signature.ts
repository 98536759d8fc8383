/**
 * The payment provider's webhook signature (SPEC §8): `Payment-Signature: t=<unix>,v1=<hex>` where
 * hex = HMAC-SHA256(secret, `${t}.${rawBody}`). Checked over the raw bytes as received (a
 * re-serialised body would not match), in constant time, and only within 5 minutes of `t`, so a
 * captured delivery cannot be replayed later.
 */

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: "malformed" | "stale" | "mismatch" };

const encoder = new TextEncoder();

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two strings in time that depends only on their length, not on where they differ. */
function constantTimeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.byteLength !== right.byteLength) return false;
  let difference = 0;
  for (let i = 0; i < left.byteLength; i++) difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return difference === 0;
}

function parseHeader(header: string): { timestamp: number; digests: string[] } | null {
  let timestamp: number | null = null;
  const digests: string[] = [];
  for (const part of header.split(",")) {
    const [name, value = ""] = part.trim().split("=", 2);
    if (name === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === "v1" && /^[0-9a-f]{64}$/.test(value)) digests.push(value);
    else return null;
  }
  return timestamp === null || digests.length === 0 ? null : { timestamp, digests };
}

/** Whether `header` signs `rawBody` with `secret`, at `nowSeconds` (unix). */
export async function verifyPaymentSignature(
  secret: string,
  rawBody: string,
  header: string | null,
  nowSeconds: number,
): Promise<SignatureCheck> {
  const parsed = header === null ? null : parseHeader(header);
  if (parsed === null) return { ok: false, reason: "malformed" };
  if (Math.abs(nowSeconds - parsed.timestamp) > SIGNATURE_TOLERANCE_SECONDS)
    return { ok: false, reason: "stale" };
  const expected = await hmacHex(secret, `${parsed.timestamp}.${rawBody}`);
  // Every digest is compared (no early exit), so timing tells nothing about which one matched.
  let matched = false;
  for (const digest of parsed.digests) matched = constantTimeEqual(digest, expected) || matched;
  return matched ? { ok: true } : { ok: false, reason: "mismatch" };
}

/** The header the provider sends (used by `npm run pay` and tests). */
export async function paymentSignatureHeader(
  secret: string,
  rawBody: string,
  nowSeconds: number,
): Promise<string> {
  return `t=${nowSeconds},v1=${await hmacHex(secret, `${nowSeconds}.${rawBody}`)}`;
}
