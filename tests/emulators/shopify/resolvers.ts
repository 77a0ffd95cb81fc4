// Root Query / Mutation resolvers over the in-memory state, plus the field resolver that
// enforces Shopify access scopes and, for fields the emulator does not model, fails the request
// naming the field (strict mode, the default) or answers a type-correct default (strict: false).
import {
  getNamedType,
  GraphQLError,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
} from "graphql";
import { paginate, type ConnectionArgs } from "./connection";
import type { ResolverContext } from "./context";
import { isConnectionType } from "./cost";
import { upsertMetafields, validateMetafields, type MetafieldInput } from "./metafields";
import { createProduct, deleteProduct, normalizeTags, recordWrite, updateProduct, type ProductWrite } from "./products";
import type { AccessRule, AdminSchema } from "./schema";
import { matches, parseSearchQuery, type SearchSpec } from "./search";
import {
  gid,
  isoNow,
  parseGid,
  type CollectionRecord,
  type OrderRecord,
  type PageRecord,
  type ProductRecord,
  type ShopRecord,
} from "./state";
import { webhookSubscriptionMutations, webhookSubscriptionQueries } from "./webhook-subscriptions";
import {
  isModelledResourceType,
  isUntranslatableRecord,
  owningProductId,
  registerResourceTranslations,
  removeResourceTranslations,
  RESOURCE_TYPES,
  translatableById,
  type Translatable,
  type TranslationInput,
  type TranslationUserError,
} from "./translations";
import {
  bulkOperationView,
  collectionView,
  CustomerView,
  MetafieldView,
  OrderView,
  ProductView,
  requireCustomerData,
  shopView,
  translatableResourceView,
  VariantView,
} from "./views";

type Args = Record<string, unknown>;

// ------------------------------------------------------------------ search specs and sorting

const productSearch: SearchSpec<ProductRecord> = {
  freeText: (p) =>
    `${p.title} ${p.vendor} ${p.productType} ${p.tags.join(" ")} ${p.variants.map((v) => v.sku ?? "").join(" ")}`,
  fields: {
    title: { kind: "text", get: (p) => p.title },
    handle: { kind: "keyword", get: (p) => p.handle },
    vendor: { kind: "text", get: (p) => p.vendor },
    product_type: { kind: "text", get: (p) => p.productType },
    tag: { kind: "keyword", get: (p) => p.tags },
    collection_id: { kind: "number", get: (p) => p.collections.map((c) => c.id) },
    status: { kind: "keyword", get: (p) => p.status },
    sku: { kind: "keyword", get: (p) => p.variants.map((v) => v.sku ?? "") },
    barcode: { kind: "keyword", get: (p) => p.variants.map((v) => v.barcode ?? "") },
    id: { kind: "number", get: (p) => p.id },
    created_at: { kind: "date", get: (p) => p.createdAt },
    updated_at: { kind: "date", get: (p) => p.updatedAt },
    published_at: { kind: "date", get: (p) => p.publishedAt },
    inventory_total: { kind: "number", get: (p) => p.variants.reduce((s, v) => s + v.inventoryQuantity, 0) },
    gift_card: { kind: "keyword", get: () => "false" },
    published_status: {
      kind: "keyword",
      get: (p) => (p.publishedAt && p.status === "ACTIVE" ? ["published", "any"] : ["unpublished", "any"]),
    },
  },
};

const collectionSearch: SearchSpec<CollectionRecord> = {
  freeText: (c) => c.title,
  fields: {
    title: { kind: "text", get: (c) => c.title },
    handle: { kind: "keyword", get: (c) => c.handle },
    id: { kind: "number", get: (c) => c.id },
  },
};

// https://shopify.dev/docs/api/admin-graphql/latest/queries/pages: the `query` filters the schema
// documents that the emulator models (default free text, handle, id, title, created_at, updated_at).
const pageSearch: SearchSpec<PageRecord> = {
  freeText: (pg) => `${pg.title} ${pg.bodyHtml}`,
  fields: {
    title: { kind: "text", get: (pg) => pg.title },
    handle: { kind: "keyword", get: (pg) => pg.handle },
    id: { kind: "number", get: (pg) => pg.id },
  },
};

