// Metafield input validation and upsert, following Shopify's rules for the common types.
import { isoNow, type EmulatorState, type MetafieldRecord } from "./state";

export interface MetafieldInput {
  id?: string | null;
  namespace?: string | null;
  key?: string | null;
  type?: string | null;
  value?: string | null;
}

export interface FieldError {
  field: string[] | null;
  message: string;
}

/** Namespace used when a write omits it: Shopify resolves `$app` to the calling app's namespace. */
export const APP_NAMESPACE = "app--1";

const SCALAR_TYPES = new Set([
  "boolean",
  "color",
  "date",
  "date_time",
  "dimension",
  "id",
  "json",
  "link",
  "money",
  "multi_line_text_field",
  "number_decimal",
  "number_integer",
  "rating",
  "rich_text_field",
  "single_line_text_field",
  "url",
  "volume",
  "weight",
  "collection_reference",
  "customer_reference",
  "file_reference",
  "metaobject_reference",
  "mixed_reference",
  "page_reference",
  "product_reference",
  "product_taxonomy_value_reference",
  "variant_reference",
  "company_reference",
  "article_reference",
]);
const LIST_TYPES = new Set([
  "color",
  "date",
  "date_time",
  "dimension",
  "id",
  "link",
  "number_decimal",
  "number_integer",
  "rating",
  "single_line_text_field",
  "multi_line_text_field",
  "url",
  "volume",
  "weight",
  "collection_reference",
  "customer_reference",
  "file_reference",
  "metaobject_reference",
  "mixed_reference",
  "page_reference",
  "product_reference",
  "product_taxonomy_value_reference",
  "variant_reference",
  "company_reference",
  "article_reference",
]);

export function isKnownType(type: string): boolean {
  if (type.startsWith("list.")) return LIST_TYPES.has(type.slice(5));
  return SCALAR_TYPES.has(type);
}

function parseJson(value: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false, message: `Value is invalid JSON: unexpected token at '${value.slice(0, 40)}'.` };
  }
}

/** Returns an error message for a value that does not match its type, or null when valid. */
function checkScalar(type: string, value: unknown): string | null {
  const s = typeof value === "string" ? value : null;
  switch (type) {
    case "single_line_text_field":
      if (s === null) return "Value must be a string.";
      return /[\r\n]/.test(s) ? "Value must be a single line text string." : null;
    case "multi_line_text_field":
      return s === null ? "Value must be a string." : null;
    case "number_integer":
      return s !== null && /^-?\d+$/.test(s) ? null : "Value must be an integer.";
    case "number_decimal":
      return s !== null && /^-?\d+(\.\d+)?$/.test(s) ? null : "Value must be a decimal.";
    case "boolean":
      return s === "true" || s === "false" ? null : "Value must be true or false.";
    case "url":
      return s !== null && /^(https?:\/\/|mailto:|sms:|tel:)\S+$/.test(s)
        ? null
        : "Value must be a valid URL with one of the following schemes: https, http, mailto, sms, tel.";
    case "date":
      return s !== null && /^\d{4}-\d{2}-\d{2}$/.test(s) ? null : "Value must be in YYYY-MM-DD format.";
    case "date_time":
      return s !== null && !Number.isNaN(Date.parse(s)) ? null : "Value must be in YYYY-MM-DDTHH:MM:SS format.";
    case "color":
      return s !== null && /^#[0-9a-fA-F]{6}$/.test(s) ? null : "Value must be a hex color code (#RRGGBB).";
    default:
      return null;
  }
}

function checkValue(type: string, value: string): string | null {
  if (type === "json") {
    const parsed = parseJson(value);
    return parsed.ok ? null : parsed.message;
  }
  if (type === "rich_text_field") {
    const parsed = parseJson(value);
    if (!parsed.ok) return parsed.message;
    const root = parsed.value as { type?: unknown; children?: unknown } | null;
    return root && typeof root === "object" && root.type === "root" && Array.isArray(root.children)
      ? null
      : "Value must be a rich text object with a root node.";
  }
  if (type.startsWith("list.")) {
    const parsed = parseJson(value);
    if (!parsed.ok) return parsed.message;
    if (!Array.isArray(parsed.value)) return "Value must be an array.";
    for (const item of parsed.value) {
      const err = checkScalar(
        type.slice(5),
        typeof item === "number" || typeof item === "boolean" ? String(item) : item,
      );
      if (err) return `Value contains an invalid element: ${err}`;
    }
    return null;
  }
  return checkScalar(type, value);
}

