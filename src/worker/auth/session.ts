import { findLiveSessionUser } from "../../db/queries/sessions";
import { sha256Hex } from "../../shared/crypto";

export interface SessionUser {
  id: string;
  username: string;
  nickname: string;
  createdAt: number;
}

interface CachedSession {
  user: SessionUser;
  tokenHash: string;
  expiresAt: number;
  cachedUntil: number;
}

export interface VerifiedSession {
  user: SessionUser;
  /** SHA-256 of the token: the session's key in D1. */
  tokenHash: string;
}

/**
 * SPEC §1: the bid path needs no D1 query in the steady state, so a verified session is cached
 * in this isolate for at most 30 s. Logout evicts here at once; other isolates drop it within 30 s.
 * The cache is keyed by the token itself so a hit costs no hashing (SHA-256 through WebCrypto was
 * a visible share of a bid's CPU); it never leaves the isolate's memory.
 */
export const SESSION_CACHE_TTL_MS = 30_000;
const MAX_CACHED_SESSIONS = 10_000;
const cache = new Map<string, CachedSession>();

export const SESSION_COOKIE = "sa_session";
export const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;

export async function lookupSession(
  db: D1Database,
  token: string,
  now: number,
): Promise<VerifiedSession | null> {
  const hit = cache.get(token);
  if (hit && hit.cachedUntil > now && hit.expiresAt > now)
    return { user: hit.user, tokenHash: hit.tokenHash };
  cache.delete(token);

  const tokenHash = await sha256Hex(token);
  const row = await findLiveSessionUser(db, tokenHash, now);
  if (!row) return null;
  const { expiresAt, ...user } = row;
  if (cache.size >= MAX_CACHED_SESSIONS) cache.clear();
  cache.set(token, { user, tokenHash, expiresAt, cachedUntil: now + SESSION_CACHE_TTL_MS });
  return { user, tokenHash };
}

export function forgetSession(tokenHash: string): void {
  for (const [token, entry] of cache) {
    if (entry.tokenHash === tokenHash) cache.delete(token);
  }
}

/** After a password change: drop this isolate's cached sessions of the user except the current one. */
export function forgetUserSessions(userId: string, exceptTokenHash: string): void {
  for (const [token, entry] of cache) {
    if (entry.user.id === userId && entry.tokenHash !== exceptTokenHash) cache.delete(token);
  }
}
