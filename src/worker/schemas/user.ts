import { z } from "@hono/zod-openapi";
import { isCommonPassword } from "../auth/common-passwords";
import { ApiError } from "../errors";

export const UsernameSchema = z
  .string()
  .regex(/^[a-z0-9_]{3,32}$/, "3–32 characters of a–z, 0–9 and _")
  .openapi({ example: "kim_minsu" });
export const PasswordSchema = z.string().min(8, "at least 8 characters").max(128, "at most 128 characters");

export const UserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    nickname: z.string(),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("User");

export function userView(user: { id: string; username: string; nickname: string; createdAt: number }) {
  return {
    id: user.id,
    username: user.username,
    nickname: user.nickname,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

/** NIST 800-63B checks that a schema cannot express: not the username, not a known-breached password. */
export function assertAcceptablePassword(password: string, username: string, field: string): void {
  if (password.toLowerCase() === username.toLowerCase()) {
    throw new ApiError("PASSWORD_TOO_WEAK", "The password must not equal the username.", {
      errors: [{ path: field, message: "must not equal the username" }],
    });
  }
  if (isCommonPassword(password)) {
    throw new ApiError(
      "PASSWORD_TOO_WEAK",
      "That password is on a list of commonly used passwords; choose another.",
      { errors: [{ path: field, message: "is a commonly used password" }] },
    );
  }
}