/** https://shopify.dev/docs/api/admin-graphql/latest/objects/Page: the fields the emulator models. */
function pageView(pg: PageRecord) {
  return {
    __typename: "Page",
    id: gid("Page", pg.id),
    title: pg.title,
    handle: pg.handle,
    body: pg.bodyHtml,
    createdAt: pg.createdAt,
    updatedAt: pg.updatedAt,
  };
}

const FULFILLMENT_SEARCH: Record<string, string[]> = {
  FULFILLED: ["shipped", "fulfilled"],
  PARTIALLY_FULFILLED: ["partial"],
  UNFULFILLED: ["unshipped", "unfulfilled"],
};

const orderSearch: SearchSpec<OrderRecord> = {
  freeText: (o) => `${o.name} ${o.email ?? ""} ${o.customer?.firstName ?? ""} ${o.customer?.lastName ?? ""}`,
  fields: {
    name: { kind: "keyword", get: (o) => [o.name, String(o.number)] },
    email: { kind: "keyword", get: (o) => o.email },
    financial_status: { kind: "keyword", get: (o) => o.financialStatus.toLowerCase() },
    fulfillment_status: {
      kind: "keyword",
      get: (o) => [...(FULFILLMENT_SEARCH[o.fulfillmentStatus] ?? []), o.fulfillmentStatus.toLowerCase(), "any"],
    },
    status: { kind: "keyword", get: (o) => [o.cancelledAt ? "cancelled" : o.closedAt ? "closed" : "open", "any"] },
    created_at: { kind: "date", get: (o) => o.createdAt },
    updated_at: { kind: "date", get: (o) => o.updatedAt },
    processed_at: { kind: "date", get: (o) => o.processedAt },
    id: { kind: "number", get: (o) => o.id },
    customer_id: { kind: "number", get: (o) => o.customer?.id ?? null },
    tag: { kind: "keyword", get: (o) => o.tags },
    sku: { kind: "keyword", get: (o) => o.lineItems.map((li) => li.sku ?? "") },
    test: { kind: "keyword", get: (o) => String(o.test) },
  },
};

type SortValue = string | number;
const productSortValue: Record<string, (p: ProductRecord) => SortValue> = {
  ID: (p) => p.id,
  RELEVANCE: (p) => p.id,
  TITLE: (p) => p.title.toLowerCase(),
  CREATED_AT: (p) => p.createdAt,
  UPDATED_AT: (p) => p.updatedAt,
  PUBLISHED_AT: (p) => p.publishedAt ?? "",
  VENDOR: (p) => p.vendor.toLowerCase(),
  PRODUCT_TYPE: (p) => p.productType.toLowerCase(),
  INVENTORY_TOTAL: (p) => p.variants.reduce((s, v) => s + v.inventoryQuantity, 0),
};
const orderSortValue: Record<string, (o: OrderRecord) => SortValue> = {
  ID: (o) => o.id,
  RELEVANCE: (o) => o.id,
  CREATED_AT: (o) => o.createdAt,
  UPDATED_AT: (o) => o.updatedAt,
  PROCESSED_AT: (o) => o.processedAt,
  ORDER_NUMBER: (o) => o.number,
  TOTAL_PRICE: (o) => Number(o.totalPrice),
  CURRENT_TOTAL_PRICE: (o) => Number(o.totalPrice),
  FINANCIAL_STATUS: (o) => o.financialStatus,
  FULFILLMENT_STATUS: (o) => o.fulfillmentStatus,
  CUSTOMER_NAME: (o) => `${o.customer?.firstName ?? ""} ${o.customer?.lastName ?? ""}`.toLowerCase(),
  TOTAL_ITEMS_QUANTITY: (o) => o.lineItems.reduce((s, li) => s + li.quantity, 0),
};

