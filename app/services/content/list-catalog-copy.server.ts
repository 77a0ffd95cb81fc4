import type { ContentStatus, Prisma } from "@prisma/client";

import type { CatalogProduct, CatalogStore } from "~/services/ports/catalog";
import { PAGE_SIZE, type CopyState, type CopyStatusFilter } from "~/services/content/catalog-copy";
import type { Db } from "~/services/types";

export interface CatalogCopyQuery {
  search: string;
  status: CopyStatusFilter;
  /** Only products with (true) or without (false) a description in the store; null for both. */
  hasDescription: boolean | null;
  collectionId: string | null;
  /** An opaque cursor from a previous page's `next` or `previous`. */
  after: string | null;
  before: string | null;
}

export interface CatalogCopyRow {
  productId: string;
  title: string;
  /** Null when the product is gone from the store (its copy record outlives it). */
  hasDescription: boolean | null;
  adminUrl: string | null;
  productContentId: string | null;
  state: CopyState;
  live: { version: number; publishedAt: Date | null } | null;
}

export interface CatalogCopyPage {
  rows: CatalogCopyRow[];
  /** Cursors for the next and previous pages, or null at either end. */
  next: string | null;
  previous: string | null;
}

/** Shopify pages read per list page when the app filters them further (each call costs budget). */
const MAX_CATALOG_READS = 4;
const FILTERED_READ_SIZE = 50;

const PENDING_DRAFT = { status: { in: ["DRAFT", "PUBLISHING"] } } satisfies Prisma.ContentVersionWhereInput;

const recordSelect = {
  id: true,
  productId: true,
  title: true,
  status: true,
  skippedReason: true,
  liveVersionId: true,
  versions: {
    where: { OR: [PENDING_DRAFT, { status: "LIVE" }] },
    select: { version: true, status: true, publishedAt: true },
    orderBy: { version: "desc" },
  },
} satisfies Prisma.ProductContentSelect;

type CopyRecord = Prisma.ProductContentGetPayload<{ select: typeof recordSelect }>;

/**
 * A product's copy state. A pending draft comes first (it waits for the merchant), then what
 * stopped the pipeline, then live copy; a record with none of these has no copy yet.
 */
export function copyStateOf(record: CopyRecord | undefined): CopyState {
  if (!record) return { kind: "none" };
  const draft = record.versions.find((version) => version.status === "DRAFT" || version.status === "PUBLISHING");
  if (draft) return { kind: "draft", version: draft.version };
  const stopped: Partial<Record<ContentStatus, "skipped" | "failed" | "paused">> = {
    SKIPPED: "skipped",
    FAILED: "failed",
    PAUSED: "paused",
  };
  const kind = stopped[record.status];
  if (kind) return { kind, reason: record.skippedReason };
  return record.liveVersionId ? { kind: "live" } : { kind: "none" };
}

function liveOf(record: CopyRecord | undefined) {
  const live = record?.versions.find((version) => version.status === "LIVE");
  return live ? { version: live.version, publishedAt: live.publishedAt } : null;
}

function rowOf(product: CatalogProduct, record: CopyRecord | undefined): CatalogCopyRow {
  return {
    productId: product.id,
    title: product.title,
    hasDescription: product.hasDescription,
    adminUrl: product.adminUrl,
    productContentId: record?.id ?? null,
    state: copyStateOf(record),
    live: liveOf(record),
  };
}

/**
 * One page of the shop's whole catalog with each product's copy state, for the product copy list.
 *
 * Where a page comes from depends on where its filter lives. Every product is in Shopify, but a
 * copy state other than "none" is known only to the app (Postgres). So:
 * - "all" and "No copy yet" page the catalog in Shopify (title search and collection in Shopify's
 *   search syntax) and join each page with the app's records; "No copy yet" and "has description",
 *   which Shopify cannot search by, are applied to the joined page, reading further pages (up to
 *   MAX_CATALOG_READS) to fill it.
 * - Draft pending, live, skipped, failed and paused page the app's records (title search on the
 *   title the app last saw), then read that page's products from Shopify in one nodes(ids:) query
 *   for current titles, descriptions and collection membership; those last two filters may leave
 *   such a page short.
 * Cursors say which of the two they page ("s:" Shopify's, "a:" the app's), so a cursor kept in the
 * URL from another filter starts at the first page instead of failing.
 */
export async function listCatalogCopy({
  db,
  store,
  shop,
  query,
}: {
  db: Db;
  store: CatalogStore;
  shop: string;
  query: CatalogCopyQuery;
}): Promise<CatalogCopyPage> {
  return query.status === "all" || query.status === "none"
    ? pageCatalog({ db, store, shop, query })
    : pageRecords({ db, store, shop, query });
}

const SHOPIFY = "s:";
const APP = "a:";

function cursorOf(prefix: string, cursor: string | null) {
  return cursor?.startsWith(prefix) ? cursor.slice(prefix.length) : null;
}

async function recordsFor(db: Db, shop: string, productIds: string[]) {
  const records = await db.productContent.findMany({
    where: { shopDomain: shop, productId: { in: productIds } },
    select: recordSelect,
  });
  return new Map(records.map((record) => [record.productId, record]));
}

function keeps(query: CatalogCopyQuery, row: CatalogCopyRow) {
  if (query.status === "none" && row.state.kind !== "none") return false;
  return query.hasDescription === null || row.hasDescription === query.hasDescription;
}

