import fc from "fast-check";
import { type JsonSchema, type Operation, type Parameter, typesOf } from "./support-openapi";

/**
 * Malformed requests for one operation of the OpenAPI document, generated with fast-check from the
 * operation's own schemas, each with what the spec says the answer must be. Every kind of defect
 * is generated for every operation it applies to, so no operation escapes a category by chance.
 */

export type Identity = "owner" | "anonymous";

/** One acceptable answer; `code` undefined accepts any problem code. */
export interface Allowed {
  status: number;
  code?: string;
}

export type Expectation =
  /** One of these exact answers. */
  | { kind: "exact"; allowed: readonly Allowed[] }
  /** Any 4xx problem. */
  | { kind: "4xx" }
  /** Anything but a 5xx (a 2xx is a write, tallied by the runner). */
  | { kind: "non5xx" }
  /**
   * A WebSocket handshake that wrangler's dev proxy completes or refuses itself: locally the proxy
   * opens its own, well-formed handshake to the worker, so the worker's check (proven in the
   * Workers pool by test/worker/request-hygiene.test.ts) never sees the client's headers. Here
   * only "no 5xx, no dropped connection" can be asserted, whatever the proxy answers.
   */
  | { kind: "proxied-handshake" };

export interface FuzzCase {
  op: Operation;
  identity: Identity;
  kind: string;
  method: string;
  /** Path and query, ready for the wire. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  chunked?: boolean;
  /** Whether the runner adds the identity's credentials; false when the case brings its own. */
  auth: boolean;
  expect: Expectation;
}

export interface FuzzContext {
  /** Existing auctions usable as `{id}` in /auctions/{id}…: the owner's and another seller's. */
  auctionIds: readonly string[];
  /** The owner's own auction (it has a bid, so only its text can still change). */
  ownAuctionId: string;
  /** A message in the owner's inbox, for /me/inbox/{id}/read. */
  messageId: string;
}

const UNAUTHENTICATED: Allowed = { status: 401, code: "UNAUTHENTICATED" };
const VALIDATION_FAILED_BODY: Allowed = { status: 422, code: "VALIDATION_FAILED" };
/** A malformed query, path parameter or header: a bad request (a body that breaks its schema is 422). */
const INVALID_PARAMETER: Allowed = { status: 400, code: "INVALID_PARAMETER" };
const INVALID_CURSOR: Allowed = { status: 400, code: "INVALID_CURSOR" };
const MALFORMED_JSON: Allowed = { status: 400, code: "MALFORMED_JSON" };
const UNSUPPORTED_MEDIA_TYPE: Allowed = { status: 415, code: "UNSUPPORTED_MEDIA_TYPE" };
const PAYLOAD_TOO_LARGE: Allowed = { status: 413, code: "PAYLOAD_TOO_LARGE" };
const UPGRADE_REQUIRED: Allowed = { status: 426, code: "UPGRADE_REQUIRED" };

/** Over the 64 KiB body limit (SPEC §2: a body over the limit is a 4xx, however it is framed). */
export const OVERSIZE_BYTES = 70 * 1024;

/** Over the 5 MB a photo upload may be (SPEC §10): its route's own limit. */
const UPLOAD_OVERSIZE_BYTES = 5 * 1024 * 1024 + 1;

/** A body over the operation's limit: JSON over 64 KiB, or for a photo upload an image over 5 MB. */
function oversizeBody(op: Operation): { headers: Record<string, string>; body: string } {
  const [uploadType] = op.uploadTypes;
  return uploadType
    ? { headers: { "content-type": uploadType }, body: "x".repeat(UPLOAD_OVERSIZE_BYTES) }
    : { headers: { "content-type": "application/json" }, body: `{"title":"${"x".repeat(OVERSIZE_BYTES)}"}` };
}

/**
 * Characters SPEC §2 refuses in text (control characters, lone surrogates) and bidi overrides,
 * which can disguise a title. JSON.stringify escapes surrogates (`\ud800`), so they reach the
 * server's JSON parser as such.
 */