function sortedPage<T extends { id: number }, V>(
  records: Iterable<T>,
  args: Args,
  spec: SearchSpec<T>,
  sortValues: Record<string, (r: T) => SortValue>,
  toView: (r: T) => V,
  ctx: ResolverContext,
) {
  const node = parseSearchQuery(args.query as string | undefined);
  const valueOf = sortValues[(args.sortKey as string | undefined) ?? "ID"] ?? sortValues.ID!;
  const list: Array<{ r: T; v: SortValue }> = [];
  for (const r of records) if (matches(node, r, spec)) list.push({ r, v: valueOf(r) });
  // Records are stored in id order (ids only grow), so the default ID sort needs no work.
  const sortKey = (args.sortKey as string | undefined) ?? "ID";
  if (sortKey !== "ID" && sortKey !== "RELEVANCE")
    list.sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : a.r.id - b.r.id));
  if (args.reverse) list.reverse();
  return paginate(
    list,
    args as ConnectionArgs,
    (x) => ({ id: x.r.id, value: x.v }),
    (x) => toView(x.r),
    {
      bulk: ctx.bulk,
      descending: Boolean(args.reverse),
    },
  );
}

function countMatching<T>(records: Iterable<T>, query: unknown, spec: SearchSpec<T>, limit: unknown) {
  const node = parseSearchQuery(query as string | undefined);
  const max = typeof limit === "number" ? limit : 10000;
  let n = 0;
  for (const r of records) if (matches(node, r, spec)) n++;
  return n > max ? { count: max, precision: "AT_LEAST" } : { count: n, precision: "EXACT" };
}

// ------------------------------------------------------------------ lookups

function productByGid(shop: ShopRecord, id: unknown): ProductRecord | undefined {
  const parsed = parseGid(id);
  if (!parsed || (parsed.type && parsed.type !== "Product")) return undefined;
  return shop.products.get(parsed.id);
}

function resolveNode(ctx: ResolverContext, id: unknown): unknown {
  const parsed = parseGid(id);
  if (!parsed) return null;
  const shop = ctx.shop;
  switch (parsed.type) {
    case "Product": {
      const p = shop.products.get(parsed.id);
      return p ? new ProductView(shop, p) : null;
    }
    case "ProductVariant": {
      for (const p of shop.products.values()) {
        const v = p.variants.find((x) => x.id === parsed.id);
        if (v) return new VariantView(shop, p, v);
      }
      return null;
    }
    case "Order": {
      const o = shop.orders.get(parsed.id);
      return o ? new OrderView(shop, o) : null;
    }
    case "Customer": {
      for (const c of shop.customers.values()) if (c.id === parsed.id) return new CustomerView(shop, c);
      return null;
    }
    case "Metafield": {
      for (const p of shop.products.values()) {
        const m = p.metafields.find((x) => x.id === parsed.id);
        if (m) return new MetafieldView(m, new ProductView(shop, p), "PRODUCT");
      }
      return null;
    }
    case "BulkOperation": {
      const op = shop.bulkOperations.get(parsed.id);
      return op ? bulkOperationView(ctx, op) : null;
    }
    case "Shop":
      return parsed.id === shop.id ? shopView(shop) : null;
    default:
      return null;
  }
}

function userError(field: string[] | null, message: string) {
  return { field, message };
}

// ------------------------------------------------------------------ root types