async function pageCatalog({
  db,
  store,
  shop,
  query,
}: {
  db: Db;
  store: CatalogStore;
  shop: string;
  query: CatalogCopyQuery;
}) {
  const filtered = query.status === "none" || query.hasDescription !== null;
  const size = filtered ? FILTERED_READ_SIZE : PAGE_SIZE;
  const before = cursorOf(SHOPIFY, query.before);
  const backwards = before !== null;
  const from = backwards ? before : cursorOf(SHOPIFY, query.after);
  let cursor = from;
  const search = { title: query.search, collectionId: query.collectionId };
  const kept: CatalogCopyRow[] = [];
  // The first and last products read, in reading order (backwards, the first is the one nearest the end).
  let firstRead: string | null = null;
  let lastRead: string | null = null;
  let more = false;
  for (let reads = 0; reads < MAX_CATALOG_READS && kept.length < PAGE_SIZE; reads++) {
    const page = await store.searchCatalog(
      search,
      backwards && cursor ? { last: size, before: cursor } : { first: size, after: cursor },
    );
    const records = await recordsFor(
      db,
      shop,
      page.products.map((product) => product.id),
    );
    // Backwards, the page is read from its end, so the products kept are the ones nearest the cursor.
    const scanned = backwards ? [...page.products].reverse() : page.products;
    more = backwards ? page.hasPrevious : page.hasNext;
    for (const [index, product] of scanned.entries()) {
      firstRead ??= product.cursor;
      lastRead = product.cursor;
      const row = rowOf(product, records.get(product.id));
      if (keeps(query, row)) kept.push(row);
      if (kept.length === PAGE_SIZE) {
        more ||= index < scanned.length - 1;
        break;
      }
    }
    cursor = lastRead;
    if (!more) break;
  }
  if (backwards) kept.reverse();
  // A page reached from a cursor has products on the side it came from.
  const [start, end] = (backwards ? [lastRead, firstRead] : [firstRead, lastRead]).map((value) =>
    value ? `${SHOPIFY}${value}` : null,
  );
  const hasNext = backwards || more;
  const hasPrevious = backwards ? more : from !== null;
  return { rows: kept, next: hasNext ? (end ?? null) : null, previous: hasPrevious ? (start ?? null) : null };
}

/** A record whose product is gone from the store: what the app last knew of it. */
function goneRow(record: CopyRecord): CatalogCopyRow {
  return {
    ...rowOf({ id: record.productId, title: record.title, hasDescription: false, adminUrl: "" }, record),
    hasDescription: null,
    adminUrl: null,
  };
}

function recordWhere(shop: string, query: CatalogCopyQuery): Prisma.ProductContentWhereInput {
  const words = query.search.split(/\s+/).filter(Boolean);
  const titled = words.map((word) => ({ title: { contains: word, mode: "insensitive" as const } }));
  const byStatus: Record<Exclude<CopyStatusFilter, "all" | "none">, Prisma.ProductContentWhereInput> = {
    draft: { versions: { some: PENDING_DRAFT } },
    live: { liveVersionId: { not: null } },
    skipped: { status: "SKIPPED", versions: { none: PENDING_DRAFT } },
    failed: { status: "FAILED", versions: { none: PENDING_DRAFT } },
    paused: { status: "PAUSED", versions: { none: PENDING_DRAFT } },
  };
  const status = byStatus[query.status as keyof typeof byStatus];
  return { shopDomain: shop, AND: [status, ...titled] };
}

async function pageRecords({
  db,
  store,
  shop,
  query,
}: {
  db: Db;
  store: CatalogStore;
  shop: string;
  query: CatalogCopyQuery;
}) {
  const before = cursorOf(APP, query.before);
  const after = before ? null : cursorOf(APP, query.after);
  const from = before ?? after;
  // One more than a page tells whether another page follows; a negative take reads backwards.
  const records = await db.productContent.findMany({
    where: recordWhere(shop, query),
    select: recordSelect,
    orderBy: [{ title: "asc" }, { id: "asc" }],
    ...(from ? { cursor: { id: from }, skip: 1 } : {}),
    take: before ? -(PAGE_SIZE + 1) : PAGE_SIZE + 1,
  });
  const more = records.length > PAGE_SIZE;
  const page = before ? records.slice(-PAGE_SIZE) : records.slice(0, PAGE_SIZE);
  const products = new Map(
    (
      await store.productsByIds(
        page.map((record) => record.productId),
        { collectionId: query.collectionId },
      )
    ).map((product) => [product.id, product]),
  );
  const rows = page.flatMap((record): CatalogCopyRow[] => {
    const product = products.get(record.productId);
    // Outside the chosen collection, or (with a collection or description filter) gone from the store.
    if (!product && (query.collectionId || query.hasDescription !== null)) return [];
    const row = product ? rowOf(product, record) : goneRow(record);
    return keeps(query, row) ? [row] : [];
  });
  const firstId = page[0]?.id;
  const lastId = page.at(-1)?.id;
  const hasNext = before ? true : more;
  const hasPrevious = before ? more : Boolean(after);
  return {
    rows,
    next: hasNext && lastId ? `${APP}${lastId}` : null,
    previous: hasPrevious && firstId ? `${APP}${firstId}` : null,
  };
}

/**
 * The product copy list's page: the catalog page and the shop's collections for the filter. Without
 * collections the filter says they could not be loaded; the list itself still shows.
 */
export async function loadProductCopyList(options: {
  db: Db;
  store: CatalogStore;
  shop: string;
  query: CatalogCopyQuery;
  onCollectionsError: (error: unknown) => void;
}) {
  const [page, collections] = await Promise.all([
    listCatalogCopy(options),
    options.store.collections().catch((error: unknown) => {
      options.onCollectionsError(error);
      return null;
    }),
  ]);
  return { ...page, collections };
}