export function resolveNamespace(ns: string | null | undefined): string {
  if (!ns || ns === "$app") return APP_NAMESPACE;
  return ns.startsWith("$app:") ? `${APP_NAMESPACE}--${ns.slice(5)}` : ns;
}

/**
 * Validates metafield inputs against the owner's existing metafields. `path` prefixes the field
 * path of each userError (e.g. ["metafields"] → ["metafields", "0", "value"]).
 */
export function validateMetafields(
  inputs: MetafieldInput[],
  existing: MetafieldRecord[],
  path: string[] = ["metafields"],
): FieldError[] {
  const errors: FieldError[] = [];
  inputs.forEach((m, i) => {
    const at = (f: string) => [...path, String(i), f];
    const byId = m.id ? existing.find((e) => `gid://shopify/Metafield/${e.id}` === m.id) : undefined;
    if (m.id && !byId) {
      errors.push({ field: at("id"), message: "Metafield does not exist" });
      return;
    }
    const namespace = byId?.namespace ?? resolveNamespace(m.namespace);
    const key = byId?.key ?? m.key ?? "";
    if (!byId) {
      if (!key) errors.push({ field: at("key"), message: "Key can't be blank" });
      else if (key.length < 2) errors.push({ field: at("key"), message: "Key is too short (minimum is 2 characters)" });
      else if (key.length > 64)
        errors.push({ field: at("key"), message: "Key is too long (maximum is 64 characters)" });
      else if (!/^[a-zA-Z0-9_-]+$/.test(key))
        errors.push({ field: at("key"), message: "Key contains one or more invalid characters." });
      if (namespace.length < 3)
        errors.push({ field: at("namespace"), message: "Namespace is too short (minimum is 3 characters)" });
      else if (namespace.length > 255)
        errors.push({ field: at("namespace"), message: "Namespace is too long (maximum is 255 characters)" });
      else if (!/^[a-zA-Z0-9_-]+$/.test(namespace))
        errors.push({ field: at("namespace"), message: "Namespace contains one or more invalid characters." });
    }
    const current = byId ?? existing.find((e) => e.namespace === namespace && e.key === key);
    const type = m.type ?? current?.type;
    if (!type) {
      errors.push({ field: at("type"), message: "Type can't be blank" });
      return;
    }
    if (!isKnownType(type)) {
      errors.push({ field: at("type"), message: `Type name '${type}' is not a valid type.` });
      return;
    }
    if (m.value === null || m.value === undefined || m.value === "") {
      errors.push({ field: at("value"), message: "Value can't be blank" });
      return;
    }
    const err = checkValue(type, m.value);
    if (err) errors.push({ field: at("value"), message: err });
  });
  return errors;
}

/** Applies already-validated inputs (upsert by namespace+key or id); returns the touched keys. */
export function upsertMetafields(state: EmulatorState, list: MetafieldRecord[], inputs: MetafieldInput[]): string[] {
  const now = isoNow();
  const touched: string[] = [];
  for (const m of inputs) {
    const byId = m.id ? list.find((e) => `gid://shopify/Metafield/${e.id}` === m.id) : undefined;
    const namespace = byId?.namespace ?? resolveNamespace(m.namespace);
    const key = byId?.key ?? (m.key as string);
    const current = byId ?? list.find((e) => e.namespace === namespace && e.key === key);
    if (current) {
      current.value = m.value as string;
      if (m.type) current.type = m.type;
      current.updatedAt = now;
    } else {
      list.push({
        id: state.nextId(),
        namespace,
        key,
        type: m.type as string,
        value: m.value as string,
        createdAt: now,
        updatedAt: now,
      });
    }
    touched.push(`${namespace}.${key}`);
  }
  return touched;
}

/** Shopify's `jsonValue`: the value decoded according to its type. */
export function metafieldJsonValue(m: MetafieldRecord): unknown {
  if (
    m.type === "json" ||
    m.type === "rich_text_field" ||
    m.type.startsWith("list.") ||
    m.type === "money" ||
    m.type === "dimension" ||
    m.type === "volume" ||
    m.type === "weight" ||
    m.type === "rating" ||
    m.type === "link"
  ) {
    try {
      return JSON.parse(m.value);
    } catch {
      return m.value;
    }
  }
  if (m.type === "number_integer") return Number.parseInt(m.value, 10);
  if (m.type === "number_decimal") return m.value;
  if (m.type === "boolean") return m.value === "true";
  return m.value;
}