export const HOSTILE_CHARACTERS = [
  "\u0000",
  "\u0007",
  "\u001b",
  "\u007f",
  "\u0085",
  "\ud800",
  "\udfff",
  "\udc00\ud800",
  "\u202e",
  "\u202a",
  "\u2066",
] as const;

const word = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz "),
  minLength: 1,
  maxLength: 12,
});
export const hostileText = fc
  .tuple(word, fc.constantFrom(...HOSTILE_CHARACTERS), word)
  .map(([a, bad, b]) => `Lot ${a}${bad}${b}`.slice(0, 90));

/** Printable ASCII: what can go in a header value or an unescaped query without Node refusing it. */
const printable = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});

const TEXT_FIELDS = new Set(["title", "description", "nickname"]);

// ---------------------------------------------------------------- values from schemas

function validValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const types = typesOf(schema);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (types.includes("integer") || types.includes("number")) {
    return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1_000_000, 1_000_000) });
  }
  if (types.includes("string")) {
    if (schema.format === "date-time") return fc.constant(new Date(Date.now() + 86_400_000).toISOString());
    if (schema.format === "uri") return fc.constant("https://example.com/photo.jpg");
    if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
    return fc.string({
      unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"),
      minLength: Math.max(schema.minLength ?? 1, 1),
      maxLength: Math.min(schema.maxLength ?? 20, 20),
    });
  }
  if (types.includes("boolean")) return fc.boolean();
  if (types.includes("array")) {
    return fc.array(schema.items ? validValue(schema.items) : fc.integer(), {
      maxLength: Math.min(schema.maxItems ?? 2, 2),
    });
  }
  if (types.includes("object")) return validObject(schema);
  return fc.constant(null);
}

/** The required properties with valid values. */
function validObject(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const required = schema.required ?? [];
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of required) {
    const prop = schema.properties?.[name];
    if (prop) shape[name] = validValue(prop);
  }
  return fc.record(shape);
}

/** Values that break the schema: wrong types, out of range, too long, off-pattern, off-enum. */
function invalidValues(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown>[] {
  const types = typesOf(schema);
  if (types.length === 0) return [];
  const out: fc.Arbitrary<unknown>[] = [];
  const wrongTypes: fc.Arbitrary<unknown>[] = [];
  if (!types.includes("string")) wrongTypes.push(fc.constantFrom("12", "", "true", "null"));
  if (!types.includes("integer") && !types.includes("number"))
    wrongTypes.push(fc.constantFrom(0, 1, -1, 3.5));
  if (!types.includes("boolean")) wrongTypes.push(fc.boolean());
  if (!types.includes("null")) wrongTypes.push(fc.constant(null));
  if (!types.includes("array")) wrongTypes.push(fc.constantFrom([], [1, "a"], [null]));
  if (!types.includes("object")) wrongTypes.push(fc.constantFrom({}, { a: 1 }));
  out.push(fc.oneof(...wrongTypes));

  if (types.includes("integer")) {
    out.push(fc.constantFrom(0.5, 1.5, -0.25, 1e-7));
    if (schema.minimum !== undefined) {
      const min = schema.minimum;
      out.push(fc.oneof(fc.integer({ min: min - 1_000_000, max: min - 1 }), fc.constant(-1e300)));
    }
    if (schema.maximum !== undefined) {
      const max = schema.maximum;
      out.push(fc.constantFrom(max + 1, max * 10, 1e300, 2 ** 53 + 2));
    }
  }
  if (types.includes("string")) {
    if (schema.maxLength !== undefined) {
      const max = schema.maxLength;
      // Huge but under the 64 KiB body limit, so it reaches validation rather than the size check.
      out.push(fc.integer({ min: max + 1, max: Math.min(max + 40_000, 60_000) }).map((n) => "x".repeat(n)));
    }
    if ((schema.minLength ?? 0) > 0) out.push(fc.constant(""));
    if (schema.pattern) {
      const pattern = new RegExp(schema.pattern);
      out.push(printable.filter((s) => !pattern.test(s)));
    }
    if (schema.format === "date-time")
      out.push(fc.constantFrom("yesterday", "2026-13-45T25:61:00Z", "1700000000"));
    if (schema.format === "uri") out.push(fc.constantFrom("not a url", "://", ""));
    if (schema.enum) out.push(fc.constantFrom("bogus", "OPEN", ""));
  }
  if (types.includes("array") && schema.items) {
    const items = schema.items;
    if (schema.maxItems !== undefined) {
      out.push(
        fc.array(validValue(items), { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 3 }),
      );
    }
    const bad = depth < 2 ? invalidValues(items, depth + 1) : [];
    if (bad.length > 0) out.push(fc.array(fc.oneof(...bad), { minLength: 1, maxLength: 2 }));
  }
  if (types.includes("object") && schema.properties && depth < 2) {
    out.push(objectViolation(schema, validObject(schema), depth + 1));
  }
  return out;
}

/** A valid object with exactly one thing wrong: a bad value, a missing required key, an extra key. */
function objectViolation(
  schema: JsonSchema,
  base: fc.Arbitrary<Record<string, unknown>>,
  depth = 0,
): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [];
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const bad = invalidValues(prop, depth);
    if (bad.length > 0) options.push(fc.tuple(base, fc.oneof(...bad)).map(([b, v]) => ({ ...b, [name]: v })));
  }
  for (const name of schema.required ?? []) {
    options.push(
      base.map((b) => {
        const { [name]: _dropped, ...rest } = b;
        return rest;
      }),
    );
  }
  if (schema.additionalProperties === false) {
    options.push(
      fc
        .tuple(
          base,
          fc.constantFrom("extra", "__proto__", "constructor", "sellerId", "isAdmin"),
          fc.jsonValue({ maxDepth: 2 }),
        )
        // A computed key makes "__proto__" an own property, so JSON.stringify sends it.
        .map(([b, key, value]) => ({ ...b, [key]: value })),
    );
  }
  options.push(fc.constantFrom([], "a string", 42, null, true));
  return fc.oneof(...options);
}

