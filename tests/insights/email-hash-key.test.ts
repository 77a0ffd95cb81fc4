// The keyed email hash's key (decision 018): its own ORDER_EMAIL_HASH_KEY, else derived from the
// app secret; a short key stops the boot with a readable message.
import { describe, expect, inject, it } from "vitest";

import { orderEmailHashKey, parseEnv } from "~/config/env.server";
import { hashOrderEmail } from "~/services/orders/email-hash";

const base = () => ({ ...inject("appEnv") }) as Record<string, string | undefined>;

describe("ORDER_EMAIL_HASH_KEY", () => {
  it("GIVEN no key THEN one is derived from the app secret: stable, and different for another secret", () => {
    const env = { ...base(), ORDER_EMAIL_HASH_KEY: undefined };
    const key = orderEmailHashKey(parseEnv(env));
    expect(key).toHaveLength(32);
    expect(orderEmailHashKey(parseEnv(env))).toEqual(key);
    expect(orderEmailHashKey(parseEnv({ ...env, SHOPIFY_API_SECRET: "another-secret" }))).not.toEqual(key);
  });

  it("GIVEN its own key THEN that key hashes, and the hash ignores case and spaces but not the key", () => {
    const own = Buffer.alloc(32, 7).toString("base64");
    const key = orderEmailHashKey(parseEnv({ ...base(), ORDER_EMAIL_HASH_KEY: own }));
    expect(key).toEqual(Buffer.alloc(32, 7));
    expect(hashOrderEmail(key, " Ana@Example.COM ")).toBe(hashOrderEmail(key, "ana@example.com"));
    expect(hashOrderEmail(key, "ana@example.com")).not.toBe(hashOrderEmail(Buffer.alloc(32, 8), "ana@example.com"));
    expect(hashOrderEmail(key, "ana@example.com")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("GIVEN a key shorter than 32 bytes THEN the configuration is refused, naming the key", () => {
    expect(() => parseEnv({ ...base(), ORDER_EMAIL_HASH_KEY: Buffer.alloc(8).toString("base64") })).toThrow(
      /ORDER_EMAIL_HASH_KEY must be base64 of at least 32 bytes/,
    );
  });
});
