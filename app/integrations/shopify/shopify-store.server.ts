import type { AdminClient } from "~/integrations/shopify/admin-client.server";
import { shopifyCatalog } from "~/integrations/shopify/shopify-catalog.server";
import { shopifyShopFacts } from "~/integrations/shopify/shopify-shop-facts.server";
import type { CatalogStore } from "~/services/ports/catalog";
import type { ShopFactsStore } from "~/services/ports/shop-facts";

/** Every store port Shopify implements today, over one shop's Admin client. */
export type ShopifyStore = CatalogStore & ShopFactsStore;

export function shopifyStore(admin: AdminClient): ShopifyStore {
  return { ...shopifyCatalog(admin), ...shopifyShopFacts(admin) };
}
