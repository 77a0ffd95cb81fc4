import type { AdminClient } from "~/integrations/shopify/admin-client.server";
import { shopifyCatalog } from "~/integrations/shopify/shopify-catalog.server";
import { shopifyContentPages } from "~/integrations/shopify/shopify-content-pages.server";
import { shopifyOrders } from "~/integrations/shopify/shopify-orders.server";
import { shopifyShopFacts } from "~/integrations/shopify/shopify-shop-facts.server";
import { shopifyTranslations } from "~/integrations/shopify/shopify-translations.server";
import type { CatalogStore } from "~/services/ports/catalog";
import type { ContentPagesStore } from "~/services/ports/content-pages";
import type { OrdersStore } from "~/services/ports/orders";
import type { ShopClockStore, ShopFactsStore } from "~/services/ports/shop-facts";
import type { TranslationsStore } from "~/services/ports/translations";

/**
 * Every store port Shopify implements, over one shop's Admin client: one port per capability
 * (catalog and copy, translations, orders) plus the shop's own facts. A use-case takes only the
 * ports it needs, so another platform's connector can implement them one at a time.
 */
export type ShopifyStore = CatalogStore &
  TranslationsStore &
  OrdersStore &
  ShopFactsStore &
  ShopClockStore &
  ContentPagesStore;

export function shopifyStore(admin: AdminClient): ShopifyStore {
  return {
    ...shopifyCatalog(admin),
    ...shopifyTranslations(admin),
    ...shopifyOrders(admin),
    ...shopifyShopFacts(admin),
    ...shopifyContentPages(admin),
  };
}
