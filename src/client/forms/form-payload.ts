/**
 * A form's fields as the JSON body the API takes (web contract, "Forms"). Pure: the DOM side reads
 * each control into a FieldValue, this decides what the body says.
 */

/** One form control as read from the page. */
export interface FieldValue {
  name: string;
  value: string;
  /** The control's `type` (`text`, `checkbox`, `select-one`, `file`, …). */
  type: string;
  checked: boolean;
  /** `data-type`: `integer` → a number, `list` → an array of every such field's values. */
  dataType: string | null;
  /** `data-json-name`: a checkbox's JSON field when its `name` is not it. */
  jsonName: string | null;
  /** `data-proxy`: the "bid for me up to this amount" checkbox. */
  proxy: boolean;
}

type Json = Record<string, unknown>;

const SKIPPED_TYPES = new Set(["file", "submit", "button", "reset", "image"]);
// Names come from our own pages, but a dotted name must never walk into a prototype.
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);

/** `12,000` and ` 12000 ` are 12000; anything else stays text so the server names the field it refuses. */
function integerOf(value: string): number | string {
  const compact = value.replace(/[\s,_]/g, "");
  return /^-?\d{1,16}$/.test(compact) ? Number(compact) : value;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function put(target: Json, path: string, value: unknown, list: boolean): void {
  const segments = path.split(".");
  if (segments.some((s) => s === "" || FORBIDDEN_SEGMENTS.has(s))) return;
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const child = Object.hasOwn(node, segment) ? node[segment] : undefined;
    if (isObject(child)) {
      node = child;
    } else {
      const created: Json = {};
      node[segment] = created;
      node = created;
    }
  }
  const last = segments[segments.length - 1] ?? "";
  if (!list) {
    node[last] = value;
    return;
  }
  const existing = Object.hasOwn(node, last) ? node[last] : undefined;
  node[last] = Array.isArray(existing) ? [...existing, value] : [value];
}

export function formPayload(fields: readonly FieldValue[]): Json {
  const body: Json = {};
  let proxy = false;
  for (const field of fields) {
    if (field.proxy) {
      proxy = field.checked;
      continue;
    }
    if (SKIPPED_TYPES.has(field.type)) continue;
    if (field.type === "checkbox") {
      const name = field.jsonName || field.name;
      if (name) put(body, name, field.checked, false);
      continue;
    }
    if (!field.name) continue;
    if (field.type === "radio" && !field.checked) continue;
    // An empty input is an optional field left blank: the API's defaults apply.
    if (field.value === "") continue;
    const value = field.dataType === "integer" ? integerOf(field.value) : field.value;
    put(body, field.name, value, field.dataType === "list");
  }
  // "Bid for me up to this amount": the same number, as a proxy bid's maximum (SPEC §5).
  if (proxy && Object.hasOwn(body, "amount")) {
    const { amount, ...rest } = body;
    return { ...rest, maxAmount: amount };
  }
  return body;
}
