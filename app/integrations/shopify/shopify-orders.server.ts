import type { AdminClient } from "~/integrations/shopify/admin-client.server";
import type {
  OrderContactQuery,
  OrderContactQueryVariables,
  OrderExportQuery,
  OrderFactsQuery,
  OrderFactsQueryVariables,
  OrderLinesQuery,
  OrderLinesQueryVariables,
  OrderRefundsQuery,
  OrderRefundsQueryVariables,
} from "~/integrations/shopify/admin-operations.generated";
import { bulkOperation, readJsonl, startBulkQuery, withSearch } from "~/integrations/shopify/bulk-operations.server";
import type { OrderExport, OrderFacts, OrderLine, OrderRefund, OrdersStore } from "~/services/ports/orders";

// Every field here is readable at protected customer data level 1
// (https://shopify.dev/docs/apps/launch/protected-customer-data): no name, email, phone or address.
// Contact details are ORDER_CONTACT, a separate read that needs level 2. Order.customer is left
// out: it needs the read_customers scope; the order webhooks name the customer instead. A line's
// discountedTotalSet leaves out order-level discounts ("This value doesn't include order-level
// discounts", LineItem in the Admin schema), so each line also carries its originalTotalSet and its
// discountAllocations, which do include its share of them (decision 029).
const ORDER_FACTS = `#graphql
  query OrderFacts($id: ID!) {
    order(id: $id) {
      id
      name
      createdAt
      updatedAt
      processedAt
      cancelledAt
      test
      displayFinancialStatus
      displayFulfillmentStatus
      currencyCode
      presentmentCurrencyCode
      customerLocale
      customAttributes {
        key
        value
      }
      subtotalPriceSet {
        shopMoney {
          amount
        }
      }
      totalDiscountsSet {
        shopMoney {
          amount
        }
      }
      totalShippingPriceSet {
        shopMoney {
          amount
        }
      }
      totalTaxSet {
        shopMoney {
          amount
        }
      }
      totalPriceSet {
        shopMoney {
          amount
        }
      }
      refunds(first: 10) {
        id
        createdAt
        totalRefundedSet {
          shopMoney {
            amount
          }
        }
        refundLineItems(first: 10) {
          nodes {
            quantity
            subtotalSet {
              shopMoney {
                amount
              }
            }
            lineItem {
              product {
                id
              }
            }
          }
        }
      }
      shippingAddress {
        countryCodeV2
      }
      billingAddress {
        countryCodeV2
      }
      fulfillments(first: 10) {
        status
        createdAt
        trackingInfo(first: 5) {
          number
          url
          company
        }
      }
      lineItems(first: 20) {
        nodes {
          title
          sku
          quantity
          product {
            id
          }
          variant {
            id
          }
          discountedTotalSet {
            shopMoney {
              amount
            }
          }
          originalTotalSet {
            shopMoney {
              amount
            }
          }
          discountAllocations {
            allocatedAmountSet {
              shopMoney {
                amount
              }
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/**
 * Further pages of an order's lines, only when the first page was full, 50 a page (with each line's
 * discount allocations, 100 would request just over the 1,000-point single-query limit). The first
 * read asks for 20 (most orders have fewer), and at most 10 refunds of 10 lines each, which keeps its requested cost
 * near 172 points.
 */
const ORDER_LINES = `#graphql
  query OrderLines($id: ID!, $after: String) {
    order(id: $id) {
      lineItems(first: 50, after: $after) {
        nodes {
          title
          sku
          quantity
          product {
            id
          }
          variant {
            id
          }
          discountedTotalSet {
            shopMoney {
              amount
            }
          }
          originalTotalSet {
            shopMoney {
              amount
            }
          }
          discountAllocations {
            allocatedAmountSet {
              shopMoney {
                amount
              }
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

const ORDER_CONTACT = `#graphql
  query OrderContact($id: ID!) {
    order(id: $id) {
      email
      statusPageUrl
    }
  }
`;

// The same facts for every order of the search, as a bulk operation writes them: one JSONL line
// per order, then one per line item carrying the order's id as __parentId. Refunds come with their
// ids, dates and amounts but without their lines: a bulk query refuses a connection inside a list
// field ("Queries that contain a connection field within a list field are not currently
// supported", https://shopify.dev/docs/api/usage/bulk-operations/queries), and Order.refunds is a
// list whose Refund.refundLineItems is a connection. The backfill reads the refunded orders' lines
// afterwards with ORDER_REFUNDS (few orders are refunded). `customer { id }` is kept only when the
// shop granted read_customers (withoutCustomer strips it otherwise: Shopify would refuse the query).
const ORDER_EXPORT_QUERY = `#graphql
  query OrderExport {
    orders(query: "__SEARCH__") {
      edges {
        node {
          id
          name
          createdAt
          updatedAt
          processedAt
          cancelledAt
          test
          displayFinancialStatus
          displayFulfillmentStatus
          currencyCode
          presentmentCurrencyCode
          customerLocale
          customAttributes {
            key
            value
          }
          subtotalPriceSet {
            shopMoney {
              amount
            }
          }
          totalDiscountsSet {
            shopMoney {
              amount
            }
          }
          totalShippingPriceSet {
            shopMoney {
              amount
            }
          }
          totalTaxSet {
            shopMoney {
              amount
            }
          }
          totalPriceSet {
            shopMoney {
              amount
            }
          }
          refunds {
            id
            createdAt
            totalRefundedSet {
              shopMoney {
                amount
              }
            }
          }
          shippingAddress {
            countryCodeV2
          }
          billingAddress {
            countryCodeV2
          }
          customer {
            id
          }
          fulfillments {
            status
            createdAt
            trackingInfo {
              number
              url
              company
            }
          }
          lineItems {
            edges {
              node {
                title
                sku
                quantity
                product {
                  id
                }
                variant {
                  id
                }
                discountedTotalSet {
                  shopMoney {
                    amount
                  }
                }
                originalTotalSet {
                  shopMoney {
                    amount
                  }
                }
                discountAllocations {
                  allocatedAmountSet {
                    shopMoney {
                      amount
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

/** One order's refunds with their lines (the backfill's follow-up for refunded exported orders). */
const ORDER_REFUNDS = `#graphql
  query OrderRefunds($id: ID!) {
    order(id: $id) {
      refunds(first: 10) {
        id
        createdAt
        totalRefundedSet {
          shopMoney {
            amount
          }
        }
        refundLineItems(first: 10) {
          nodes {
            quantity
            subtotalSet {
              shopMoney {
                amount
              }
            }
            lineItem {
              product {
                id
              }
            }
          }
        }
      }
    }
  }
`;

const withoutCustomer = (query: string) => query.replace(/\n\s*customer \{\s*id\s*\}/, "");

type OrderNode = NonNullable<OrderFactsQuery["order"]>;
type ExportedOrderNode = OrderExportQuery["orders"]["edges"][number]["node"];
type LineNode = OrderNode["lineItems"]["nodes"][number];

const lineOf = (node: LineNode): OrderLine => ({
  productId: node.product?.id ?? null,
  variantId: node.variant?.id ?? null,
  title: node.title,
  sku: node.sku ?? null,
  quantity: node.quantity,
  total: node.discountedTotalSet.shopMoney.amount,
  originalTotal: node.originalTotalSet.shopMoney.amount,
  discount: sumAmounts(node.discountAllocations.map((a) => a.allocatedAmountSet.shopMoney.amount)),
});

/** Decimal strings summed exactly (in cents), back to a decimal string. */
function sumAmounts(amounts: string[]): string {
  const total = amounts.reduce((sum, amount) => sum + Math.round(Number(amount) * 100), 0);
  return (total / 100).toFixed(2);
}

type RefundNode =
  | OrderNode["refunds"][number]
  | ExportedOrderNode["refunds"][number]
  | NonNullable<OrderRefundsQuery["order"]>["refunds"][number];

function refundOf(node: RefundNode): OrderRefund {
  return {
    id: node.id,
    createdAt: node.createdAt ?? "",
    amount: node.totalRefundedSet.shopMoney.amount,
    lines:
      "refundLineItems" in node
        ? node.refundLineItems.nodes.map((line) => ({
            productId: line.lineItem.product?.id ?? null,
            quantity: line.quantity,
            amount: line.subtotalSet.shopMoney.amount,
          }))
        : null,
  };
}

function factsOf(node: Omit<OrderNode | ExportedOrderNode, "lineItems">, lines: OrderLine[]): OrderFacts {
  // Only an export that asked for the customer (read_customers granted) says who it is.
  const read = node as { customer?: { id: string } | null };
  const customer = "customer" in read ? { customerId: read.customer?.id ?? null } : {};
  return {
    ...customer,
    id: node.id,
    name: node.name,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    processedAt: node.processedAt,
    cancelledAt: node.cancelledAt ?? null,
    test: node.test,
    financialStatus: node.displayFinancialStatus ?? null,
    fulfillmentStatus: node.displayFulfillmentStatus,
    currencyCode: node.currencyCode,
    presentmentCurrencyCode: node.presentmentCurrencyCode,
    customerLocale: node.customerLocale ?? null,
    attributes: node.customAttributes.map((attribute) => ({ key: attribute.key, value: attribute.value ?? null })),
    subtotal: node.subtotalPriceSet?.shopMoney.amount ?? "0.0",
    discounts: node.totalDiscountsSet?.shopMoney.amount ?? "0.0",
    shipping: node.totalShippingPriceSet.shopMoney.amount,
    tax: node.totalTaxSet?.shopMoney.amount ?? "0.0",
    total: node.totalPriceSet.shopMoney.amount,
    lines,
    refunds: (node.refunds as RefundNode[]).map(refundOf),
    countryCode: node.shippingAddress?.countryCodeV2 ?? node.billingAddress?.countryCodeV2 ?? null,
    fulfillments: node.fulfillments.map((fulfillment) => ({
      status: fulfillment.status,
      createdAt: fulfillment.createdAt,
      tracking: fulfillment.trackingInfo.map((tracking) => ({
        number: tracking.number ?? null,
        url: tracking.url ?? null,
        company: tracking.company ?? null,
      })),
    })),
  };
}

/** Shopify's order search for "created on or after" (https://shopify.dev/docs/api/usage/search-syntax). */
const createdSinceSearch = (since: Date) => `created_at:>='${since.toISOString()}'`;

/** The orders port backed by a shop's Admin GraphQL API. */
export function shopifyOrders(admin: AdminClient): OrdersStore {
  return {
    async order(orderId) {
      const { order } = await admin.request<OrderFactsQuery>(ORDER_FACTS, {
        id: orderId,
      } satisfies OrderFactsQueryVariables);
      if (!order) return null;
      const lines = order.lineItems.nodes.map(lineOf);
      let page = order.lineItems.pageInfo;
      while (page.hasNextPage) {
        const { order: more } = await admin.request<OrderLinesQuery>(ORDER_LINES, {
          id: orderId,
          after: page.endCursor ?? null,
        } satisfies OrderLinesQueryVariables);
        if (!more) return null;
        lines.push(...more.lineItems.nodes.map(lineOf));
        page = more.lineItems.pageInfo;
      }
      return factsOf(order, lines);
    },

    async orderContact(orderId) {
      const { order } = await admin.request<OrderContactQuery>(ORDER_CONTACT, {
        id: orderId,
      } satisfies OrderContactQueryVariables);
      return order ? { email: order.email ?? null, statusPageUrl: order.statusPageUrl } : null;
    },

    async startOrderExport({ createdSince, withCustomer = false }) {
      const query = withCustomer ? ORDER_EXPORT_QUERY : withoutCustomer(ORDER_EXPORT_QUERY);
      return startBulkQuery(admin, withSearch(query, createdSinceSearch(createdSince)));
    },

    async orderRefunds(orderId) {
      const { order } = await admin.request<OrderRefundsQuery>(ORDER_REFUNDS, {
        id: orderId,
      } satisfies OrderRefundsQueryVariables);
      return order ? order.refunds.map(refundOf) : null;
    },

    async orderExport(exportId): Promise<OrderExport> {
      const operation = await bulkOperation(admin, exportId);
      if (operation.status === "running") return operation;
      if (operation.status === "gone") return { status: "failed", error: "Shopify no longer knows this order export." };
      if (operation.status === "canceled") return { status: "canceled", error: "The order export was canceled." };
      if (operation.status === "failed") {
        return { status: "failed", error: `Shopify could not export the orders (${operation.reason}).` };
      }
      // Lines come after their order in the file, each naming it by __parentId.
      const orders = new Map<string, { node: ExportedOrderNode; lines: OrderLine[] }>();
      if (operation.url) {
        await readJsonl(operation.url, (value) => {
          const line = value as { __parentId?: string };
          if (line.__parentId) orders.get(line.__parentId)?.lines.push(lineOf(value as LineNode));
          else orders.set((value as ExportedOrderNode).id, { node: value as ExportedOrderNode, lines: [] });
        });
      }
      return { status: "completed", orders: [...orders.values()].map(({ node, lines }) => factsOf(node, lines)) };
    },
  };
}
