/**
 * Ledger account names (SPEC §8). Every transfer moves money from its debit account to its credit
 * account, so across all accounts of a currency the balances always sum to zero: `external:<cur>`
 * goes negative by exactly what entered the platform.
 */

/** The three accounts a user has per currency, as the Wallet object stores them. */
export type WalletAccount = "available" | "held" | "pendingPayout";

export type UserAccountName = `user:${string}:${string}:${"available" | "held" | "pending"}`;
export type EscrowAccountName = `escrow:${string}`;
export type FeesAccountName = `platform:${string}:fees`;
export type ExternalAccountName = `external:${string}`;
export type AccountName = UserAccountName | EscrowAccountName | FeesAccountName | ExternalAccountName;

export const WALLET_ACCOUNTS: readonly WalletAccount[] = ["available", "held", "pendingPayout"];

// The SPEC's ledger name for pendingPayout is the shorter "pending".
const SUFFIX = { available: "available", held: "held", pendingPayout: "pending" } as const;

export function userAccount(userId: string, currency: string, account: WalletAccount): UserAccountName {
  return `${userAccountPrefix(userId)}${currency}:${SUFFIX[account]}`;
}

/** What every account name of this user starts with. */
export function userAccountPrefix(userId: string): `user:${string}:` {
  return `user:${userId}:`;
}

/** One escrow per auction: the buyer's payment waits here until the order completes or is refunded. */
export function escrowAccount(auctionId: string): EscrowAccountName {
  return `escrow:${auctionId}`;
}

export function feesAccount(currency: string): FeesAccountName {
  return `platform:${currency}:fees`;
}

/** Money entering (top-ups, positive adjustments) or leaving (withdrawals) the platform. */
export function externalAccount(currency: string): ExternalAccountName {
  return `external:${currency}`;
}
