import type { Redis } from "ioredis";

import type { ShopperIdentity } from "~/services/support/identity.server";
import { chatMessage } from "~/services/support/messages";
import type { ShopperOrderLookup } from "~/services/support/order-lookup";
import { orderLookupsThrottled, recordFailedOrderLookup } from "~/services/support/rate-limits.server";

const ORDER_WORDS =
  /\b(?:order|orders|tracking|track|shipped|delivery|parcel|package|commande|colis|livraison|suivi|bestellung|lieferung|sendung|pedido|envío|envio)\b/iu;
const ORDER_NAME = /#\s?\d{3,10}\b/;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/u;

/** Whether the message names an order ("#1001"): then the order step answers before the FAQ. */
export function namesAnOrder(message: string): boolean {
  return ORDER_NAME.test(message);
}

export function looksLikeOrderQuestion(message: string): boolean {
  return ORDER_WORDS.test(message) || ORDER_NAME.test(message);
}

/**
 * The order step of the ladder. A logged-in customer gets their order (the one named, or their
 * latest); a guest must give both the order name and its email, and failed lookups are throttled
 * per visitor and per order name (across visitors) so the step cannot be used to guess orders. The email is read from the shopper's
 * own message for the lookup only; it is redacted everywhere else.
 */
export async function answerOrderQuestion(options: {
  redis: Redis;
  orders: ShopperOrderLookup;
  shop: string;
  identity: ShopperIdentity;
  message: string;
  locale: string;
}): Promise<{ answer: string; source: "order"; action: "answer" | "ask" } | null> {
  const { redis, shop, identity, locale } = options;
  const orderName = ORDER_NAME.exec(options.message)?.[0].replace(/\s/g, "") ?? null;
  const email = EMAIL.exec(options.message)?.[0] ?? null;
  if (!identity.customerId && (!orderName || !email)) {
    return { answer: chatMessage("orderAsk", locale), source: "order", action: "ask" };
  }
  // A logged-in customer only ever sees their own orders, so only guests count against the order
  // name (a customer cannot be locked out of their own order by someone else's guesses).
  const guestOrderName = identity.customerId ? null : orderName;
  if (await orderLookupsThrottled(redis, shop, identity.key, guestOrderName)) {
    return { answer: chatMessage("orderThrottled", locale), source: "order", action: "answer" };
  }
  const order = await options.orders.findOrderForShopper({ shop, customerId: identity.customerId, orderName, email });
  if (!order) {
    await recordFailedOrderLookup(redis, shop, identity.key, guestOrderName);
    return { answer: chatMessage("orderNotFound", locale), source: "order", action: "answer" };
  }
  const tracking = order.tracking
    .map((entry) => [entry.company, entry.number, entry.url].filter(Boolean).join(" "))
    .filter(Boolean)
    .join("; ");
  const status = tracking ? `${order.status} (${tracking})` : order.status;
  return {
    answer: chatMessage("orderStatus", locale, { name: order.name, status }),
    source: "order",
    action: "answer",
  };
}
