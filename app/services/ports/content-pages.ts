/**
 * The store's own written content the support chat answers from (issue 10 §3.3, decision 001):
 * its policies (returns, shipping, privacy…) and its online-store pages. Bodies are the merchant's
 * HTML, untrusted: callers turn them into plain text before use. The Shopify implementation is
 * integrations/shopify/shopify-content-pages.server.ts.
 */
export interface StorePolicy {
  id: string;
  /** refund, shipping, privacy, terms-of-service, terms-of-sale, contact, legal-notice, subscription. */
  kind: string;
  title: string;
  bodyHtml: string;
  updatedAt: string;
}

export interface StorePage {
  id: string;
  title: string;
  handle: string;
  bodyHtml: string;
  updatedAt: string;
}

export interface ContentPagesStore {
  /** Every policy the merchant has written. */
  policies(): Promise<StorePolicy[]>;
  /** One page of the store's pages, in id order; `cursor` is the previous page's `next`. */
  pages(cursor?: string | null): Promise<{ pages: StorePage[]; next: string | null }>;
}
