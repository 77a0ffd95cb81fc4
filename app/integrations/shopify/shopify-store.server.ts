import type { AdminClient } from "~/integrations/shopify/admin-client.server";
import type { ProductCopy, ProductFacts, Store, StoreOverview } from "~/services/store";

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

const PRODUCT_FACTS = `#graphql
  query ProductFacts($id: ID!) {
    product(id: $id) {
      id
      title
      vendor
      productType
      tags
      descriptionHtml
      options {
        name
        optionValues {
          name
        }
      }
      variants(first: 20) {
        nodes {
          title
          sku
          price
        }
      }
      media(first: 10) {
        nodes {
          alt
        }
      }
    }
  }
`;

const PUBLISH_PRODUCT_COPY = `#graphql
  mutation PublishProductCopy($product: ProductUpdateInput!) {
    productUpdate(product: $product) {
      product {
        id
        descriptionHtml
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Where the structured extras live on the product (documented in the README). */
export const COPY_METAFIELD_NAMESPACE = "storewise";

interface StoreOverviewData {
  shop: { name: string; myshopifyDomain: string; currencyCode: string };
  productsCount: { count: number } | null;
  shopLocales: Array<{ locale: string; primary: boolean }>;
}

interface ProductFactsData {
  product: {
    id: string;
    title: string;
    vendor: string;
    productType: string;
    tags: string[];
    descriptionHtml: string;
    options: Array<{ name: string; optionValues: Array<{ name: string }> }>;
    variants: { nodes: Array<{ title: string; sku: string | null; price: string }> };
    media: { nodes: Array<{ alt: string | null }> };
  } | null;
}

interface PublishPayload {
  product: { id: string; descriptionHtml: string } | null;
  userErrors: Array<{ field?: string[] | null; message: string }>;
}

const list = (values: string[]) => JSON.stringify(values);

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

    async product(productId): Promise<ProductFacts | null> {
      const { product } = await admin.request<ProductFactsData>(PRODUCT_FACTS, { id: productId });
      if (!product) return null;
      return {
        id: product.id,
        title: product.title,
        vendor: product.vendor,
        productType: product.productType,
        tags: product.tags,
        descriptionHtml: product.descriptionHtml,
        options: product.options.map((option) => ({
          name: option.name,
          values: option.optionValues.map((value) => value.name),
        })),
        variants: product.variants.nodes,
        imageAltTexts: product.media.nodes.map((media) => media.alt ?? "").filter(Boolean),
      };
    },

    // One productUpdate carries description, SEO and the extras as metafields: one write, one echo.
    async publishProductCopy(productId, copy: ProductCopy) {
      const metafield = (key: string, type: string, value: string) => ({
        namespace: COPY_METAFIELD_NAMESPACE,
        key,
        type,
        value,
      });
      const payload = await admin.mutate<PublishPayload>(
        PUBLISH_PRODUCT_COPY,
        {
          product: {
            id: productId,
            descriptionHtml: copy.descriptionHtml,
            seo: { title: copy.metaTitle, description: copy.metaDescription },
            metafields: [
              metafield("short_description", "multi_line_text_field", copy.shortDescription),
              metafield("features", "list.single_line_text_field", list(copy.features)),
              metafield("use_cases", "list.single_line_text_field", list(copy.useCases)),
              metafield("keywords", "list.single_line_text_field", list(copy.keywords)),
              metafield("copy_version", "single_line_text_field", copy.versionMarker),
            ],
          },
        },
        "productUpdate",
      );
      return { storedDescriptionHtml: payload.product?.descriptionHtml ?? copy.descriptionHtml };
    },
  };
}