export const queryRoot = {
  ...webhookSubscriptionQueries,
  shop: (_: Args, ctx: ResolverContext) => shopView(ctx.shop),
  // `published: true` means "only published"; the schema default false means "all locales".
  shopLocales: (args: Args, ctx: ResolverContext) =>
    ctx.shop.locales
      .filter((l) => args.published !== true || l.published)
      .map((l) => ({ ...l, marketWebPresences: [] })),
  currentAppInstallation: (_: Args, ctx: ResolverContext) => ({
    __typename: "AppInstallation",
    id: gid("AppInstallation", ctx.shop.id),
    accessScopes: [...(ctx.scopes ?? ctx.shop.scopes)].map((handle) => ({ handle, description: handle })),
    activeSubscriptions: [],
    launchUrl: `https://admin.shopify.com/store/${ctx.shop.domain.replace(/\.myshopify\.com$/, "")}/apps`,
    app: {
      __typename: "App",
      id: gid("App", 1),
      title: ctx.runtime.appName,
      handle: ctx.runtime.appName.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      apiKey: ctx.runtime.apiKey,
    },
  }),
  product: (args: Args, ctx: ResolverContext) => {
    const p = productByGid(ctx.shop, args.id);
    return p ? new ProductView(ctx.shop, p) : null;
  },
  productByHandle: (args: Args, ctx: ResolverContext) => {
    const p = [...ctx.shop.products.values()].find((x) => x.handle === args.handle);
    return p ? new ProductView(ctx.shop, p) : null;
  },
  productByIdentifier: (args: Args, ctx: ResolverContext) => {
    const ident = args.identifier as { id?: string; handle?: string };
    const p = ident.id
      ? productByGid(ctx.shop, ident.id)
      : [...ctx.shop.products.values()].find((x) => x.handle === ident.handle);
    return p ? new ProductView(ctx.shop, p) : null;
  },
  products: (args: Args, ctx: ResolverContext) =>
    sortedPage(
      ctx.shop.products.values(),
      args,
      productSearch,
      productSortValue,
      (p) => new ProductView(ctx.shop, p),
      ctx,
    ),
  collections: (args: Args, ctx: ResolverContext) =>
    sortedPage(
      [...ctx.shop.collections.values()].sort((a, b) => a.id - b.id),
      args,
      collectionSearch,
      { ID: (c) => c.id, RELEVANCE: (c) => c.id, TITLE: (c) => c.title.toLowerCase() },
      collectionView,
      ctx,
    ),
  // https://shopify.dev/docs/api/admin-graphql/latest/queries/pages (PageSortKeys: ID, PUBLISHED_AT,
  // TITLE, UPDATED_AT; the emulator does not model publishing, so PUBLISHED_AT is refused).
  pages: (args: Args, ctx: ResolverContext) => {
    if (args.sortKey === "PUBLISHED_AT" || args.savedSearchId != null) {
      throw new GraphQLError("Emulator does not model pages(sortKey: PUBLISHED_AT) or saved searches", {
        extensions: { code: "EMULATOR_UNMODELLED" },
      });
    }
    return sortedPage(
      ctx.shop.pages.values(),
      args,
      pageSearch,
      { ID: (pg) => pg.id, TITLE: (pg) => pg.title.toLowerCase(), UPDATED_AT: (pg) => pg.updatedAt },
      pageView,
      ctx,
    );
  },
  productsCount: (args: Args, ctx: ResolverContext) =>
    countMatching(ctx.shop.products.values(), args.query, productSearch, args.limit),
  order: (args: Args, ctx: ResolverContext) => {
    requireCustomerData(ctx.shop, "Order");
    const parsed = parseGid(args.id);
    const o = parsed && (!parsed.type || parsed.type === "Order") ? ctx.shop.orders.get(parsed.id) : undefined;
    return o ? new OrderView(ctx.shop, o) : null;
  },
  orders: (args: Args, ctx: ResolverContext) =>
    requireCustomerData(ctx.shop, "Order") ??
    sortedPage(ctx.shop.orders.values(), args, orderSearch, orderSortValue, (o) => new OrderView(ctx.shop, o), ctx),
  customer: (args: Args, ctx: ResolverContext) => {
    requireCustomerData(ctx.shop, "Customer");
    const parsed = parseGid(args.id);
    for (const c of ctx.shop.customers.values()) if (c.id === parsed?.id) return new CustomerView(ctx.shop, c);
    return null;
  },
  ordersCount: (args: Args, ctx: ResolverContext) =>
    countMatching(ctx.shop.orders.values(), args.query, orderSearch, args.limit),
  node: (args: Args, ctx: ResolverContext) => resolveNode(ctx, args.id),
  nodes: (args: Args, ctx: ResolverContext) => (args.ids as unknown[]).map((id) => resolveNode(ctx, id)),
  // https://shopify.dev/docs/api/admin-graphql/latest/queries/translatableResource
  translatableResource: (args: Args, ctx: ResolverContext) => {
    const t = translatableById(ctx.shop, args.resourceId);
    return t ? translatableResourceView(ctx.shop, t) : null;
  },
  // https://shopify.dev/docs/api/admin-graphql/latest/queries/translatableResources: every resource
  // of one type, paged (at most 250 a page, connection.ts). A type the emulator does not model fails
  // rather than answering an empty list a real shop would not.
  translatableResources: (args: Args, ctx: ResolverContext) => {
    if (!isModelledResourceType(args.resourceType)) {
      throw new GraphQLError(
        `Emulator does not model translatableResources(resourceType: ${String(args.resourceType)})`,
        {
          extensions: { code: "EMULATOR_UNMODELLED" },
        },
      );
    }
    const list = RESOURCE_TYPES[args.resourceType].all(ctx.shop);
    if (args.reverse) list.reverse();
    return paginate(
      list,
      args as ConnectionArgs,
      (t) => ({ id: t.id, value: t.id }),
      (t) => translatableResourceView(ctx.shop, t),
      {
        bulk: ctx.bulk,
        descending: Boolean(args.reverse),
      },
    );
  },
  translatableResourcesByIds: (args: Args, ctx: ResolverContext) => {
    const list = (args.resourceIds as string[])
      .map((id) => translatableById(ctx.shop, id))
      .filter((t): t is Translatable => Boolean(t));
    return paginate(
      list,
      args as ConnectionArgs,
      (t) => ({ id: t.id, value: t.id }),
      (t) => translatableResourceView(ctx.shop, t),
      { bulk: ctx.bulk },
    );
  },
  currentBulkOperation: (args: Args, ctx: ResolverContext) => {
    const type = (args.type as string | undefined) ?? "QUERY";
    let latest = null;
    for (const op of ctx.shop.bulkOperations.values()) if (op.type === type) latest = op;
    return latest ? bulkOperationView(ctx, latest) : null;
  },
  bulkOperation: (args: Args, ctx: ResolverContext) => {
    const parsed = parseGid(args.id);
    const op = parsed ? ctx.shop.bulkOperations.get(parsed.id) : undefined;
    return op ? bulkOperationView(ctx, op) : null;
  },
  bulkOperations: (args: Args, ctx: ResolverContext) => {
    const list = [...ctx.shop.bulkOperations.values()].reverse();
    return paginate(
      list,
      args as ConnectionArgs,
      (o) => ({ id: o.id, value: o.id }),
      (o) => bulkOperationView(ctx, o),
      { bulk: ctx.bulk, descending: true },
    );
  },
};

