import type { AdminClient } from "~/integrations/shopify/admin-client.server";
import type { Store, StoreOverview } from "~/services/store";

const STORE_OVERVIEW = `#graphql
  query StoreOverview {
    shop {
      name
      myshopifyDomain
      currencyCode
    }
    productsCount {
      count
    }
    shopLocales(published: true) {
      locale
      primary
    }
  }
`;

interface StoreOverviewData {
  shop: { name: string; myshopifyDomain: string; currencyCode: string };
  productsCount: { count: number } | null;
  shopLocales: Array<{ locale: string; primary: boolean }>;
}

/** The Store port backed by a shop's Admin GraphQL API. */
export function shopifyStore(admin: AdminClient): Store {
  return {
    async overview(): Promise<StoreOverview> {
      const data = await admin.request<StoreOverviewData>(STORE_OVERVIEW);
      const primary = data.shopLocales.find((locale) => locale.primary)?.locale ?? "en";
      return {
        name: data.shop.name,
        domain: data.shop.myshopifyDomain,
        currencyCode: data.shop.currencyCode,
        productCount: data.productsCount?.count ?? 0,
        primaryLocale: primary,
        publishedLocales: data.shopLocales.map((locale) => locale.locale),
      };
    },
  };
}
