import { AdminClient } from "~/integrations/shopify/admin-client.server";
import { adminOrigin } from "~/integrations/shopify/admin-origin.server";
import { redisCostBucket } from "~/integrations/shopify/cost-bucket.server";
import { offlineTokenSource } from "~/integrations/shopify/offline-token.server";
import { redis } from "~/lib/redis.server";
import { sessionStorage } from "~/shopify.server";

const bucket = redisCostBucket(redis);
const clients = new Map<string, AdminClient>();

/**
 * The shop's Admin client, authenticated with its offline token. Web and workers both use this;
 * workers pass a small `maxWaitMs` and reschedule the job rather than hold a slot while waiting.
 */
export function adminClientFor(shop: string, options: { maxWaitMs?: number } = {}): AdminClient {
  const key = `${shop}:${options.maxWaitMs ?? "default"}`;
  let client = clients.get(key);
  if (!client) {
    client = new AdminClient({
      shop,
      origin: adminOrigin(shop),
      token: offlineTokenSource(shop, sessionStorage),
      bucket,
      maxWaitMs: options.maxWaitMs,
    });
    clients.set(key, client);
  }
  return client;
}
