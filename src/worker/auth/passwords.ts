import { randomBytes, timingSafeEqual, toBase64Url } from "../../shared/crypto";

/**
 * Production Workers reject PBKDF2 above 100,000 iterations (local workerd does not), so this is
 * the ceiling; test/worker/passwords.test.ts fails if anyone raises it.
 */
export const PBKDF2_ITERATIONS = 100_000;

export interface PasswordHash {
  hash: string;
  salt: string;
  iterations: number;
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    256,
  );
  return toBase64Url(new Uint8Array(bits));
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  return {
    hash: await derive(password, salt, PBKDF2_ITERATIONS),
    salt: toBase64Url(salt),
    iterations: PBKDF2_ITERATIONS,
  };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const candidate = await derive(password, fromBase64Url(stored.salt), stored.iterations);
  return timingSafeEqual(candidate, stored.hash);
}

/** A fixed hash to verify against when the username does not exist, so both failures cost the same. */
export const DUMMY_PASSWORD_HASH: PasswordHash = {
  hash: "x".repeat(43),
  salt: "AAAAAAAAAAAAAAAAAAAAAA",
  iterations: PBKDF2_ITERATIONS,
};
