import { createRoute, z } from "@hono/zod-openapi";
import { drizzle } from "drizzle-orm/d1";
import { users } from "../../db/schema";
import { newId } from "../../shared/crypto";
import { hashPassword } from "../auth/passwords";
import { ApiError } from "../errors";
import { createRouter, jsonContent, problems } from "../openapi";
import { userText } from "../schemas/text";
import {
  assertAcceptablePassword,
  PasswordSchema,
  UsernameSchema,
  UserSchema,
  userView,
} from "../schemas/user";

const signUp = createRoute({
  method: "post",
  path: "/",
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
