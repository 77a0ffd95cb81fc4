import { findOrderForShopper } from "~/services/orders/find-order-for-shopper.server";
import type { ShopperOrder, ShopperOrderLookup } from "~/services/support/order-lookup";
import type { Db } from "~/services/types";

/** The shopper's words for an order's state: "cancelled", or its fulfilment ("partially fulfilled"). */
function statusOf(order: { cancelled: boolean; fulfillmentStatus: string }): string {
  if (order.cancelled) return "cancelled";
  return order.fulfillmentStatus.toLowerCase().replaceAll("_", " ");
}

/**
 * The chat's order step over the order table the order ingest writes (app/services/orders). A
 * logged-in customer who names no order is asked about their latest one; a guest always needs both
 * the order name and its email (findOrderForShopper refuses otherwise, with the same null).
 */
export function orderTableLookup(options: { db: Db; emailHashKey: Buffer }): ShopperOrderLookup {
  const { db, emailHashKey } = options;
  return {
    async findOrderForShopper({ shop, customerId, orderName, email }): Promise<ShopperOrder | null> {
      let name = orderName;
      if (!name) {
        if (!customerId) return null;
        const latest = await db.order.findFirst({
          where: { shopDomain: shop, customerId, test: false },
          orderBy: { processedAt: "desc" },
          select: { name: true },
        });
        if (!latest) return null;
        name = latest.name;
      }
      const order = await findOrderForShopper({ db, shop, orderName: name, email, customerId, emailHashKey });
      if (!order) return null;
      return { name: order.name, createdAt: order.processedAt, status: statusOf(order), tracking: order.tracking };
    },
  };
}