// ---------------------------------------------------------------- valid bodies per operation

/**
 * Valid bodies for the operations that take one. The document's schemas cannot express the
 * cross-field rules (exactly one of endsAt and durationSeconds, maxAmount ≥ amount, a non-empty
 * patch), so these are written out; an operation added later falls back to its required fields.
 */
function validBody(op: Operation): fc.Arbitrary<Record<string, unknown>> {
  const key = `${op.method} ${op.path}`;
  switch (key) {
    case "POST /api/v1/users":
      return fc.record({
        username: fc.stringMatching(/^fz_[a-z0-9]{10,16}$/),
        password: fc.constant("correct horse battery staple"),
        nickname: fc.constantFrom("Fuzz", "퍼즈", "Zoë"),
      });
    case "POST /api/v1/sessions":
      // Never the owner's username: failed logins would lock the owner out (throttling).
      return fc.record({
        username: fc.stringMatching(/^fz_[a-z0-9]{10,16}$/),
        password: fc.constant("wrong password 123"),
      });
    case "PUT /api/v1/me/password":
      // Never the real current password: a change would end the owner's other sessions.
      return fc.record({
        currentPassword: fc.constant("not the current password"),
        newPassword: fc.constant("another long passphrase"),
      });
    case "POST /api/v1/auctions":
      return fc.record(
        {
          title: fc.constantFrom("Fuzz lot", "Film camera", "자전거"),
          description: fc.constantFrom("", "Works.\nLine two."),
          startingPrice: fc.integer({ min: 1, max: 1_000_000 }),
          durationSeconds: fc.integer({ min: 60, max: 86_400 }),
        },
        { requiredKeys: ["title", "startingPrice", "durationSeconds"] },
      );
    case "PATCH /api/v1/auctions/{id}":
      return fc.oneof(
        fc.record({ title: fc.constantFrom("Renamed lot", "Still a camera") }),
        fc.record({ description: fc.constant("Updated description.") }),
        fc.record({ startingPrice: fc.integer({ min: 1, max: 100_000 }) }),
      );
    case "POST /api/v1/auctions/{id}/bids":
      return fc.oneof(
        fc.constant({}),
        fc.record({ amount: fc.integer({ min: 1, max: 10_000_000 }) }),
        fc.record({ maxAmount: fc.integer({ min: 1, max: 10_000_000 }) }),
      );
    default:
      return op.body ? validObject(op.body) : fc.constant({});
  }
}

