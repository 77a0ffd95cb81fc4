// Product writes shared by the GraphQL mutations and the control API. Every successful write
// records a history entry and emits the matching webhook (products/create|update|delete),
// including writes made by the app itself — Shopify echoes those too.
import { upsertMetafields, validateMetafields, type FieldError, type MetafieldInput } from "./metafields";
import { productDeletePayload, productPayload } from "./payloads";
import { storedHtml } from "./stored-html";
import {
  isoNow,
  type CollectionRecord,
  type EmulatorState,
  type ImageRecord,
  type OptionRecord,
  type ProductRecord,
  type ProductStatus,
  type ShopRecord,
  type VariantRecord,
  type WriteSource,
} from "./state";

/** Union of ProductCreateInput / ProductUpdateInput fields plus control-API conveniences. */
export interface ProductWrite {
  title?: string | null;
  descriptionHtml?: string | null;
  handle?: string | null;
  vendor?: string | null;
  productType?: string | null;
  tags?: string[] | string | null;
  status?: ProductStatus | null;
  seo?: { title?: string | null; description?: string | null } | null;
  templateSuffix?: string | null;
  metafields?: MetafieldInput[] | null;
  productOptions?: Array<{ name: string; values?: Array<{ name: string }> | null }> | null;
  // Control-API only (fixtures):
  options?: Array<{ name: string; values: string[] }>;
  variants?: Array<{
    title?: string;
    sku?: string | null;
    price?: string | number;
    compareAtPrice?: string | null;
    inventoryQuantity?: number;
    options?: string[];
  }>;
  images?: Array<{ url: string; altText?: string | null; width?: number; height?: number }>;
  collections?: Array<{ title: string; handle?: string }>;
  createdAt?: string;
  updatedAt?: string;
}

/** Write history kept per product (oldest dropped) so long sandbox sessions stay bounded. */
const MAX_HISTORY = 200;

export function recordWrite(product: ProductRecord, entry: ProductRecord["history"][number]): void {
  product.history.push(entry);
  if (product.history.length > MAX_HISTORY) product.history.splice(0, product.history.length - MAX_HISTORY);
}

export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "product";
}

function uniqueHandle(shop: ShopRecord, base: string, selfId?: number): string {
  const taken = new Set<string>();
  for (const p of shop.products.values()) if (p.id !== selfId) taken.add(p.handle);
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

export function normalizeTags(tags: string[] | string | null | undefined): string[] {
  if (!tags) return [];
  const list = (Array.isArray(tags) ? tags : [tags]).flatMap((t) => t.split(","));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list) {
    const t = raw.trim();
    if (t && !seen.has(t.toLowerCase())) {
      seen.add(t.toLowerCase());
      out.push(t);
    }
  }
  return out;
}

/** Shopify's plain-text `description`: tags stripped, entities decoded, whitespace collapsed. */
export function plainText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<br\s*\/?>|<\/p>|<\/div>|<\/li>|<\/h\d>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
}

function validateWrite(shop: ShopRecord, input: ProductWrite, existing: ProductRecord | null): FieldError[] {
  const errors: FieldError[] = [];
  if (!existing && (input.title === undefined || input.title === null || input.title.trim() === "")) {
    errors.push({ field: ["title"], message: "Title can't be blank" });
  } else if (existing && input.title !== undefined && (input.title === null || input.title.trim() === "")) {
    errors.push({ field: ["title"], message: "Title can't be blank" });
  }
  if (input.title && input.title.length > 255)
    errors.push({ field: ["title"], message: "Title is too long (maximum is 255 characters)" });
  if (input.vendor && input.vendor.length > 255)
    errors.push({ field: ["vendor"], message: "Vendor is too long (maximum is 255 characters)" });
  if (input.handle) {
    const clash = [...shop.products.values()].find((p) => p.handle === input.handle && p.id !== existing?.id);
    if (clash)
      errors.push({
        field: ["handle"],
        message: `Handle '${input.handle}' already in use. Please provide a new handle.`,
      });
  }
  if (input.metafields?.length) errors.push(...validateMetafields(input.metafields, existing?.metafields ?? []));
  return errors;
}

