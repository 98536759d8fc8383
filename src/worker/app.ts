import { createRoute, z } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { CallApi } from "../web/api";
import { createWebRouter, notFoundHtml } from "../web/router";
import { allowedOrigins } from "./allowed-origins";
import { docsPage } from "./docs-page";
import { ApiError, problemResponse } from "./errors";
import { authenticate } from "./middleware/auth";
import { originCheck } from "./middleware/origin-check";
import { requestBody } from "./middleware/request-body";
import { createRouter, jsonContent, problem, publicSecurity } from "./openapi";
import { API_DOCUMENT, registerSecuritySchemes } from "./openapi-document";
import { adminRouter } from "./routes/admin";
import { auctionsRouter } from "./routes/auctions";
import { meRouter } from "./routes/me";
import { mediaRouter } from "./routes/media";
import { sessionsRouter } from "./routes/sessions";
import { uploadsRouter } from "./routes/uploads";
import { usersRouter } from "./routes/users";
import { webhooksRouter } from "./routes/webhooks/payments";

// One router per top-level resource, mounted at its prefix: a path names its file.
const api = createRouter()
  .route("/users", usersRouter)
  .route("/sessions", sessionsRouter)
  .route("/me", meRouter)
  .route("/auctions", auctionsRouter)
  .route("/admin", adminRouter)
  .route("/uploads", uploadsRouter)
  .route("/webhooks", webhooksRouter);

export const app = createRouter();

app.use(requestId());
app.use(async (c, next) => {
  await next();
  c.header("x-request-id", c.get("requestId"));
});
app.use(
  "/api/*",
  cors({
    // Only configured partner sites get CORS answers; the site itself needs none.
    origin: (origin, c) => (allowedOrigins(c.env.ALLOWED_ORIGINS).has(origin.toLowerCase()) ? origin : null),
    credentials: true,
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    allowHeaders: ["authorization", "content-type", "idempotency-key"],
    exposeHeaders: ["location", "retry-after", "x-request-id"],
    maxAge: 600,
  }),
);
app.use(requestBody);
app.use("/api/*", originCheck);
app.use("/api/*", authenticate);

app.openapi(
  createRoute({
    method: "get",
    path: "/api/v1/health",
    operationId: "getHealth",
    security: publicSecurity,
    tags: ["Health"],
    summary: "Liveness",
    responses: {
      200: jsonContent(z.object({ status: z.literal("ok") }), "The worker is up"),
      // Like every GET: the request-hygiene middleware refuses a body before any route runs.
      400: problem("`BODY_NOT_ALLOWED`: the request carried a body."),
    },
  }),
  (c) => c.json({ status: "ok" as const }, 200),
);
app.route("/api/v1", api);
app.route("/media", mediaRouter);

registerSecuritySchemes(app);
app.doc31("/openapi.json", API_DOCUMENT);
app.get("/docs", docsPage);

/** The pages read the API in process: the same app, the same rules, no network hop. */
const callApi: CallApi = (request, env, executionCtx) => app.fetch(request, env, executionCtx);
app.route("/", createWebRouter(callApi));

app.notFound((c) => {
  // A person's browser gets a page; API clients (and anything under /api) get a problem.
  const navigation =
    c.req.method === "GET" &&
    !c.req.path.startsWith("/api/") &&
    /text\/html/.test(c.req.header("accept") ?? "");
  if (navigation) return notFoundHtml(c, callApi);
  return problemResponse(c, new ApiError("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`));
});

app.onError((error, c) => {
  if (error instanceof ApiError) return problemResponse(c, error);
  if (error instanceof HTTPException) {
    // Hono's JSON validator throws a 400 HTTPException for a body that is not valid JSON.
    const malformed = error.status === 400 && /json/i.test(error.message);
    return problemResponse(
      c,
      new ApiError(
        malformed ? "MALFORMED_JSON" : "BAD_REQUEST",
        malformed ? "The request body is not valid JSON." : error.message || "Bad request.",
      ),
    );
  }
  console.error(
    JSON.stringify({
      level: "error",
      requestId: c.get("requestId"),
      message: String(error),
      stack: error.stack,
    }),
  );
  return problemResponse(
    c,
    new ApiError("INTERNAL", "Something went wrong on our side; it has been logged."),
  );
});