// ---------------------------------------------------------------- requests

function pathWith(op: Operation, id: string): string {
  return op.path.replace("{id}", id);
}

/** Well formed, but no auction has it. */
const UNKNOWN_AUCTION_ID = "auc_fuzznosuchauction000";

function validId(op: Operation, ctx: FuzzContext): fc.Arbitrary<string> {
  if (op.path.includes("/inbox/{id}")) return fc.constant(ctx.messageId);
  // An administrator's cancellation is for good and would change the fixtures the run counts
  // afterwards (their status, the owner's inbox): its input is fuzzed against an unknown auction.
  if (op.path.startsWith("/api/v1/admin/auctions/")) return fc.constant(UNKNOWN_AUCTION_ID);
  return fc.constantFrom(...ctx.auctionIds);
}

function withQuery(path: string, query: Record<string, string>): string {
  const qs = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  return qs === "" ? path : `${path}?${qs}`;
}

/** A path for the operation with valid path parameters. */
function validPath(op: Operation, ctx: FuzzContext): fc.Arbitrary<string> {
  return op.path.includes("{id}")
    ? validId(op, ctx).map((id) => pathWith(op, encodeURIComponent(id)))
    : fc.constant(op.path);
}

/** Refused for the given reasons, unless the caller is anonymous on a secured operation: 401 then. */
function refused(op: Operation, identity: Identity, ...allowed: Allowed[]): Expectation {
  if (identity === "anonymous" && op.secured) return { kind: "exact", allowed: [UNAUTHENTICATED] };
  return { kind: "exact", allowed };
}

const JSON_TYPE = { "content-type": "application/json" };

interface Draft {
  kind: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  chunked?: boolean;
  auth?: boolean;
  expect: Expectation;
}

type KindBuilder = (op: Operation, identity: Identity, ctx: FuzzContext) => fc.Arbitrary<Draft> | null;

