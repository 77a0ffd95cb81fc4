/**
 * The catalog and its copy, as the content capability sees it, in the app's own terms. The Shopify
 * implementation is integrations/shopify/shopify-catalog.server.ts; another platform adds its own.
 */

/** What copy is written from: the product's facts as the merchant entered them. */
export interface ProductFacts {
  id: string;
  title: string;
  vendor: string;
  productType: string;
  tags: string[];
  options: Array<{ name: string; values: string[] }>;
  variants: Array<{ title: string; sku: string | null; price: string }>;
  imageAltTexts: string[];
  descriptionHtml: string;
}

/**
 * The facts a product's copy depends on, as a store event and a catalog read can both give them
 * (app/services/content/product-fingerprint.ts hashes them).
 */
export interface FingerprintFacts {
  title: string;
  vendor: string;
  productType: string;
  tags: string[];
  options: Array<{ name: string; values: string[] }>;
  variants: Array<{ title: string; sku: string | null }>;
}

/** The structured copy the app publishes for a product. */
export interface ProductCopy {
  descriptionHtml: string;
  shortDescription: string;
  features: string[];
  useCases: string[];
  keywords: string[];
  metaTitle: string;
  metaDescription: string;
  /** Identifies the version written, stored beside the copy. */
  versionMarker: string;
}

/** Which products a catalog read covers, in the app's terms. */
export type CatalogFilter =
  { kind: "all" } | { kind: "collection"; collectionId: string } | { kind: "tag"; tag: string };

/** One product of a catalog read: enough to list it and to tell whether it has a description. */
export interface CatalogEntry {
  id: string;
  title: string;
  hasDescription: boolean;
}

/** What the product copy list asks of the catalog: a title search and, optionally, one collection. */
export interface CatalogSearch {
  /** Words the product's title must contain (every one). */
  title: string;
  collectionId: string | null;
}

/** One product as the product copy list shows it. */
export interface CatalogProduct {
  id: string;
  title: string;
  hasDescription: boolean;
  /** The store's own page for the product (on Shopify, shopify://admin/products/<id>). */
  adminUrl: string;
}

/**
 * A page of the catalog in title order. `cursor` of each product resumes the read right after it
 * (forwards) or right before it (backwards).
 */
export interface CatalogPage {
  products: Array<CatalogProduct & { cursor: string }>;
  hasNext: boolean;
  hasPrevious: boolean;
}

export type PageRequest = { first: number; after: string | null } | { last: number; before: string };

/** A catalog export running in the store (on Shopify, a bulk operation). */
export type CatalogExport =
  | { status: "running"; objectCount: number }
  | { status: "completed"; entries: CatalogEntry[] }
  | { status: "failed" | "canceled"; error: string };

export interface CatalogStore {
  /** The product's facts, or null when it no longer exists. */
  product(productId: string): Promise<ProductFacts | null>;
  /** Writes the copy in one update; returns the description as the store stored it. */
  publishProductCopy(productId: string, copy: ProductCopy): Promise<{ storedDescriptionHtml: string }>;
  /** Which version marker the product carries now (null if none), and its description; null if it is gone. */
  publishedCopy(productId: string): Promise<{ versionMarker: string | null; descriptionHtml: string } | null>;
  /**
   * Each product's description as the store holds it now (whoever wrote it), for many products in
   * as few reads as the store allows; a product that no longer exists is left out of the map.
   */
  currentDescriptions(productIds: string[]): Promise<Map<string, string>>;
  /** How many products the filter matches. */
  countProducts(filter: CatalogFilter): Promise<number>;
  /** One page of matching products, for catalogs small enough to read directly. */
  listProducts(filter: CatalogFilter, after: string | null): Promise<{ entries: CatalogEntry[]; next: string | null }>;
  /** One page of the catalog for the product copy list, searched and in title order. */
  searchCatalog(search: CatalogSearch, page: PageRequest): Promise<CatalogPage>;
  /**
   * The products among `productIds` (at most 250), in the order asked; gone ones, and with
   * `collectionId` those outside that collection, are left out.
   */
  productsByIds(productIds: string[], options?: { collectionId?: string | null }): Promise<CatalogProduct[]>;
  /** Starts reading every matching product in the background; returns the export's id. */
  startCatalogExport(filter: CatalogFilter): Promise<string>;
  catalogExport(exportId: string): Promise<CatalogExport>;
  cancelCatalogExport(exportId: string): Promise<void>;
  /** The store's collections, for choosing what a bulk run covers. */
  collections(): Promise<Array<{ id: string; title: string }>>;
}