function productInput(args: Args): ProductWrite {
  return ((args.product ?? args.input ?? {}) as ProductWrite) ?? {};
}

export const mutationRoot = {
  ...webhookSubscriptionMutations,
  productCreate: (args: Args, ctx: ResolverContext) => {
    const result = createProduct(ctx.state, ctx.shop, productInput(args), {
      source: "graphql",
      operation: "productCreate",
    });
    return result.ok
      ? { product: new ProductView(ctx.shop, result.product), shop: shopView(ctx.shop), userErrors: [] }
      : { product: null, shop: shopView(ctx.shop), userErrors: result.errors };
  },
  productUpdate: (args: Args, ctx: ResolverContext) => {
    const input = productInput(args) as ProductWrite & { id?: string };
    const ident = args.identifier as { id?: string; handle?: string } | undefined;
    const id = ident?.id ?? input.id;
    const existing = ident?.handle
      ? [...ctx.shop.products.values()].find((p) => p.handle === ident.handle)
      : productByGid(ctx.shop, id);
    if (!existing) {
      return { product: null, userErrors: [userError(["id"], "Product does not exist")] };
    }
    const { id: _ignored, ...changes } = input;
    const result = updateProduct(ctx.state, ctx.shop, existing, changes, {
      source: "graphql",
      operation: "productUpdate",
    });
    return result.ok
      ? { product: new ProductView(ctx.shop, result.product), userErrors: [] }
      : { product: null, userErrors: result.errors };
  },
  productDelete: (args: Args, ctx: ResolverContext) => {
    const id = (args.input as { id: string }).id;
    const p = productByGid(ctx.shop, id);
    if (!p)
      return {
        deletedProductId: null,
        shop: shopView(ctx.shop),
        userErrors: [userError(["id"], "Product does not exist")],
      };
    deleteProduct(ctx.state, ctx.shop, p.id);
    return {
      deletedProductId: gid("Product", p.id),
      productDeleteOperation: null,
      shop: shopView(ctx.shop),
      userErrors: [],
    };
  },
  tagsAdd: (args: Args, ctx: ResolverContext) => tagsChange(args, ctx, "add"),
  tagsRemove: (args: Args, ctx: ResolverContext) => tagsChange(args, ctx, "remove"),
  metafieldsSet: (args: Args, ctx: ResolverContext) => {
    const inputs = args.metafields as Array<MetafieldInput & { ownerId: string; compareDigest?: string | null }>;
    const errors: Array<{ field: string[] | null; message: string; code: string; elementIndex: number }> = [];
    if (inputs.length > 25) {
      return {
        metafields: null,
        userErrors: [
          {
            field: ["metafields"],
            message: "Exceeded the maximum metafields input limit of 25.",
            code: "LESS_THAN_OR_EQUAL_TO",
            elementIndex: null,
          },
        ],
      };
    }
    inputs.forEach((m, i) => {
      const owner = productByGid(ctx.shop, m.ownerId);
      if (!owner) {
        errors.push({
          field: ["metafields", String(i), "ownerId"],
          message: "Owner does not exist.",
          code: "INVALID",
          elementIndex: i,
        });
        return;
      }
      for (const e of validateMetafields([m], owner.metafields, ["metafields", String(i)])) {
        const f = e.field ? [e.field[0] as string, String(i), ...e.field.slice(2)] : null;
        errors.push({
          field: f,
          message: e.message,
          code: e.message.includes("blank") ? "BLANK" : "INVALID_VALUE",
          elementIndex: i,
        });
      }
    });
    if (errors.length) return { metafields: null, userErrors: errors };
    const out: MetafieldView[] = [];
    for (const m of inputs) {
      const owner = productByGid(ctx.shop, m.ownerId) as ProductRecord;
      const [key] = upsertMetafields(ctx.state, owner.metafields, [m]);
      const record = owner.metafields.find((x) => `${x.namespace}.${x.key}` === key);
      if (record) out.push(new MetafieldView(record, new ProductView(ctx.shop, owner), "PRODUCT"));
      recordWrite(owner, { at: isoNow(), source: "graphql", operation: "metafieldsSet", fields: [`metafield:${key}`] });
    }
    return { metafields: out, userErrors: [] };
  },
  metafieldsDelete: (args: Args, ctx: ResolverContext) => {
    const deleted = (args.metafields as Array<{ ownerId: string; namespace: string; key: string }>).map((m) => {
      const owner = productByGid(ctx.shop, m.ownerId);
      const idx = owner?.metafields.findIndex((x) => x.namespace === m.namespace && x.key === m.key) ?? -1;
      if (!owner || idx === -1) return null;
      owner.metafields.splice(idx, 1);
      return { ownerId: m.ownerId, namespace: m.namespace, key: m.key };
    });
    return { deletedMetafields: deleted, userErrors: [] };
  },
  // https://shopify.dev/docs/api/admin-graphql/latest/mutations/translationsRegister: all or none
  // for its resource. Each aliased translationsRegister of a request runs on its own (GraphQL
  // executes every root field of a mutation in turn, https://spec.graphql.org/October2021/#sec-Mutation),
  // so one alias refused leaves the others' translations stored.
  translationsRegister: (args: Args, ctx: ResolverContext, info?: GraphQLResolveInfo) => {
    const inputs = (args.translations as TranslationInput[] | undefined) ?? [];
    const answer = registerOne(args, ctx, inputs);
    ctx.registered?.push({
      alias: String(info?.path.key ?? "translationsRegister"),
      resourceId: String(args.resourceId),
      productId: owningProductId(ctx.shop, args.resourceId),
      translations: inputs.map((x) => `${x.locale}.${x.key}`),
      userErrors: answer.userErrors.map((e) => e.code),
    });
    return answer;
  },
  translationsRemove: (args: Args, ctx: ResolverContext) => {
    const t = translatableById(ctx.shop, args.resourceId);
    if (!t) {
      return {
        translations: null,
        userErrors: [{ field: ["resourceId"], message: "Resource does not exist", code: "RESOURCE_NOT_FOUND" }],
      };
    }
    return {
      translations: removeResourceTranslations(ctx.shop, t, args.translationKeys as string[], args.locales as string[]),
      userErrors: [],
    };
  },
  bulkOperationRunQuery: (args: Args, ctx: ResolverContext) => {
    const result = ctx.runtime.startBulkQuery(ctx.shop, args.query as string);
    if ("error" in result) return { bulkOperation: null, userErrors: [result.error] };
    return { bulkOperation: bulkOperationView(ctx, result), userErrors: [] };
  },
  bulkOperationCancel: (args: Args, ctx: ResolverContext) => {
    const parsed = parseGid(args.id);
    const op = parsed ? ctx.shop.bulkOperations.get(parsed.id) : undefined;
    if (!op) return { bulkOperation: null, userErrors: [userError(["id"], "Bulk operation does not exist")] };
    if (op.status !== "CREATED" && op.status !== "RUNNING") {
      return {
        bulkOperation: bulkOperationView(ctx, op),
        userErrors: [userError(null, `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}`)],
      };
    }
    ctx.runtime.cancelBulk(ctx.shop, op.id);
    return { bulkOperation: bulkOperationView(ctx, op), userErrors: [] };
  },
};