const bodyKinds: Record<string, KindBuilder> = {
  valid: (op, _identity, ctx) =>
    fc.tuple(validPath(op, ctx), validBody(op)).map(([path, body]) => ({
      kind: "valid",
      path,
      headers: JSON_TYPE,
      body: JSON.stringify(body),
      expect: { kind: "non5xx" },
    })),
  "schema-violation": (op, identity, ctx) =>
    op.body === null
      ? null
      : fc.tuple(validPath(op, ctx), objectViolation(op.body, validBody(op))).map(([path, body]) => ({
          kind: "schema-violation",
          path,
          headers: JSON_TYPE,
          body: JSON.stringify(body),
          expect: refused(op, identity, VALIDATION_FAILED_BODY),
        })),
  "hostile-text": (op, identity, ctx) => {
    const fields = Object.keys(op.body?.properties ?? {}).filter((name) => TEXT_FIELDS.has(name));
    if (fields.length === 0) return null;
    // An edit carries only the text field, on the owner's own auction: otherwise "not yours" or
    // "has bids" would be the right answer and the text would never be looked at.
    const isEdit = op.method === "PATCH";
    const path = isEdit ? fc.constant(pathWith(op, ctx.ownAuctionId)) : validPath(op, ctx);
    const base = isEdit ? fc.constant({}) : validBody(op);
    return fc.tuple(path, base, fc.constantFrom(...fields), hostileText).map(([p, body, field, text]) => ({
      kind: "hostile-text",
      path: p,
      headers: JSON_TYPE,
      body: JSON.stringify({ ...body, [field]: text }),
      expect: refused(op, identity, VALIDATION_FAILED_BODY),
    }));
  },
  "malformed-json": (op, identity, ctx) =>
    fc
      .tuple(
        validPath(op, ctx),
        fc.oneof(
          fc.constantFrom(
            "{",
            '{"title":',
            "{'a':1}",
            "[1,2",
            "nul",
            '{"a":1}}',
            '{"a":"\\ud800"',
            '"open',
            '{"a":01}',
            "NaN",
            '{"a":Infinity}',
          ),
          printable.filter((s) => {
            try {
              JSON.parse(s);
              return false;
            } catch {
              return true;
            }
          }),
        ),
      )
      .map(([path, body]) => ({
        kind: "malformed-json",
        path,
        headers: JSON_TYPE,
        body,
        expect: refused(op, identity, MALFORMED_JSON),
      })),
  "json-wrong-root": (op, identity, ctx) =>
    fc
      .tuple(
        validPath(op, ctx),
        fc.constantFrom("null", "[]", "123", '"text"', "true", `${"[".repeat(20_000)}${"]".repeat(20_000)}`),
      )
      .map(([path, body]) => ({
        kind: "json-wrong-root",
        path,
        headers: JSON_TYPE,
        body,
        expect: refused(op, identity, VALIDATION_FAILED_BODY),
      })),
  "empty-body": (op, identity, ctx) =>
    validPath(op, ctx).map((path) => ({
      kind: "empty-body",
      path,
      headers: JSON_TYPE,
      body: "",
      expect: refused(op, identity, MALFORMED_JSON, VALIDATION_FAILED_BODY),
    })),
  "wrong-content-type": (op, identity, ctx) =>
    fc
      .tuple(
        validPath(op, ctx),
        validBody(op),
        fc.constantFrom(
          "text/plain",
          "text/plain;charset=utf-8",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=fuzzboundary",
          "application/xml",
          "application/octet-stream",
          "none",
        ),
      )
      .map(
        ([path, body, type]): Draft => ({
          kind: `wrong-content-type ${type}`,
          path,
          headers: type === "none" ? {} : { "content-type": type },
          body: type.startsWith("multipart/")
            ? `--fuzzboundary\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--fuzzboundary--\r\n`
            : type === "application/x-www-form-urlencoded"
              ? "title=x&startingPrice=1000"
              : JSON.stringify(body),
          // 401 may come first for an anonymous caller; SPEC does not order the two.
          expect:
            identity === "anonymous" && op.secured
              ? { kind: "exact", allowed: [UNAUTHENTICATED, UNSUPPORTED_MEDIA_TYPE] }
              : { kind: "exact", allowed: [UNSUPPORTED_MEDIA_TYPE] },
        }),
      ),
};

/** For operations that take no body but are not GET: a body anyway, JSON or not. */
const unexpectedBody: KindBuilder = (op, _identity, ctx) =>
  fc
    .tuple(
      validPath(op, ctx),
      fc.constantFrom(
        { type: "application/json", body: '{"x":1}' },
        { type: "text/plain", body: "hello" },
        { type: "application/json", body: "{" },
        { type: "none", body: "raw" },
      ),
    )
    .map(
      ([path, { type, body }]): Draft => ({
        kind: `unexpected-body ${type}`,
        path,
        headers: type === "none" ? {} : { "content-type": type },
        body,
        expect: { kind: "non5xx" },
      }),
    );

const oversize: KindBuilder = (op, _identity, ctx) =>
  validPath(op, ctx).map((path) => ({
    kind: "oversize content-length",
    path,
    ...oversizeBody(op),
    expect: op.method === "GET" ? { kind: "4xx" } : { kind: "exact", allowed: [PAYLOAD_TOO_LARGE] },
  }));

/** SPEC §2: a body on GET or HEAD is a 4xx problem (when it reaches the worker at all). */
const getBody: KindBuilder = (op, _identity, ctx) =>
  fc
    .tuple(
      validPath(op, ctx),
      fc.constantFrom("GET", "HEAD"),
      fc.boolean(),
      fc.constantFrom('{"a":1}', "hello", "x".repeat(2000)),
    )
    .map(([path, method, chunked, body]) => ({
      kind: `${method} with a body (${chunked ? "chunked" : "content-length"})`,
      method,
      path,
      headers: JSON_TYPE,
      body,
      chunked,
      // Locally, wrangler's dev proxy drops a chunked GET/HEAD body before the worker sees it, so
      // the request is answered as without one; a body that reaches the worker is refused.
      expect: chunked ? { kind: "non5xx" } : { kind: "4xx" },
    }));

