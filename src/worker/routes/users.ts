import { createRoute, z } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import { users } from "../../db/schema";
import { newId } from "../../shared/crypto";
import { isCommonPassword } from "../auth/common-passwords";
import { hashPassword } from "../auth/passwords";
import { ApiError } from "../errors";
import { createRouter, jsonContent, problems } from "../openapi";
import { userText } from "../schemas/text";

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

const signUp = createRoute({
  method: "post",
  path: "/users",
  tags: ["Users"],
  summary: "Sign up",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.strictObject({
            username: UsernameSchema,
            password: PasswordSchema,
            nickname: userText({ min: 1, max: 32, trim: true }),
          }),
        },
      },
    },
  },
  responses: { 201: jsonContent(UserSchema, "The new user"), ...problems(400, 409, 413, 422) },
});

export const usersRouter = createRouter().openapi(signUp, async (c) => {
  const { username, password, nickname } = c.req.valid("json");
  assertAcceptablePassword(password, username, "password");
  const stored = await hashPassword(password);
  const user = { id: newId("usr"), username, nickname, createdAt: Date.now() };
  const inserted = await drizzle(c.env.DB)
    .insert(users)
    .values({
      ...user,
      passwordHash: stored.hash,
      passwordSalt: stored.salt,
      passwordIterations: stored.iterations,
    })
    .onConflictDoNothing({ target: users.username })
    .returning({ id: users.id });
  if (inserted.length === 0) throw new ApiError("USERNAME_TAKEN", `The username "${username}" is taken.`);
  return c.json(userView(user), 201);
});