function buildOptionsAndVariants(
  state: EmulatorState,
  input: ProductWrite,
  now: string,
): { options: OptionRecord[]; variants: VariantRecord[] } {
  const optionSpecs: Array<{ name: string; values: string[] }> =
    input.options ??
    input.productOptions?.map((o) => ({ name: o.name, values: (o.values ?? []).map((v) => v.name) })) ??
    [];
  const options: OptionRecord[] = (
    optionSpecs.length ? optionSpecs : [{ name: "Title", values: ["Default Title"] }]
  ).map((o, i) => ({
    id: state.nextId(),
    name: o.name,
    position: i + 1,
    values: o.values.map((name) => ({ id: state.nextId(), name })),
  }));
  // Shopify creates only the first combination as a variant when options are given.
  const variantSpecs = input.variants?.length
    ? input.variants
    : [{ options: options.map((o) => o.values[0]?.name ?? "Default Title") }];
  const variants = variantSpecs.map((v, i): VariantRecord => {
    const values = v.options ?? options.map((o) => o.values[0]?.name ?? "Default Title");
    values.forEach((value, idx) => {
      const opt = options[idx];
      if (opt && !opt.values.some((x) => x.name === value)) opt.values.push({ id: state.nextId(), name: value });
    });
    return {
      id: state.nextId(),
      inventoryItemId: state.nextId(),
      title: v.title ?? values.join(" / "),
      sku: v.sku ?? null,
      barcode: null,
      price: v.price === undefined ? "0.00" : Number(v.price).toFixed(2),
      compareAtPrice: v.compareAtPrice ?? null,
      position: i + 1,
      inventoryQuantity: v.inventoryQuantity ?? 0,
      selectedOptions: values.map((value, idx) => ({ name: options[idx]?.name ?? "Title", value })),
      createdAt: now,
      updatedAt: now,
    };
  });
  return { options, variants };
}

function buildImages(state: EmulatorState, images: ProductWrite["images"], now: string): ImageRecord[] {
  return (images ?? []).map((img) => ({
    id: state.nextId(),
    imageId: state.nextId(),
    url: img.url,
    altText: img.altText ?? null,
    width: img.width ?? 1024,
    height: img.height ?? 1024,
    createdAt: now,
  }));
}

export type WriteResult = { ok: true; product: ProductRecord } | { ok: false; errors: FieldError[] };

export interface WriteOptions {
  source: WriteSource;
  operation: string;
  /** Skip the webhook (fixtures / bulk seeding). */
  silent?: boolean;
}

/** A collection is one record per handle in a shop, whichever products it holds. */
function collectionFor(state: EmulatorState, shop: ShopRecord, input: { title: string; handle?: string }) {
  const handle = input.handle ?? slugify(input.title);
  for (const collection of shop.collections.values()) if (collection.handle === handle) return collection;
  const collection: CollectionRecord = {
    id: state.nextId(),
    title: input.title,
    handle,
    descriptionHtml: "",
    seo: { title: null, description: null },
    updatedAt: isoNow(),
  };
  shop.collections.set(collection.id, collection);
  return collection;
}

export function createProduct(
  state: EmulatorState,
  shop: ShopRecord,
  input: ProductWrite,
  opts: WriteOptions,
): WriteResult {
  const errors = validateWrite(shop, input, null);
  if (errors.length) return { ok: false, errors };
  const now = input.createdAt ?? isoNow();
  const status = input.status ?? "ACTIVE";
  const title = (input.title as string).trim();
  const { options, variants } = buildOptionsAndVariants(state, input, now);
  const product: ProductRecord = {
    id: state.nextId(),
    title,
    handle: input.handle || uniqueHandle(shop, slugify(title)),
    vendor: input.vendor ?? shop.name,
    productType: input.productType ?? "",
    tags: normalizeTags(input.tags),
    status,
    // Stored as Shopify stores it (re-serialised), so every read, webhook and digest sees that form.
    descriptionHtml: storedHtml(input.descriptionHtml ?? ""),
    seo: { title: input.seo?.title || null, description: input.seo?.description || null },
    templateSuffix: input.templateSuffix ?? null,
    options,
    variants,
    images: buildImages(state, input.images, now),
    metafields: [],
    collections: (input.collections ?? []).map((c) => collectionFor(state, shop, c)),
    translations: new Map(),
    createdAt: now,
    updatedAt: input.updatedAt ?? now,
    publishedAt: status === "ACTIVE" ? now : null,
    history: [],
  };
  if (input.metafields?.length) upsertMetafields(state, product.metafields, input.metafields);
  recordWrite(product, { at: now, source: opts.source, operation: opts.operation, fields: Object.keys(input) });
  shop.products.set(product.id, product);
  if (!opts.silent) state.emit(shop.domain, "products/create", productPayload(shop, product));
  return { ok: true, product };
}