const plainGet: KindBuilder = (op, _identity, ctx) =>
  validPath(op, ctx).map((path) => ({ kind: "plain", path, expect: { kind: "non5xx" } }));

const badPath: KindBuilder = (op) => {
  if (!op.path.includes("{id}")) return null;
  const ids = fc.oneof(
    fc.stringMatching(/^[a-z0-9_]{1,30}$/),
    fc.stringMatching(/^auc_[0-9a-z]{20}$/),
    fc.stringMatching(/^msg_[0-9a-z]{20}$/),
    fc.constant("x".repeat(300)),
    hostileText.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "\ufffd"))),
    fc.constantFrom(
      "%00",
      "%2e%2e",
      "..%2f..%2fme",
      "%ff%fe",
      "%",
      "%zz",
      "null",
      "0",
      "-1",
      "auc_",
      "AUC_3K9X0C2M4Q8R1V7W5Z6Y",
    ),
  );
  // Unwatching is idempotent and the ping never reads the auction, so both may succeed on any id.
  const lenient = (op.method === "DELETE" && op.path.endsWith("/watch")) || op.path.endsWith("/ping");
  return fc.tuple(ids, validBody(op)).map(([id, body]) => ({
    kind: "bad path parameter",
    path: pathWith(op, id),
    ...(op.body ? { headers: JSON_TYPE, body: JSON.stringify(body) } : {}),
    expect: lenient ? { kind: "non5xx" } : { kind: "4xx" },
  }));
};

function invalidQueryValues(param: Parameter): string[] {
  const s = param.schema;
  const types = typesOf(s);
  if (param.name === "cursor") {
    const b64 = (text: string) => Buffer.from(text).toString("base64url");
    return ["!!!", "%00", b64("not json"), b64("[1]"), b64('{"a":1}'), b64("[null,null]"), "x".repeat(201)];
  }
  const out: string[] = [];
  if (types.includes("integer")) {
    out.push("abc", "1.5", "NaN", "Infinity", "-0.5");
    if (s.minimum !== undefined) out.push(String(s.minimum - 1));
    if (s.maximum !== undefined) out.push(String(s.maximum + 1));
  }
  if (types.includes("string")) {
    if (s.enum) out.push("bogus", "OPEN");
    if (s.maxLength !== undefined) out.push("x".repeat(s.maxLength + 1));
    if ((s.minLength ?? 0) > 0) out.push("");
    if (s.pattern) out.push("NOT A SLUG!", "-".repeat(40));
  }
  return out;
}

const badQuery: KindBuilder = (op, identity, ctx) => {
  const options = op.parameters
    .filter((p) => p.in === "query")
    .flatMap((p) => invalidQueryValues(p).map((value) => ({ name: p.name, value })));
  if (options.length === 0) return null;
  let expect: Expectation = refused(op, identity, INVALID_PARAMETER, INVALID_CURSOR);
  if (op.websocket) {
    // A plain GET to a socket: the query is checked first (400) or the missing upgrade (426).
    expect = {
      kind: "exact",
      allowed: [
        INVALID_PARAMETER,
        UPGRADE_REQUIRED,
        ...(identity === "anonymous" && op.secured ? [UNAUTHENTICATED] : []),
      ],
    };
  }
  const exact = expect;
  return fc.tuple(validPath(op, ctx), fc.constantFrom(...options)).map(([path, { name, value }]) => ({
    kind: `bad query ${name}`,
    path: withQuery(path, { [name]: value }),
    expect: exact,
  }));
};

const extraQuery: KindBuilder = (op, _identity, ctx) =>
  fc.tuple(validPath(op, ctx), printable, printable).map(([path, k, v]) => ({
    kind: "extra query parameters",
    path: `${path}?${encodeURIComponent(k || "k")}=${encodeURIComponent(v)}&limit=1&limit=2&__proto__=1`,
    expect: { kind: "non5xx" },
  }));

