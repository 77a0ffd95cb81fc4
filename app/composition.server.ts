import { createHmac } from "node:crypto";

import { env, orderEmailHashKey } from "~/config/env.server";
import { llm } from "~/integrations/llm/llm.server";
import { shopifyStore, type ShopifyStore } from "~/integrations/shopify/shopify-store.server";
import { shopifyTranslationInventory } from "~/integrations/shopify/shopify-translation-inventory.server";
import { prisma } from "~/db.server";
import { redis, whenReady } from "~/lib/redis.server";
import type { Llm } from "~/services/ports/llm";
import type { TranslationInventoryStore } from "~/services/ports/translation-inventory";
import type { ChatDeps } from "~/services/support/answer-chat-message.server";
import { availabilityGuardedStore } from "~/services/shops/shop-availability.server";
import { orderTableLookup } from "~/services/support/order-lookup-from-orders.server";
import { adminClientFor } from "~/shopify.server";

/**
 * The one place that picks implementations for the services' ports. Routes and worker processors
 * both build their store and LLM here, so a request and a job run a use-case with the same clients
 * and differ only in how long they may wait.
 */

/** A page load may wait this long for the shop's Admin API budget before it shows an error. */
const REQUEST_ADMIN_WAIT_MS = 5_000;
/** A job waits at most this long; past it the job is rescheduled instead of holding a worker slot. */
const JOB_ADMIN_WAIT_MS = 1_000;

/** The shop's store ports for an admin page's loader or action. */
export function storeForRequest(shop: string): ShopifyStore {
  return shopifyStore(adminClientFor(shop, { maxWaitMs: REQUEST_ADMIN_WAIT_MS }));
}

/**
 * The shop's store ports for a background job. While Shopify refuses the shop (frozen or locked),
 * its calls fail with SHOP_UNAVAILABLE before reaching Shopify, so the job ends with the reason
 * before any LLM call.
 */
export function storeForJob(shop: string): ShopifyStore {
  return availabilityGuardedStore({ db: prisma, shop, store: unguardedStoreForJob(shop) });
}

/**
 * The store without the frozen/locked guard, for jobs whose point is to ask Shopify about the shop
 * itself (confirming an uninstall), which must reach Shopify whatever state was recorded.
 */
export function unguardedStoreForJob(shop: string): ShopifyStore {
  return shopifyStore(adminClientFor(shop, { maxWaitMs: JOB_ADMIN_WAIT_MS }));
}

/** The process's LLM client, with every call also cancelled by `signal` (a job's or request's end). */
export function llmFor(signal?: AbortSignal): Llm {
  return llm().withSignal(signal);
}

/**
 * What the storefront support chat needs beyond the database: Redis for dialogs and limits, the
 * LLM, the order step (not wired yet: the order table comes with the order ingest) and the key
 * that signs anonymous visitor tokens, derived from the app secret so no new secret is needed.
 */
export async function supportChatDeps(signal?: AbortSignal): Promise<ChatDeps> {
  const config = env();
  return {
    db: prisma,
    // The producer connection has no offline queue: just after boot a command would fail, not wait.
    redis: await whenReady(redis()),
    llm: llmFor(signal),
    orders: orderTableLookup({ db: prisma, emailHashKey: orderEmailHashKey(config) }),
    visitorSecret: createHmac("sha256", config.SHOPIFY_API_SECRET)
      .update("storewise support visitor tokens")
      .digest("hex"),
    visitorPerMinute: config.SUPPORT_VISITOR_MESSAGES_PER_MINUTE,
    llmBudgetMs: config.SUPPORT_LLM_BUDGET_MS,
    emailHashKey: orderEmailHashKey(config),
  };
}

/** The shop's translation inventory reads (the translations admin's scan, docs/decisions/024). */
export function translationInventoryFor(shop: string, from: "request" | "job"): TranslationInventoryStore {
  return shopifyTranslationInventory(
    adminClientFor(shop, { maxWaitMs: from === "request" ? REQUEST_ADMIN_WAIT_MS : JOB_ADMIN_WAIT_MS }),
  );
}