export function updateProduct(
  state: EmulatorState,
  shop: ShopRecord,
  product: ProductRecord,
  input: ProductWrite,
  opts: WriteOptions,
): WriteResult {
  const errors = validateWrite(shop, input, product);
  if (errors.length) return { ok: false, errors };
  const changed: string[] = [];
  const set = <K extends keyof ProductRecord>(key: K, value: ProductRecord[K], name: string = key) => {
    if (JSON.stringify(product[key]) !== JSON.stringify(value)) changed.push(name);
    product[key] = value;
  };
  if (input.title !== undefined && input.title !== null) set("title", input.title.trim());
  if (input.descriptionHtml !== undefined) set("descriptionHtml", storedHtml(input.descriptionHtml ?? ""));
  if (input.handle) set("handle", input.handle);
  if (input.vendor !== undefined) set("vendor", input.vendor ?? "");
  if (input.productType !== undefined) set("productType", input.productType ?? "");
  if (input.tags !== undefined) set("tags", normalizeTags(input.tags));
  if (input.templateSuffix !== undefined) set("templateSuffix", input.templateSuffix);
  if (input.status) {
    set("status", input.status);
    if (input.status === "ACTIVE" && !product.publishedAt) product.publishedAt = isoNow();
  }
  if (input.seo !== undefined) {
    const seo = {
      title: input.seo?.title !== undefined ? input.seo.title || null : product.seo.title,
      description: input.seo?.description !== undefined ? input.seo.description || null : product.seo.description,
    };
    set("seo", seo);
  }
  if (input.images) set("images", buildImages(state, input.images, isoNow()));
  if (input.metafields?.length) {
    for (const key of upsertMetafields(state, product.metafields, input.metafields)) changed.push(`metafield:${key}`);
  }
  const now = input.updatedAt ?? isoNow();
  product.updatedAt = now;
  recordWrite(product, { at: now, source: opts.source, operation: opts.operation, fields: changed });
  if (!opts.silent) state.emit(shop.domain, "products/update", productPayload(shop, product));
  return { ok: true, product };
}

export function deleteProduct(
  state: EmulatorState,
  shop: ShopRecord,
  id: number,
  opts: { silent?: boolean } = {},
): boolean {
  const product = shop.products.get(id);
  if (!product) return false;
  shop.products.delete(id);
  if (!opts.silent) state.emit(shop.domain, "products/delete", productDeletePayload(product));
  return true;
}

/** Fast fixture creation: `{i}` in template strings is replaced by the 1-based index. */
export function createManyProducts(
  state: EmulatorState,
  shop: ShopRecord,
  count: number,
  template: ProductWrite = {},
  opts: { silent?: boolean } = {},
): ProductRecord[] {
  const out: ProductRecord[] = [];
  const start = shop.products.size;
  for (let i = 1; i <= count; i++) {
    const n = start + i;
    const fill = (v: unknown): unknown =>
      typeof v === "string"
        ? v.replaceAll("{i}", String(n))
        : Array.isArray(v)
          ? v.map(fill)
          : v && typeof v === "object"
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]))
            : v;
    const input = fill({
      title: `Product {i}`,
      descriptionHtml: `<p>Description of product {i}.</p>`,
      vendor: "Emulator Supply Co",
      productType: "Widget",
      tags: ["emulator"],
      variants: [{ sku: `SKU-{i}`, price: "19.99" }],
      ...template,
    }) as ProductWrite;
    const result = createProduct(state, shop, input, {
      source: "control",
      operation: "bulkCreate",
      silent: opts.silent,
    });
    if (result.ok) out.push(result.product);
  }
  return out;
}
