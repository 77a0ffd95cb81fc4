import type { AdminClient } from "~/integrations/shopify/admin-client.server";
import type {
  ShopClockQuery,
  ShopLocalesQuery,
  StoreOverviewQuery,
} from "~/integrations/shopify/admin-operations.generated";
import type { ShopClockStore, ShopFactsStore, ShopLocales, StoreOverview } from "~/services/ports/shop-facts";

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

const SHOP_LOCALES = `#graphql
  query ShopLocales {
    shopLocales(published: true) {
      locale
      primary
    }
  }
`;

// https://shopify.dev/docs/api/admin-graphql/latest/objects/Shop#field-Shop.fields.ianaTimezone
const SHOP_CLOCK = `#graphql
  query ShopClock {
    shop {
      ianaTimezone
      currencyCode
    }
  }
`;

function localesOf(shopLocales: ShopLocalesQuery["shopLocales"]): ShopLocales {
  return {
    primary: shopLocales.find((locale) => locale.primary)?.locale ?? "en",
    published: shopLocales.map((locale) => locale.locale),
  };
}

/** The shop-facts port backed by a shop's Admin GraphQL API. */
export function shopifyShopFacts(admin: AdminClient): ShopFactsStore & ShopClockStore {
  return {
    async overview(): Promise<StoreOverview> {
      const data = await admin.request<StoreOverviewQuery>(STORE_OVERVIEW);
      const locales = localesOf(data.shopLocales);
      return {
        name: data.shop.name,
        domain: data.shop.myshopifyDomain,
        currencyCode: data.shop.currencyCode,
        productCount: data.productsCount?.count ?? 0,
        primaryLocale: locales.primary,
        publishedLocales: locales.published,
      };
    },

    async clock() {
      const { shop } = await admin.request<ShopClockQuery>(SHOP_CLOCK);
      return { timeZone: shop.ianaTimezone, currencyCode: shop.currencyCode };
    },

    async locales() {
      const data = await admin.request<ShopLocalesQuery>(SHOP_LOCALES);
      return localesOf(data.shopLocales);
    },
  };
}