function tagsChange(args: Args, ctx: ResolverContext, mode: "add" | "remove") {
  const p = productByGid(ctx.shop, args.id);
  if (!p) return { node: null, userErrors: [userError(["id"], "Product does not exist")] };
  const tags = normalizeTags(args.tags as string[]);
  const lower = new Set(tags.map((t) => t.toLowerCase()));
  const next = mode === "add" ? [...p.tags, ...tags] : p.tags.filter((t) => !lower.has(t.toLowerCase()));
  updateProduct(
    ctx.state,
    ctx.shop,
    p,
    { tags: next },
    { source: "graphql", operation: mode === "add" ? "tagsAdd" : "tagsRemove" },
  );
  return { node: new ProductView(ctx.shop, p), userErrors: [] };
}

// ------------------------------------------------------------------ field resolver

const SCALAR_DEFAULTS: Record<string, unknown> = {
  String: "",
  ID: "",
  Int: 0,
  Float: 0,
  Boolean: false,
  DateTime: "1970-01-01T00:00:00Z",
  Date: "1970-01-01",
  Decimal: "0.0",
  Money: "0.0",
  UnsignedInt64: "0",
  JSON: {},
  HTML: "",
  URL: "",
  FormattedString: "",
};

/** Value for a field the emulator does not model: null when allowed, else a harmless default. */
function defaultFor(type: GraphQLOutputType): unknown {
  if (!isNonNullType(type)) return null;
  const inner = type.ofType;
  if (isListType(inner)) return [];
  if (isScalarType(inner)) return SCALAR_DEFAULTS[inner.name] ?? "";
  if (isEnumType(inner)) return inner.getValues()[0]?.value ?? null;
  if (isObjectType(inner) && isConnectionType(inner)) {
    return {
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    };
  }
  if (isObjectType(inner)) return {};
  return null;
}

