import type { AdminClient } from "~/integrations/shopify/admin-client.server";
import type { StorePagesQuery, StorePoliciesQuery } from "~/integrations/shopify/admin-operations.generated";
import type { ContentPagesStore, StorePage, StorePolicy } from "~/services/ports/content-pages";

// https://shopify.dev/docs/api/admin-graphql/latest/objects/Shop#field-Shop.fields.shopPolicies
// (scope read_legal_policies) and https://shopify.dev/docs/api/admin-graphql/latest/queries/pages
// (scope read_content), both in shopify.app.toml.
const STORE_POLICIES = `#graphql
  query StorePolicies {
    shop {
      shopPolicies {
        id
        type
        title
        body
        updatedAt
      }
    }
  }
`;

const STORE_PAGES = `#graphql
  query StorePages($after: String) {
    pages(first: 50, after: $after) {
      nodes {
        id
        title
        handle
        body
        updatedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** ShopPolicyType (REFUND_POLICY, TERMS_OF_SERVICE…) in the app's words: refund, terms-of-service. */
const policyKind = (type: string) =>
  type
    .toLowerCase()
    .replace(/_policy$/, "")
    .replaceAll("_", "-");

/** The content-pages port backed by a shop's Admin GraphQL API. */
export function shopifyContentPages(admin: AdminClient): ContentPagesStore {
  return {
    async policies(): Promise<StorePolicy[]> {
      const data = await admin.request<StorePoliciesQuery>(STORE_POLICIES);
      return data.shop.shopPolicies.map((policy) => ({
        id: policy.id,
        kind: policyKind(policy.type),
        title: policy.title,
        bodyHtml: policy.body,
        updatedAt: String(policy.updatedAt),
      }));
    },

    async pages(cursor) {
      const data = await admin.request<StorePagesQuery>(STORE_PAGES, { after: cursor ?? null });
      const pages: StorePage[] = data.pages.nodes.map((page) => ({
        id: page.id,
        title: page.title,
        handle: page.handle,
        bodyHtml: page.body,
        updatedAt: String(page.updatedAt),
      }));
      return { pages, next: data.pages.pageInfo.hasNextPage ? (data.pages.pageInfo.endCursor ?? null) : null };
    },
  };
}
