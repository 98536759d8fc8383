import {
  type Balance,
  type Change,
  classifyReplay,
  type Entry,
  emptyBalance,
  type Hold,
  type Refusal,
  type Transfer,
  type WalletState,
} from "../../../src/durable/money";

export type Persisted = "applied" | "nothing" | "duplicate" | "conflict" | "refused";

/**
 * What the Wallet object does around the pure rules, in memory: load the rows, call a rule,
 * refuse a replayed transfer id, write everything the change returns at once.
 */
export class ModelWallet {
  readonly balances = new Map<string, Balance>();
  readonly holds = new Map<string, Hold>();
  readonly transfers = new Map<string, Transfer>();
  readonly entries: Entry[] = [];
  /** The object's injected clock. */
  now = Date.UTC(2030, 0, 1, 12, 0, 0);

  constructor(readonly userId = "u1") {}

  balance(currency: string): Balance {
    return this.balances.get(currency) ?? emptyBalance(this.userId, currency);
  }

  activeHoldFor(auctionId: string): Hold | null {
    for (const hold of this.holds.values()) {
      if (hold.auctionId === auctionId && hold.status === "active") return hold;
    }
    return null;
  }

  persist(result: Change | Refusal): Persisted {
    if (!result.ok) return "refused";
    const replay = classifyReplay(result.transfers, (id) => this.transfers.get(id));
    if (replay.kind !== "new") return replay.kind;
    if (result.transfers.length === 0 && result.holds.length === 0) return "nothing";
    this.balances.set(result.balance.currency, result.balance);
    for (const hold of result.holds) this.holds.set(hold.id, hold);
    for (const transfer of result.transfers) this.transfers.set(transfer.id, transfer);
    this.entries.push(...result.entries);
    return "applied";
  }

  state(): WalletState {
    return {
      userId: this.userId,
      balances: [...this.balances.values()],
      holds: [...this.holds.values()],
      transfers: [...this.transfers.values()],
      entries: [...this.entries],
    };
  }

  /** Every account's balance, counterparties included, from the transfers alone. */
  ledger(): Map<string, { currency: string; balance: number }> {
    const accounts = new Map<string, { currency: string; balance: number }>();
    const move = (account: string, currency: string, amount: number) => {
      const row = accounts.get(account) ?? { currency, balance: 0 };
      row.balance += amount;
      accounts.set(account, row);
    };
    for (const t of this.transfers.values()) {
      move(t.debit, t.currency, -t.amount);
      move(t.credit, t.currency, t.amount);
    }
    return accounts;
  }

  /** A comparable copy of everything stored. */
  snapshot(): string {
    return JSON.stringify(this.state());
  }
}
