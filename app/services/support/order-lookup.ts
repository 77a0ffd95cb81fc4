/**
 * The chat's order step, behind the one question it asks: "which of this shopper's orders is it?".
 * The order table and its `findOrderForShopper` come from the order ingest (app/services/orders);
 * composition.server.ts wires that in, and tests stand in a seeded implementation. An order is only
 * found for a logged-in customer who owns it, or for a guest who gives both its name and its email.
 */
export interface ShopperOrderQuery {
  shop: string;
  /** The app proxy's verified logged_in_customer_id, or null for a guest. */
  customerId: string | null;
  /** "#1001" as the shopper typed it, or null when they gave none (then: their latest order). */
  orderName: string | null;
  /** The guest's email; required when customerId is null. */
  email: string | null;
}

export interface ShopperOrder {
  name: string;
  createdAt: string;
  /** The app's words: "unfulfilled", "partially fulfilled", "fulfilled", "cancelled", ... */
  status: string;
  tracking: { number: string | null; url: string | null; company: string | null }[];
}

export interface ShopperOrderLookup {
  findOrderForShopper(query: ShopperOrderQuery): Promise<ShopperOrder | null>;
}
