import { isAppError } from "~/lib/errors";
import { hashOrderEmail } from "~/services/orders/email-hash";
import { shopTimeZone } from "~/services/insights/shop-clock.server";
import { ingestOrder } from "~/services/orders/ingest-order.server";
import type { OrdersStore } from "~/services/ports/orders";
import type { ShopClockStore } from "~/services/ports/shop-facts";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  store: Pick<OrdersStore, "order" | "orderContact"> & ShopClockStore;
  orderId: string;
  /** The customer the store's event named (an id, never contact details), when it named one. */
  customerId?: string | null;
  emailHashKey: Buffer;
}

/**
 * The `order.upserted` job (webhooks orders/create, orders/updated, orders/cancelled and
 * refunds/create): reads the order's current facts from the store and records them with its
 * rollups (ingestOrder), in the shop's days (its time zone, read once and recorded). The email is read only to hash it, and only where the store lets the app
 * see it (on Shopify, protected customer data level 2); elsewhere the order is kept without one.
 */
export async function recordOrder({ db, shop, store, orderId, customerId = null, emailHashKey }: Options) {
  const facts = await store.order(orderId);
  if (!facts) return { outcome: "missing" as const, orderId };
  const emailHash = await emailHashOf(store, orderId, emailHashKey);
  const timeZone = await shopTimeZone({ db, shop, store });
  const outcome = await ingestOrder({ db, shop, facts, customerId, emailHash, timeZone });
  return { outcome, orderId, updatedAt: facts.updatedAt };
}

async function emailHashOf(store: Pick<OrdersStore, "orderContact">, orderId: string, key: Buffer) {
  try {
    const contact = await store.orderContact(orderId);
    return contact?.email ? hashOrderEmail(key, contact.email) : null;
  } catch (error) {
    if (isAppError(error) && error.code === "ADMIN_API_ACCESS_DENIED") return null;
    throw error;
  }
}
