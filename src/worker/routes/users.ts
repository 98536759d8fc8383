import { createRoute, z } from "@hono/zod-openapi";
import { insertUser } from "../../db/queries/users";
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
  const inserted = await insertUser(c.env.DB, user, stored);
  if (!inserted) throw new ApiError("USERNAME_TAKEN", `The username "${username}" is taken.`);
  return c.json(userView(user), 201);
});