const garbageAuth: fc.Arbitrary<Record<string, string>> = fc.oneof<fc.Arbitrary<Record<string, string>>[]>(
  fc.constantFrom<Record<string, string>[]>(
    { authorization: "Bearer" },
    { authorization: "Bearer " },
    { authorization: "bearer x" },
    { authorization: "Basic dXNlcjpwYXNz" },
    { authorization: "Bearer a b" },
    { authorization: "Token abc" },
    { authorization: `Bearer ${"A".repeat(4000)}` },
    { authorization: "Bearer \u00ff\u00fe" },
    { cookie: "sa_session=" },
    { cookie: "sa_session=garbage" },
    { cookie: "sa_session=%00%ff" },
    { cookie: `sa_session=${"x".repeat(3000)}` },
    { cookie: "sa_session=a; sa_session=b" },
    { cookie: "=;;=;" },
  ),
  printable.map((s) => ({ authorization: `Bearer ${s}` })),
);

const badAuth: KindBuilder = (op, _identity, ctx) =>
  fc.tuple(validPath(op, ctx), garbageAuth, validBody(op)).map(([path, headers, body]) => ({
    kind: "garbage credentials",
    path,
    headers: { ...headers, ...(op.body ? JSON_TYPE : {}) },
    ...(op.body ? { body: JSON.stringify(body) } : {}),
    auth: false,
    expect: op.secured
      ? { kind: "exact", allowed: op.websocket ? [UNAUTHENTICATED, UPGRADE_REQUIRED] : [UNAUTHENTICATED] }
      : { kind: "non5xx" },
  }));

const badIdempotencyKey: KindBuilder = (op, identity, ctx) => {
  if (!op.parameters.some((p) => p.in === "header" && p.name === "idempotency-key")) return null;
  return fc
    .tuple(validPath(op, ctx), fc.constantFrom("", "k".repeat(256)), validBody(op))
    .map(([path, key, body]) => ({
      kind: "bad Idempotency-Key",
      path,
      headers: { "idempotency-key": key, ...(op.body ? JSON_TYPE : {}) },
      ...(op.body ? { body: JSON.stringify(body) } : {}),
      expect: refused(op, identity, INVALID_PARAMETER),
    }));
};

const WS_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

/** WebSocket routes: a plain GET, and upgrades an HTTP client can send but no WebSocket client would. */
const wsPlain: KindBuilder = (op, _identity, ctx) =>
  validPath(op, ctx).map((path) => ({
    kind: "websocket route, plain GET",
    path,
    expect: { kind: "exact", allowed: [UPGRADE_REQUIRED] },
  }));

const wsMalformed: KindBuilder = (op, identity, ctx) =>
  fc
    .tuple(
      validPath(op, ctx),
      fc.constantFrom<{ name: string; headers: Record<string, string> }[]>(
        { name: "no Sec-WebSocket-Key or version", headers: { upgrade: "websocket", connection: "Upgrade" } },
        {
          name: "Sec-WebSocket-Version 99",
          headers: {
            upgrade: "websocket",
            connection: "Upgrade",
            "sec-websocket-key": WS_KEY,
            "sec-websocket-version": "99",
          },
        },
        {
          name: "bad Sec-WebSocket-Key",
          headers: {
            upgrade: "websocket",
            connection: "Upgrade",
            "sec-websocket-key": "not base64!",
            "sec-websocket-version": "13",
          },
        },
        {
          name: "no Sec-WebSocket-Version",
          headers: { upgrade: "websocket", connection: "Upgrade", "sec-websocket-key": WS_KEY },
        },
        {
          name: "Upgrade: h2c",
          headers: {
            upgrade: "h2c",
            connection: "Upgrade, HTTP2-Settings",
            "http2-settings": "AAMAAABkAAQAAP__",
          },
        },
      ),
    )
    .map(([path, variant]) => ({
      kind: `malformed upgrade: ${variant.name}`,
      path,
      headers: variant.headers,
      expect:
        variant.headers.upgrade === "websocket"
          ? { kind: "proxied-handshake" }
          : {
              kind: "exact",
              allowed: [
                { status: 400 },
                { status: 426 },
                // /me/live also takes a ticket instead of a session, so it is not "secured", but an
                // anonymous upgrade without a ticket is still refused as unauthenticated.
                ...(identity === "anonymous" && op.requiresCredentials ? [UNAUTHENTICATED] : []),
              ],
            },
    }));

