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
  /** A session is required: the operation lists security and none of its alternatives is `{}`. */
  secured: boolean;
  /** The operation lists any security at all (a session is used when present). */
  acceptsCredentials: boolean;
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
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema) })),
        body: json ? resolve(json) : null,
        secured:
          (op.security ?? []).length > 0 && !(op.security ?? []).some((s) => Object.keys(s).length === 0),
        acceptsCredentials: (op.security ?? []).some((s) => Object.keys(s).length > 0),
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
