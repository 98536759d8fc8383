import { sessionTagOf } from "../durable/user-hub";

/** Logged, never thrown: the session is already revoked in D1, which is what makes it stop working. */
function logHubFailure(userId: string, error: unknown): void {
  console.error(
    JSON.stringify({
      level: "warn",
      message: "could not close live sockets of an ended session; they stay open until they reconnect",
      userId,
      error: String(error),
    }),
  );
}

/**
 * After a logout is written to D1: closes the live sockets the session opened (directly or by a
 * ticket) and revokes its unused tickets. Awaited so it happens before the logout answers.
 */
export async function endLiveSession(env: Env, userId: string, tokenHash: string): Promise<void> {
  try {
    await env.USER_HUB.getByName(userId).closeSession(sessionTagOf(tokenHash));
  } catch (error) {
    logHubFailure(userId, error);
  }
}

/** After a password change is written to D1: the same for every session of the user but the current one. */
export async function endOtherLiveSessions(env: Env, userId: string, keepTokenHash: string): Promise<void> {
  try {
    await env.USER_HUB.getByName(userId).closeOtherSessions(sessionTagOf(keepTokenHash));
  } catch (error) {
    logHubFailure(userId, error);
  }
}
