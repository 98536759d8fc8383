import { z } from "zod";

/** The subset of JSON Schema (OpenAPI 3.1) that the API's document uses. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  $ref?: string;
}

const JsonSchemaSchema: z.ZodType<JsonSchema> = z.lazy(() =>
  z.object({
    type: z.union([z.string(), z.array(z.string())]).optional(),
    properties: z.record(z.string(), JsonSchemaSchema).optional(),
    required: z.array(z.string()).optional(),
    additionalProperties: z.union([z.boolean(), JsonSchemaSchema]).optional(),
    items: JsonSchemaSchema.optional(),
    minLength: z.number().optional(),
    maxLength: z.number().optional(),
    pattern: z.string().optional(),
    format: z.string().optional(),
    enum: z.array(z.unknown()).optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    maxItems: z.number().optional(),
    anyOf: z.array(JsonSchemaSchema).optional(),
    $ref: z.string().optional(),
  }),
);

const ParameterSchema = z.object({
  name: z.string(),
  in: z.enum(["path", "query", "header", "cookie"]),
  required: z.boolean().optional(),
  schema: JsonSchemaSchema,
});

const OperationSchema = z.object({
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
  parameters: z.array(ParameterSchema).optional(),
  requestBody: z.object({ content: z.record(z.string(), z.object({ schema: JsonSchemaSchema })) }).optional(),
  responses: z.record(z.string(), z.unknown()),
});

/** The security schemes that stand for a session (the others, e.g. the live ticket, do not). */
const SESSION_SCHEMES = new Set(["bearerAuth", "cookieAuth"]);

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

const DocumentSchema = z.object({
  openapi: z.string(),
  paths: z.record(z.string(), z.partialRecord(z.enum(METHODS), OperationSchema)),
  components: z.object({ schemas: z.record(z.string(), JsonSchemaSchema) }).optional(),
});

export type Parameter = z.infer<typeof ParameterSchema>;

export interface Operation {
  method: string;
  /** The path template, e.g. `/api/v1/auctions/{id}`. */
  path: string;
  parameters: Parameter[];
  /** The JSON body's schema with every `$ref` inlined, or null when the operation takes no body. */
  body: JsonSchema | null;
  /** The image types a file-upload operation takes as its raw body (empty for every other one). */
  uploadTypes: string[];
  /** A session is required: the operation lists security and every alternative is a session scheme. */
  secured: boolean;
  /**
   * Anonymous callers are refused: the operation lists security and none of its alternatives is
   * `{}` (the anonymous one). Unlike `secured`, a credential other than a session may do (the
   * live ticket of `/me/live`).
   */
  requiresCredentials: boolean;
  /** A session is read when sent: some alternative is a session scheme (required or optional). */
  acceptsSession: boolean;
  /** The operation answers a WebSocket upgrade (101). */
  websocket: boolean;
}

/** Every operation of the document, with schemas resolved, in document order. */
export function operationsOf(raw: unknown): Operation[] {
  const doc = DocumentSchema.parse(raw);
  const components = doc.components?.schemas ?? {};
  const resolve = (schema: JsonSchema, depth = 0): JsonSchema => {
    if (depth > 20) throw new Error("schema nesting too deep (a $ref cycle?)");
    if (schema.$ref !== undefined) {
      const name = schema.$ref.replace(/^#\/components\/schemas\//, "");
      const target = components[name];
      if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
      return resolve(target, depth + 1);
    }
    return {
      ...schema,
      ...(schema.properties
        ? {
            properties: Object.fromEntries(
              Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, depth + 1)]),
            ),
          }
        : {}),
      ...(schema.items ? { items: resolve(schema.items, depth + 1) } : {}),
      ...(schema.anyOf ? { anyOf: schema.anyOf.map((s) => resolve(s, depth + 1)) } : {}),
    };
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const json = op.requestBody?.content["application/json"]?.schema;
      const security = op.security ?? [];
      const requiresCredentials = security.length > 0 && !security.some((s) => Object.keys(s).length === 0);
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema) })),
        body: json ? resolve(json) : null,
        uploadTypes: Object.keys(op.requestBody?.content ?? {}).filter((type) => type.startsWith("image/")),
        secured:
          requiresCredentials && security.every((s) => Object.keys(s).every((k) => SESSION_SCHEMES.has(k))),
        requiresCredentials,
        acceptsSession: security.some((s) => Object.keys(s).some((k) => SESSION_SCHEMES.has(k))),
        websocket: "101" in op.responses,
      });
    }
  }
  return operations;
}

/** The JSON types a schema admits (`integer` also admits `number` literals that are integers). */
export function typesOf(schema: JsonSchema): string[] {
  if (schema.anyOf) return schema.anyOf.flatMap(typesOf);
  if (schema.type === undefined) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}
