import type { RoomWord } from "../money";

/**
 * The Wallet's record of bid reservations (SPEC §8): numbered per auction, outstanding until the
 * auction's room settles them, and each hold's newest word from that room. The rules that read
 * them are in durable/money/room-instructions.ts; every write runs in the caller's transaction.
 */
export class ReservationStorage {
  constructor(private readonly sql: SqlStorage) {}

  /** The number the next reservation on this auction gets. */
  nextNumber(auctionId: string): number {
    const row = this.sql
      .exec<{ n: number | null }>("SELECT MAX(n) AS n FROM reservations WHERE auction_id = ?", auctionId)
      .one();
    return (row.n ?? 0) + 1;
  }

  add(auctionId: string, n: number, holdId: string, amount: number, now: number): void {
    this.sql.exec(
      "INSERT INTO reservations (auction_id, n, hold_id, amount, created_at) VALUES (?, ?, ?, ?, ?)",
      auctionId,
      n,
      holdId,
      amount,
      now,
    );
  }

  outstanding(auctionId: string): number[] {
    return this.sql
      .exec<{ n: number }>(
        "SELECT n FROM reservations WHERE auction_id = ? AND settled_at IS NULL ORDER BY n",
        auctionId,
      )
      .toArray()
      .map((row) => row.n);
  }

  /** Marks every outstanding reservation of the auction not in `left` as settled. */
  settleAllBut(auctionId: string, left: readonly number[], now: number): void {
    this.sql.exec(
      `UPDATE reservations SET settled_at = ? WHERE auction_id = ? AND settled_at IS NULL
       AND n NOT IN (SELECT value FROM json_each(?))`,
      now,
      auctionId,
      JSON.stringify(left),
    );
  }

  word(holdId: string): RoomWord | null {
    const row = this.sql
      .exec<{ room_seq: number | null; room_keep: number | null }>(
        "SELECT room_seq, room_keep FROM holds WHERE id = ?",
        holdId,
      )
      .toArray()[0];
    return row && row.room_seq !== null && row.room_keep !== null
      ? { seq: row.room_seq, keep: row.room_keep }
      : null;
  }

  saveWord(holdId: string, word: RoomWord, now: number): void {
    this.sql.exec(
      "UPDATE holds SET room_seq = ?, room_keep = ?, room_heard_at = ? WHERE id = ?",
      word.seq,
      word.keep,
      now,
      holdId,
    );
  }

  /** Active auction holds whose room has been silent since `silentSince` (or never spoke). */
  silentHolds(silentSince: number): string[] {
    return this.sql
      .exec<{ auction_id: string }>(
        `SELECT auction_id FROM holds WHERE status = 'active' AND auction_id IS NOT NULL
         AND COALESCE(room_heard_at, created_at) <= ? ORDER BY auction_id`,
        silentSince,
      )
      .toArray()
      .map((row) => row.auction_id);
  }

  /** When the longest-silent active auction hold last heard from its room, or null. */
  longestSilence(): number | null {
    return this.sql
      .exec<{ at: number | null }>(
        `SELECT MIN(COALESCE(room_heard_at, created_at)) AS at FROM holds
         WHERE status = 'active' AND auction_id IS NOT NULL`,
      )
      .one().at;
  }

  /** Per auction, the newest outstanding reservation made at or before `madeBy`. */
  overdue(madeBy: number): { auctionId: string; upTo: number }[] {
    return this.sql
      .exec<{ auction_id: string; up_to: number }>(
        `SELECT auction_id, MAX(n) AS up_to FROM reservations
         WHERE settled_at IS NULL AND created_at <= ? GROUP BY auction_id ORDER BY auction_id`,
        madeBy,
      )
      .toArray()
      .map((row) => ({ auctionId: row.auction_id, upTo: row.up_to }));
  }

  /** When the oldest outstanding reservation was made, or null when none is. */
  oldestOutstanding(): number | null {
    return this.sql
      .exec<{ at: number | null }>("SELECT MIN(created_at) AS at FROM reservations WHERE settled_at IS NULL")
      .one().at;
  }
}
