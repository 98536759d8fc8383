import { and, eq, isNull, ne } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sessions, users } from "../schema";

export type UserRow = typeof users.$inferSelect;

/** A stored password: PBKDF2 hash, salt and iteration count. */
export interface StoredPassword {
  hash: string;
  salt: string;
  iterations: number;
}

/** Inserts a user; false when the username is taken (the unique index decides, not a prior read). */
export async function insertUser(
  db: D1Database,
  user: { id: string; username: string; nickname: string; createdAt: number },
  password: StoredPassword,
): Promise<boolean> {
  const inserted = await drizzle(db)
    .insert(users)
    .values({
      ...user,
      passwordHash: password.hash,
      passwordSalt: password.salt,
      passwordIterations: password.iterations,
    })
    .onConflictDoNothing({ target: users.username })
    .returning({ id: users.id });
  return inserted.length > 0;
}

export async function findUserByUsername(db: D1Database, username: string): Promise<UserRow | undefined> {
  return drizzle(db).select().from(users).where(eq(users.username, username)).get();
}

export async function findUserById(db: D1Database, id: string): Promise<UserRow | undefined> {
  return drizzle(db).select().from(users).where(eq(users.id, id)).get();
}

/** The password a user's row holds, in the shape the password check takes. */
export function storedPassword(user: UserRow): StoredPassword {
  return { hash: user.passwordHash, salt: user.passwordSalt, iterations: user.passwordIterations };
}

/**
 * Sets a user's password and revokes every other live session of theirs, in one batch: the new
 * hash and the revocations land together or not at all.
 */
export async function updatePassword(
  db: D1Database,
  userId: string,
  password: StoredPassword,
  keepTokenHash: string,
  now: number,
): Promise<void> {
  const orm = drizzle(db);
  await orm.batch([
    orm
      .update(users)
      .set({
        passwordHash: password.hash,
        passwordSalt: password.salt,
        passwordIterations: password.iterations,
      })
      .where(eq(users.id, userId)),
    orm
      .update(sessions)
      .set({ revokedAt: now })
      .where(
        and(eq(sessions.userId, userId), ne(sessions.tokenHash, keepTokenHash), isNull(sessions.revokedAt)),
      ),
  ]);
}
