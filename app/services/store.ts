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

export interface Store {
  overview(): Promise<StoreOverview>;
}
