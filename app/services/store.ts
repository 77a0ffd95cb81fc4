/**
 * The store as the app's services see it, in the app's own terms. The Shopify implementation
 * lives in integrations/shopify/shopify-store.server.ts; another platform would add its own.
 */
export interface StoreOverview {
  name: string;
  domain: string;
  currencyCode: string;
  productCount: number;
  primaryLocale: string;
  publishedLocales: string[];
}

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

export interface Store {
  overview(): Promise<StoreOverview>;
  /** The product's facts, or null when it no longer exists. */
  product(productId: string): Promise<ProductFacts | null>;
  /** Writes the copy in one update; returns the description as the store stored it. */
  publishProductCopy(productId: string, copy: ProductCopy): Promise<{ storedDescriptionHtml: string }>;
}
