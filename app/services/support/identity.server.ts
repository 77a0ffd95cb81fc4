import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Who is chatting, as far as the server can prove it. A logged-in customer is the
 * `logged_in_customer_id` the app proxy signed; anyone else carries a visitor token the server
 * issued and signed. Shopify's app proxy strips cookies, so the widget keeps the token and sends it
 * in the request body (decision 019). A token is bound to one shop.
 */
export interface ShopperIdentity {
  /** What dialogs are bound to: "customer:<id>" or "visitor:<id>". */
  key: string;
  customerId: string | null;
  /** The token to hand back to the widget (anonymous visitors only). */
  visitorToken: string | null;
}

const TOKEN = /^v1\.([0-9a-f]{32})\.([0-9a-f]{64})$/;

function sign(secret: string, shop: string, id: string): string {
  return createHmac("sha256", secret).update(`storewise-visitor:v1:${shop}:${id}`).digest("hex");
}

/** A fresh identifier from the CSPRNG: 32 lowercase hex characters. */
export function randomHexId(): string {
  return randomBytes(16).toString("hex");
}

export function issueVisitorToken(secret: string, shop: string): string {
  const id = randomHexId();
  return `v1.${id}.${sign(secret, shop, id)}`;
}

/** The token's visitor id when it is well-formed and was signed for this shop; null otherwise. */
export function verifyVisitorToken(secret: string, shop: string, token: string | undefined | null): string | null {
  const match = token ? TOKEN.exec(token) : null;
  if (!match) return null;
  const expected = Buffer.from(sign(secret, shop, match[1]!), "hex");
  const given = Buffer.from(match[2]!, "hex");
  return expected.length === given.length && timingSafeEqual(expected, given) ? match[1]! : null;
}

/**
 * The shopper's identity: the signed customer id when there is one, else the visitor token when it
 * verifies, else a new token. A forged or foreign token is not an error: the visitor simply starts
 * over with a new identity (and so cannot reach the dialogs bound to the one they claimed).
 */
export function shopperIdentity(options: {
  secret: string;
  shop: string;
  customerId: string | null;
  visitorToken?: string | null;
}): ShopperIdentity {
  if (options.customerId)
    return { key: `customer:${options.customerId}`, customerId: options.customerId, visitorToken: null };
  const known = verifyVisitorToken(options.secret, options.shop, options.visitorToken);
  const token = known ? options.visitorToken! : issueVisitorToken(options.secret, options.shop);
  return { key: `visitor:${TOKEN.exec(token)![1]}`, customerId: null, visitorToken: token };
}
