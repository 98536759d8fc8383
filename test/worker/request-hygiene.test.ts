import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  call,
  createAuction,
  expectProblem,
  PASSWORD,
  signUp,
  signUpFunded,
  uniqueUsername,
  WEBSOCKET_HANDSHAKE,
} from "../helpers";

/** SPEC §2 "Robustness": what a careless or hostile client sends gets a 4xx problem, never a 5xx. */

const SITE = "https://auction.test";
/** Set for the tests in vitest.config.ts, as a deployment would in wrangler.toml. */
const ALLOWED = "https://partner.example";
const FOREIGN = "https://evil.example";

async function raw(path: string, init: RequestInit) {
  const response = await exports.default.fetch(new Request(`${SITE}${path}`, init));
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null, text };
}

function signUpBody(overrides: Record<string, unknown>) {
  return { username: uniqueUsername("txt"), password: PASSWORD, nickname: "nick", ...overrides };
}

describe("request bodies", () => {
  it("refuses a chunked body over 64 KiB with 413 PAYLOAD_TOO_LARGE", async () => {
    const chunk = new TextEncoder().encode("a".repeat(10_000));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 70_000) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await raw("/api/v1/users", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expectProblem(response, 413, "PAYLOAD_TOO_LARGE");
    // The refused body was read to its end before answering (the local proxy dies otherwise).
    expect(sent).toBeGreaterThanOrEqual(70_000);
  });

  it.each([
    ["text/plain", "text/plain"],
    ["form", "application/x-www-form-urlencoded"],
    ["multipart", "multipart/form-data; boundary=x"],
  ])("refuses a %s body with 415 UNSUPPORTED_MEDIA_TYPE and writes nothing", async (_name, type) => {
    const username = uniqueUsername("ct");
    const response = await raw("/api/v1/users", {
      method: "POST",
      headers: { "content-type": type },
      body: JSON.stringify({ username, password: PASSWORD, nickname: "n" }),
    });
    expectProblem(response, 415, "UNSUPPORTED_MEDIA_TYPE");
    expect(response.body.detail).toContain("application/json");
    const login = await call("POST", "/api/v1/sessions", { body: { username, password: PASSWORD } });
    expectProblem(login, 401, "INVALID_CREDENTIALS");
  });

  it("refuses a JSON body sent without a content type with 415", async () => {
    const response = await raw("/api/v1/users", {
      method: "POST",
      body: new TextEncoder().encode(JSON.stringify(signUpBody({}))),
    });
    expectProblem(response, 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("accepts application/json with a charset, and a body-less POST without a content type", async () => {
    const created = await raw("/api/v1/users", {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(signUpBody({})),
    });
    expect(created.status).toBe(201);
    const user = await signUp("nobody");
    const readAll = await raw("/api/v1/me/inbox/read-all", {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(readAll.status).toBe(200);
  });
});

describe("prototype keys", () => {
  it.each([
    ["a top-level __proto__", '{"amount":12000,"__proto__":{"x":1}}', "__proto__"],
    ["an escaped one", '{"amount":12000,"\\u005f_proto__":[true]}', "__proto__"],
    ["a nested one", '{"softClose":{"__proto__":{}}}', "softClose.__proto__"],
  ])("refuses a body with %s as an unknown field, and writes nothing", async (_name, rawBody, path) => {
    const seller = await signUp("protoseller");
    const alice = await signUpFunded("protoalice");
    const auction = await createAuction(seller, { startingPrice: 10_000 });
    const response = await call("POST", `/api/v1/auctions/${auction.id}/bids`, {
      token: alice.token,
      rawBody,
    });
    expectProblem(response, 422, "VALIDATION_FAILED");
    expect(response.body.errors).toEqual([{ path, message: "unknown field" }]);
    expect((await call("GET", `/api/v1/auctions/${auction.id}`)).body.bidCount).toBe(0);
  });
});

describe("prototype keys and who may call", () => {
  it("are looked at only once the caller may call the route: 401 for nobody, 403 for a non-admin on /admin", async () => {
    const user = await signUp("protononadmin");
    const rawBody = '{"reason":"x","__proto__":{}}';
    expectProblem(await call("POST", "/api/v1/auctions", { rawBody }), 401, "UNAUTHENTICATED");
    expectProblem(
      await call("POST", "/api/v1/admin/users/usr_nobody/suspend", { token: user.token, rawBody }),
      403,
      "FORBIDDEN",
    );
  });
});

describe("deeply nested bodies", () => {
  it("answers 40,000 nested arrays with a 422, not a stack overflow", async () => {
    const rawBody = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    const response = await call("POST", "/api/v1/users", { rawBody });
    expectProblem(response, 422, "VALIDATION_FAILED");
  });
});

describe("text hygiene", () => {
  it.each([
    ["NUL", "a\u0000b"],
    ["escape", "a\u001bb"],
    ["a line break", "a\nb"],
    ["a lone surrogate", "a\ud800b"],
    ["a right-to-left override", "a\u202eb"],
    ["an isolate", "a\u2066b"],
  ])("refuses a nickname with %s, naming the field", async (_name, nickname) => {
    const response = await call("POST", "/api/v1/users", { body: signUpBody({ nickname }) });
    expectProblem(response, 422, "VALIDATION_FAILED");
    expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(["nickname"]);
  });

  it("refuses control characters and bidi overrides in a title or description, naming the field", async () => {
    const seller = await signUp("txtseller");
    const base = { title: "Lamp", startingPrice: 1000, durationSeconds: 3600 };
    const title = await call("POST", "/api/v1/auctions", {
      token: seller.token,
      body: { ...base, title: "Lamp\u0007" },
    });
    expectProblem(title, 422, "VALIDATION_FAILED");
    expect(title.body.errors).toEqual([{ path: "title", message: "must not contain control characters" }]);
    const description = await call("POST", "/api/v1/auctions", {
      token: seller.token,
      body: { ...base, description: "works \u202e!" },
    });
    expectProblem(description, 422, "VALIDATION_FAILED");
    expect(description.body.errors[0].path).toBe("description");
    const mine = await call("GET", "/api/v1/me/auctions", { token: seller.token });
    expect(mine.body.items).toEqual([]);
  });

  it("stores text in NFC and keeps line breaks in a description", async () => {
    const seller = await signUp("nfc");
    const decomposed = "Cafe\u0301 chair"; // "e" + combining acute accent
    const auction = await createAuction(seller, {
      title: decomposed,
      description: "Line one\nLine two\ttabbed",
    });
    expect(auction.title).toBe("Caf\u00e9 chair");
    expect(auction.title).toHaveLength(10);
    expect(auction.description).toBe("Line one\nLine two\ttabbed");
  });

  it("counts a title's length after normalising", async () => {
    const seller = await signUp("nfclen");
    // 100 characters once composed, 200 code units as sent.
    const auction = await createAuction(seller, { title: "e\u0301".repeat(100) });
    expect(auction.title).toBe("\u00e9".repeat(100));
  });
});

describe("cross-site requests", () => {
  it("refuses a cookie-authenticated POST from a foreign origin with 403 ORIGIN_NOT_ALLOWED", async () => {
    const user = await signUp("csrf");
    const response = await raw("/api/v1/me/inbox/read-all", {
      method: "POST",
      headers: { cookie: `sa_session=${user.token}`, origin: FOREIGN },
    });
    expectProblem(response, 403, "ORIGIN_NOT_ALLOWED");
  });

  it("refuses one that a browser marks cross-site even without an Origin header", async () => {
    const user = await signUp("csrf2");
    const response = await raw("/api/v1/me/inbox/read-all", {
      method: "POST",
      headers: { cookie: `sa_session=${user.token}`, "sec-fetch-site": "cross-site" },
    });
    expectProblem(response, 403, "ORIGIN_NOT_ALLOWED");
  });

  it("refuses a cookie-only buy-now from a foreign origin and leaves the auction open", async () => {
    const seller = await signUp("csrfseller");
    const buyer = await signUpFunded("csrfbuyer");
    const auction = await createAuction(seller, { buyNowPrice: 50_000 });
    const response = await raw(`/api/v1/auctions/${auction.id}/buy-now`, {
      method: "POST",
      headers: { cookie: `sa_session=${buyer.token}`, origin: FOREIGN },
    });
    expectProblem(response, 403, "ORIGIN_NOT_ALLOWED");
    const after = await call("GET", `/api/v1/auctions/${auction.id}`);
    expect(after.body.status).toBe("open");
  });

  it("accepts cookie requests from the site itself and from ALLOWED_ORIGINS", async () => {
    const user = await signUp("sameorigin");
    for (const origin of [SITE, ALLOWED]) {
      const response = await raw("/api/v1/me/inbox/read-all", {
        method: "POST",
        headers: { cookie: `sa_session=${user.token}`, origin },
      });
      expect(response.status).toBe(200);
    }
  });

  it("does not origin-check bearer requests, nor safe cookie requests", async () => {
    const user = await signUp("bearer");
    const bearer = await raw("/api/v1/me/inbox/read-all", {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, origin: FOREIGN },
    });
    expect(bearer.status).toBe(200);
    const read = await raw("/api/v1/me", {
      headers: { cookie: `sa_session=${user.token}`, origin: FOREIGN },
    });
    expect(read.status).toBe(200);
  });

  it("refuses a cookie-authenticated WebSocket upgrade from a foreign origin", async () => {
    const user = await signUp("wscsrf");
    const response = await raw("/api/v1/me/live", {
      headers: { ...WEBSOCKET_HANDSHAKE, cookie: `sa_session=${user.token}`, origin: FOREIGN },
    });
    expectProblem(response, 403, "ORIGIN_NOT_ALLOWED");
  });

  it("answers CORS preflights for allowed origins only", async () => {
    const allowed = await exports.default.fetch(
      new Request(`${SITE}/api/v1/me`, {
        method: "OPTIONS",
        headers: { origin: ALLOWED, "access-control-request-method": "POST" },
      }),
    );
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    const foreign = await exports.default.fetch(
      new Request(`${SITE}/api/v1/me`, {
        method: "OPTIONS",
        headers: { origin: FOREIGN, "access-control-request-method": "POST" },
      }),
    );
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("WebSocket handshakes", () => {
  const paths = ["/api/v1/me/live", "/api/v1/auctions/auc_aaaaaaaaaaaaaaaaaaaa/live"];

  it.each(paths)("%s: no Sec-WebSocket-Key → 400 problem", async (path) => {
    const { "sec-websocket-key": _key, ...headers } = WEBSOCKET_HANDSHAKE;
    const response = await raw(path, { headers });
    expectProblem(response, 400, "INVALID_WEBSOCKET_HANDSHAKE");
  });

  it.each(paths)("%s: a key that is not 16 bytes of base64 → 400 problem", async (path) => {
    const response = await raw(path, { headers: { ...WEBSOCKET_HANDSHAKE, "sec-websocket-key": "short" } });
    expectProblem(response, 400, "INVALID_WEBSOCKET_HANDSHAKE");
  });

  it.each(paths)("%s: a version other than 13 → 426 with Sec-WebSocket-Version: 13", async (path) => {
    const response = await raw(path, { headers: { ...WEBSOCKET_HANDSHAKE, "sec-websocket-version": "8" } });
    expectProblem(response, 426, "UNSUPPORTED_WEBSOCKET_VERSION");
    expect(response.headers.get("sec-websocket-version")).toBe("13");
  });
});
