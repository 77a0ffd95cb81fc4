import { createHmac } from "node:crypto";

/**
 * The keyed hash the order table keeps instead of a shopper's email (HMAC-SHA256 with a server
 * key, decision 018): the same email always gives the same hash, so a guest's email can be checked
 * against an order, but the hash reveals nothing without the key. Emails compare case-insensitively
 * and without surrounding spaces, as shoppers type them.
 */
export function hashOrderEmail(key: Buffer, email: string): string {
  return createHmac("sha256", key).update(email.trim().toLowerCase()).digest("hex");
}
