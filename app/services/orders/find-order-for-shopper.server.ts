import { timingSafeEqual } from "node:crypto";

import { hashOrderEmail } from "~/services/orders/email-hash";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  /** What the shopper typed: "#1001" or "1001". */
  orderName: string;
  /** A guest's email, to check against the order's keyed hash. */
  email?: string | null;
  /** The logged-in customer's id, once the storefront's signature has been verified. */
  customerId?: string | null;
  emailHashKey: Buffer;
}

/** What the support chat may tell the shopper about their order. */
export interface ShopperOrder {
  name: string;
  processedAt: string;
  financialStatus: string | null;
  fulfillmentStatus: string;
  cancelled: boolean;
  tracking: Array<{ number: string | null; url: string | null; company: string | null }>;
  total: string;
  currency: string;
  locale: string | null;
  lines: Array<{ productId: string | null; quantity: number; total: string }>;
}

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The order a shopper asks about, only when it is theirs: the logged-in customer owns it, or the
 * email given hashes (with the server key) to the order's keyed email hash. Otherwise null, the
 * same null as for an order that does not exist, so the answer never tells whether an order name is
 * real. Throttling failed lookups is the caller's (the chat's) job.
 */
export async function findOrderForShopper({
  db,
  shop,
  orderName,
  email,
  customerId,
  emailHashKey,
}: Options): Promise<ShopperOrder | null> {
  const typed = orderName.trim();
  if (!typed || typed.length > 64 || (!customerId && !email?.trim())) return null;
  const names = typed.startsWith("#") ? [typed] : [typed, `#${typed}`];
  const candidates = await db.order.findMany({ where: { shopDomain: shop, name: { in: names } }, take: 5 });
  const emailHash = email?.trim() ? hashOrderEmail(emailHashKey, email) : null;
  const order = candidates.find(
    (o) =>
      (customerId && o.customerId === customerId) || (emailHash && o.emailHash && sameHash(o.emailHash, emailHash)),
  );
  if (!order) return null;
  return {
    name: order.name,
    processedAt: order.processedAt.toISOString(),
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    cancelled: order.cancelledAt !== null,
    tracking: order.tracking as ShopperOrder["tracking"],
    total: order.total.toFixed(2),
    currency: order.currency,
    locale: order.locale,
    lines: (order.lines as Array<ShopperOrder["lines"][number] & { variantId?: unknown }>).map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      total: line.total,
    })),
  };
}
