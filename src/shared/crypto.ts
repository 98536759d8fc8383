const encoder = new TextEncoder();

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text))));
}

const ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** Opaque random id with a type prefix (`usr_…`, `auc_…`): 20 base32 chars ≈ 100 bits. */
export function newId(prefix: string): string {
  return `${prefix}_${Array.from(randomBytes(20), (b) => ID_ALPHABET[b % 32]).join("")}`;
}

/** Deterministic id from a seed: a retried create with the same idempotency key lands on the same auction. */
export async function idFromSeed(prefix: string, seed: string): Promise<string> {
  const hex = await sha256Hex(seed);
  let id = "";
  for (let i = 0; i < 40; i += 2) id += ID_ALPHABET[Number.parseInt(hex.slice(i, i + 2), 16) % 32];
  return `${prefix}_${id}`;
}

export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