/** How many requests each kind gets per operation and identity. */
const RUNS: Record<string, number> = {
  valid: 3,
  "schema-violation": 10,
  "hostile-text": 8,
  "malformed-json": 3,
  "json-wrong-root": 3,
  "empty-body": 1,
  "wrong-content-type": 7,
  "unexpected-body": 3,
  oversize: 1,
  "get-body": 4,
  plain: 1,
  "bad-path": 5,
  "bad-query": 6,
  "extra-query": 1,
  "bad-auth": 5,
  "bad-idempotency-key": 2,
  "ws-plain": 1,
  "ws-malformed": 5,
};

function kindsFor(op: Operation): Record<string, KindBuilder> {
  const kinds: Record<string, KindBuilder> = {};
  if (op.websocket) {
    Object.assign(kinds, { "ws-plain": wsPlain, "ws-malformed": wsMalformed, "get-body": getBody });
  } else if (op.method === "GET") {
    Object.assign(kinds, { plain: plainGet, "get-body": getBody });
  } else if (op.body) {
    Object.assign(kinds, bodyKinds, { oversize });
  } else {
    Object.assign(kinds, { valid: bodyKinds.valid, "unexpected-body": unexpectedBody, oversize });
  }
  Object.assign(kinds, {
    "bad-path": badPath,
    "bad-query": badQuery,
    "extra-query": extraQuery,
    "bad-auth": badAuth,
    "bad-idempotency-key": badIdempotencyKey,
  });
  return kinds;
}

/** A stable number from a string, so each (operation, identity, kind) gets its own fixed seed. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Every case for one operation and identity, deterministic for a given seed. */
export function casesFor(op: Operation, identity: Identity, ctx: FuzzContext, seed: number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const [name, build] of Object.entries(kindsFor(op))) {
    // Garbage credentials are an anonymous caller's business; the owner sends real ones.
    if (name === "bad-auth" && identity === "owner") continue;
    const arb = build(op, identity, ctx);
    if (arb === null) continue;
    const drafts = fc.sample(arb, {
      seed: seed ^ hash(`${op.method} ${op.path} ${identity} ${name}`),
      numRuns: RUNS[name] ?? 1,
    });
    for (const draft of drafts) {
      cases.push({
        op,
        identity,
        kind: draft.kind,
        method: draft.method ?? op.method,
        path: draft.path,
        headers: draft.headers ?? {},
        ...(draft.body !== undefined ? { body: draft.body } : {}),
        ...(draft.chunked ? { chunked: true } : {}),
        auth: draft.auth ?? true,
        expect: draft.expect,
      });
    }
  }
  return cases;
}

/** The last cases of a run: bodies over the limit sent chunked, which may bring a server down. */
export function chunkedOversizeCases(ops: Operation[], ctx: FuzzContext, seed: number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  // Bodies that belong in a request first; GETs, which should not carry one at all, after.
  const ordered = [...ops.filter((op) => op.method !== "GET"), ...ops.filter((op) => op.method === "GET")];
  for (const op of ordered) {
    if (op.websocket) continue;
    const [path] = fc.sample(validPath(op, ctx), {
      seed: seed ^ hash(`chunked ${op.method} ${op.path}`),
      numRuns: 1,
    });
    if (path === undefined) continue;
    cases.push({
      op,
      identity: "owner",
      kind: "oversize chunked",
      method: op.method,
      path,
      ...oversizeBody(op),
      chunked: true,
      auth: true,
      // A chunked GET body is dropped by wrangler's dev proxy before the worker (see getBody).
      expect: op.method === "GET" ? { kind: "non5xx" } : { kind: "exact", allowed: [PAYLOAD_TOO_LARGE] },
    });
  }
  return cases;
}