type AccessCache = WeakMap<object, Map<string, AccessRule | null>>;

function accessRuleFor(admin: AdminSchema, cache: AccessCache, info: GraphQLResolveInfo): AccessRule | null {
  let byField = cache.get(info.parentType);
  if (!byField) cache.set(info.parentType, (byField = new Map()));
  let rule = byField.get(info.fieldName);
  if (rule === undefined) {
    rule = admin.fieldAccess.get(`${info.parentType.name}.${info.fieldName}`) ?? null;
    if (!rule) {
      let named = getNamedType(info.returnType);
      if (isConnectionType(named)) {
        const nodes = named.getFields().nodes;
        if (nodes) named = getNamedType(nodes.type);
      }
      rule = admin.typeAccess.get(named.name) ?? null;
    }
    byField.set(info.fieldName, rule);
  }
  return rule;
}

export function createFieldResolver(admin: AdminSchema): GraphQLFieldResolver<unknown, ResolverContext> {
  const accessCache: AccessCache = new WeakMap();
  const rootNames = new Set([admin.schema.getQueryType()?.name, admin.schema.getMutationType()?.name]);
  return (source, args, ctx, info) => {
    if (ctx.scopes) {
      const rule = accessRuleFor(admin, accessCache, info);
      if (rule && !rule.anyOf.some((s) => ctx.scopes?.has(s))) {
        throw new GraphQLError(`Access denied for ${info.fieldName} field. Required access: ${rule.text}`, {
          extensions: {
            code: "ACCESS_DENIED",
            documentation: "https://shopify.dev/api/usage/access-scopes",
            requiredAccess: rule.text,
          },
        });
      }
    }
    if (source && typeof source === "object") {
      const value = (source as Record<string, unknown>)[info.fieldName];
      if (typeof value === "function")
        return (value as (a: unknown, c: unknown, i: unknown) => unknown).call(source, args, ctx, info);
      if (value !== undefined) return value;
    }
    if (rootNames.has(info.parentType.name)) {
      ctx.unimplemented.push(info.fieldName);
      if (ctx.runtime.strict || isNonNullType(info.returnType)) throw unmodelled(info);
      return null;
    }
    if (ctx.runtime.strict) throw unmodelled(info);
    return defaultFor(info.returnType);
  };
}

