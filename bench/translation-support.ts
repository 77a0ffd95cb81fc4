// What the translation benchmarks share: the shop's published locales, the LLM account they run
// against, and the check that a product is live in every locale, read from the Shopify emulator.
import { Redis } from "ioredis";

import type { LlmEmulatorStats } from "../tests/emulators/llm/types";
import type { EmulatorControl } from "../tests/emulators/shopify/control-client";
import { translatesKey } from "../app/services/translations/translatable-keys";
import type { TranslatableKind } from "../app/services/ports/translations";
import { count, REDIS_URL } from "./support";

export const LOCALES = ["fr", "de", "es"] as const;

/**
 * The LLM account: OpenAI's published limits for gpt-4o-mini at usage tier 4 (10,000 requests and
 * 10,000,000 tokens per minute; https://platform.openai.com/docs/guides/rate-limits, tiers 1-5:
 * 500/200k, 5,000/2M, 5,000/4M, 10,000/10M, 30,000/150M). Tier 4 is what a paying app reaches after
 * $250 spent and 14 days; it lets 2,000 products × (1 copy + 3 locales) finish in minutes, and the
 * bench's lower bound shows which limit binds. BENCH_LLM_RPM / BENCH_LLM_TPM pick another tier.
 */
export const LLM_RPM = Number(process.env.BENCH_LLM_RPM ?? 10_000);
export const LLM_TPM = Number(process.env.BENCH_LLM_TPM ?? 10_000_000);
/** The app's LLM bulkhead (LLM_MAX_CONCURRENCY): calls in flight at once from the worker. */
export const LLM_MAX_CONCURRENCY = Number(process.env.BENCH_LLM_MAX_CONCURRENCY ?? 64);
export const WORKER_CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 32);
/**
 * The worker's Postgres pool: at the default 10, 32 content + 64 translation jobs wait past the
 * 2 s connect timeout, which reads as an outage and reschedules jobs for minutes.
 */
export const DATABASE_POOL_MAX = Number(process.env.BENCH_DATABASE_POOL_MAX ?? 30);

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Adds and publishes the benchmark's locales in the emulator shop (silently: before the app looks). */
export async function publishLocales(control: EmulatorControl, shop: string) {
  for (const locale of LOCALES) await control.setLocale(shop, locale, true, { silent: true });
}

/** Waits until no queue holds a job, so phases do not overlap. */
export async function queuesIdle(timeoutMs = 300_000) {
  const redis = new Redis(REDIS_URL);
  try {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
      const counts = await Promise.all(
        ["shop", "content", "orders", "translation"].flatMap((queue) => [
          redis.llen(`storewise:${queue}:wait`),
          redis.llen(`storewise:${queue}:active`),
          redis.zcard(`storewise:${queue}:delayed`),
          redis.zcard(`storewise:${queue}:prioritized`),
        ]),
      );
      if (counts.every((n) => n === 0)) return;
      await sleep(200);
    }
  } finally {
    await redis.quit();
  }
}

/** The store's resource types (Shopify's TranslatableResourceType) as the app's kinds. */
const KINDS: Record<string, TranslatableKind> = {
  PRODUCT: "product",
  PRODUCT_OPTION: "product-option",
  PRODUCT_OPTION_VALUE: "product-option-value",
  PRODUCT_IMAGE: "image",
  MEDIA_IMAGE: "image",
  METAFIELD: "metafield",
};

/** The app's own copy metafields (namespace storewise), the only metafields it translates. */
const COPY_METAFIELDS = new Set(["short_description", "features", "use_cases"]);

/**
 * Why a product is not yet live in every locale, as the store sees it (null once it is): every key
 * the app translates (handles off, the default) with a source value, on the product and on its
 * nested resources, holds a translation in each locale registered against the source's current
 * digest. As in the app, Shopify's placeholder option ("Title" / "Default Title", never shown on
 * the storefront) and other apps' metafields are not the app's to translate.
 */
export async function notLiveReason(control: EmulatorControl, shop: string, productId: string): Promise<string | null> {
  const product = await control.getProduct(shop, productId);
  const copyMetafields = new Set(
    product.metafields.filter((m) => m.namespace === "storewise" && COPY_METAFIELDS.has(m.key)).map((m) => m.id),
  );
  const check = async (resourceId: string): Promise<string | null> => {
    const resource = await control.translations(shop, resourceId);
    const kind = KINDS[resource.resourceType] ?? "other";
    if (kind === "metafield" && !copyMetafields.has(resourceId)) return null;
    const name = resource.translatableContent.find((entry) => entry.key === "name")?.value;
    if (kind === "product-option" && name === "Title") return null;
    if (kind === "product-option-value" && name === "Default Title") return null;
    for (const entry of resource.translatableContent) {
      if (!entry.value?.trim() || !translatesKey(kind, entry.key, { translateHandles: false })) continue;
      for (const locale of LOCALES) {
        const live = resource.translations.find((t) => t.locale === locale && t.key === entry.key);
        if (!live) return `${resourceId} ${entry.key} has no ${locale} translation`;
        if (live.sourceDigest !== entry.digest || live.outdated)
          return `${resourceId} ${entry.key} ${locale} is outdated`;
      }
    }
    for (const nested of resource.nested) {
      const reason = await check(nested.resourceId);
      if (reason) return reason;
    }
    return null;
  };
  if (copyMetafields.size === 0) return "the copy metafields are not written yet";
  return check(productId);
}

export async function copyLive(shop: string, productId: string): Promise<boolean> {
  return (
    (await count(
      `SELECT count(*) FROM "ProductContent" WHERE "shopDomain" = $1 AND "productId" = $2 AND status = 'LIVE'`,
      [shop, productId],
    )) > 0
  );
}

/** The LLM emulator's counters between two snapshots. */
export function llmDelta(before: LlmEmulatorStats, after: LlmEmulatorStats) {
  return {
    calls: after.chatCompletions - before.chatCompletions,
    tokens: after.promptTokens + after.completionTokens - before.promptTokens - before.completionTokens,
    tokensCharged: after.tokensCharged - before.tokensCharged,
    latencyMsTotal: after.completionLatencyMsTotal - before.completionLatencyMsTotal,
    rateLimitedRequests: after.rateLimitedRequests - before.rateLimitedRequests,
    rateLimitedTokens: after.rateLimitedTokens - before.rateLimitedTokens,
  };
}