/** The error strict mode answers for a field the emulator has no data for (context.ts). */
function unmodelled(info: GraphQLResolveInfo): GraphQLError {
  return new GraphQLError(`Emulator does not model ${info.parentType.name}.${info.fieldName}`, {
    extensions: { code: "EMULATOR_UNMODELLED", typeName: info.parentType.name, fieldName: info.fieldName },
  });
}

function registerOne(args: Args, ctx: ResolverContext, inputs: TranslationInput[]) {
  const t = translatableById(ctx.shop, args.resourceId);
  if (!t) {
    const untranslatable = isUntranslatableRecord(ctx.shop, args.resourceId);
    return {
      translations: null,
      userErrors: [
        untranslatable
          ? { field: ["resourceId"], message: "Resource is not translatable", code: "RESOURCE_NOT_TRANSLATABLE" }
          : { field: ["resourceId"], message: "Resource does not exist", code: "RESOURCE_NOT_FOUND" },
      ],
    };
  }
  const result = registerResourceTranslations(ctx.shop, t, inputs, {
    allowUnpublishedLocales: ctx.runtime.allowUnpublishedLocaleTranslations,
  });
  if (result.errors.length) return { translations: null, userErrors: result.errors };
  const p = productByGid(ctx.shop, args.resourceId);
  if (p) {
    recordWrite(p, {
      at: isoNow(),
      source: "graphql",
      operation: "translationsRegister",
      fields: inputs.map((x) => `translation:${x.locale}.${x.key}`),
    });
  }
  const stored: TranslationUserError[] = [];
  return { translations: result.translations, userErrors: stored };
}
