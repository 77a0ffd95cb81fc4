import { z } from "zod";

/**
 * Every background job: its queue and its payload schema. Jobs carry ids, never secrets or
 * whole webhook bodies, so a retried job always works from the shop's current state.
 * Processors live in workers/processors; this file is shared by web (enqueue) and worker.
 */
export const QUEUE_NAMES = ["shop", "content", "orders", "translation"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

const shop = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be a *.myshopify.com domain");
// Ids only: zod drops the webhook's email and phone here, so no waiting, delayed or failed
// compliance job (failed jobs stay in Redis for 30 days) holds a customer's contact details.
// The keyed hash of the email (the order table's key, never the email) finds a guest's tickets.
const customer = z.object({ id: z.string().nullable(), emailHash: z.string().nullable().optional() });

const productChange = z.object({
  shop,
  productId: z.string(),
  factsHash: z.string(),
  descriptionHash: z.string(),
  // The product's updated_at as the webhook reported it (ISO 8601): an older delivery than one
  // already processed is ignored. Optional: jobs queued before this field existed lack it.
  updatedAt: z.iso.datetime({ offset: true }).optional(),
});

interface JobDefinition<Schema extends z.ZodType> {
  queue: QueueName;
  payload: Schema;
  /** Completed jobs are kept this long so a redelivered webhook with the same id stays a no-op. */
  keepCompletedSeconds: number;
  /** Live work that takes the shop's turn, so one busy shop cannot hold up others (fair-share.server.ts). */
  fairShare?: boolean;
}

function defineJob<Schema extends z.ZodType>(definition: JobDefinition<Schema>): JobDefinition<Schema> {
  return definition;
}

const TWO_DAYS = 2 * 24 * 3600;

export const jobDefinitions = {
  "shop.uninstalled": defineJob({ queue: "shop", payload: z.object({ shop }), keepCompletedSeconds: TWO_DAYS }),
  "shop.scopes-updated": defineJob({
    queue: "shop",
    payload: z.object({ shop, scopes: z.array(z.string()) }),
    keepCompletedSeconds: TWO_DAYS,
  }),
  // Compliance jobs hold a customer's contact details, so they leave Redis as soon as they finish;
  // the ComplianceRequest row (unique per webhook id) keeps them idempotent instead.
  "compliance.customer-data-request": defineJob({
    queue: "shop",
    payload: z.object({
      shop,
      webhookId: z.string(),
      customer,
      orderIds: z.array(z.string()),
      dataRequestId: z.string().nullable(),
    }),
    keepCompletedSeconds: 0,
  }),
  "compliance.customer-redact": defineJob({
    queue: "shop",
    payload: z.object({ shop, webhookId: z.string(), customer, orderIds: z.array(z.string()) }),
    keepCompletedSeconds: 0,
  }),
  "compliance.shop-redact": defineJob({
    queue: "shop",
    payload: z.object({ shop, webhookId: z.string() }),
    keepCompletedSeconds: 0,
  }),
  // The hashes let the content pipeline tell its own write's echo from a merchant's edit
  // without fetching the product (docs/decisions/004-webhook-intake.md).
  "product.created": defineJob({
    queue: "content",
    payload: productChange,
    keepCompletedSeconds: TWO_DAYS,
    fairShare: true,
  }),
  "product.updated": defineJob({
    queue: "content",
    payload: productChange,
    keepCompletedSeconds: TWO_DAYS,
    fairShare: true,
  }),
  "content.publish-version": defineJob({
    queue: "content",
    payload: z.object({ shop, versionId: z.string() }),
    keepCompletedSeconds: TWO_DAYS,
    fairShare: true,
  }),
  "content.regenerate": defineJob({
    queue: "content",
    payload: z.object({ shop, productContentId: z.string(), note: z.string().max(500).nullable() }),
    keepCompletedSeconds: TWO_DAYS,
    fairShare: true,
  }),
  "content.resume": defineJob({
    queue: "content",
    payload: z.object({ shop, productContentId: z.string() }),
    keepCompletedSeconds: TWO_DAYS,
    fairShare: true,
  }),
  // A bulk run reads the catalog (polling the store's export until it is ready), then queues one
  // item job per product, after all live work (docs/decisions/008).
  "bulk-run.read": defineJob({
    queue: "content",
    payload: z.object({ shop, runId: z.string() }),
    keepCompletedSeconds: TWO_DAYS,
  }),
  "bulk-run.item": defineJob({
    queue: "content",
    payload: z.object({ shop, itemId: z.string() }),
    keepCompletedSeconds: TWO_DAYS,
  }),
  // One resource's translation into the shop's target locales (docs/decisions/017). Its id is the
  // source change, kept ten minutes: a copy publish and its products/update echo are one job, while
  // a later edit the fingerprints cannot see (an SEO title) still runs; a repeated run costs no
  // tokens (the ledger finds every key unchanged).
  "translation.resource": defineJob({
    queue: "translation",
    payload: z.object({
      shop,
      resourceId: z.string().min(1),
      retryFailed: z.boolean().optional(),
      replace: z
        .array(z.object({ resourceId: z.string(), key: z.string(), locale: z.string() }))
        .max(250)
        .optional(),
    }),
    keepCompletedSeconds: 600,
    fairShare: true,
  }),
  // The translations admin's scan of the store's translatable content, one page of 50 resources
  // a job, each queueing the next (docs/decisions/024).
  "translation.scan": defineJob({
    queue: "translation",
    payload: z.object({
      shop,
      kind: z.number().int().min(0).max(20),
      after: z.string().max(500).nullable(),
      startedAt: z.iso.datetime(),
    }),
    keepCompletedSeconds: 600,
  }),
  // One resource of a merchant's bulk translation, after all live work (docs/decisions/024, 008).
  "translation.bulk-item": defineJob({
    queue: "translation",
    payload: z.object({ shop, itemId: z.string() }),
    keepCompletedSeconds: TWO_DAYS,
  }),
  "order.upserted": defineJob({
    queue: "orders",
    payload: z.object({ shop, orderId: z.string(), customerId: z.string().nullable().optional() }),
    keepCompletedSeconds: TWO_DAYS,
  }),
  // The 60-day order backfill: starts the store's export, polls it by queueing itself again, then
  // records the orders in batches (docs/decisions/018).
  "orders.backfill": defineJob({
    queue: "orders",
    payload: z.object({ shop }),
    keepCompletedSeconds: TWO_DAYS,
  }),
  // locales/create and locales/update: the locale's code only; whoever handles it reads the shop's
  // published locales again (a redelivery or a late delivery must not apply a stale state).
  "shop.locale-changed": defineJob({
    queue: "shop",
    payload: z.object({ shop, locale: z.string() }),
    keepCompletedSeconds: TWO_DAYS,
  }),
  // A translatable resource other than a product changed in the store (collections/update; the
  // webhook id is the job id): translated when the shop translates automatically and has a target
  // locale, only the keys whose digest changed (docs/decisions/023).
  "translation.resource-changed": defineJob({
    queue: "translation",
    payload: z.object({ shop, resourceId: z.string().min(1) }),
    keepCompletedSeconds: TWO_DAYS,
    fairShare: true,
  }),
  // Queues the translation of every resource of kinds Shopify sends no update webhook for (pages,
  // policies): on demand and when a locale is published (docs/decisions/023).
  "translation.sweep": defineJob({
    queue: "translation",
    payload: z.object({
      shop,
      kinds: z.array(z.enum(["page", "policy", "collection", "product"])).min(1),
      sweepId: z.string().min(1),
    }),
    keepCompletedSeconds: 600,
  }),
  // The support chat's passages of the store's policies and pages, (re)built from the store
  // (services/support/index-store-content.server.ts): on install and on demand.
  "support.index-content": defineJob({
    queue: "shop",
    payload: z.object({ shop }),
    keepCompletedSeconds: 600,
  }),
  // One product's chat passages, read again after products/create, products/update (queued by
  // their jobs) or products/delete (queued by the webhook): a gone product loses its passages.
  "support.index-product": defineJob({
    queue: "shop",
    payload: z.object({ shop, productId: z.string() }),
    keepCompletedSeconds: 600,
  }),
  // An FAQ entry's question and answer in the shop's other languages, after the merchant saved it.
  "support.translate-faq": defineJob({
    queue: "translation",
    payload: z.object({ shop, faqId: z.string() }),
    keepCompletedSeconds: 600,
  }),
  // The weekly insights digest (docs/decisions/028): produced by the shop's job scheduler
  // (jobs/digest-schedule.server.ts) on Mondays, or queued on demand; it writes the last complete
  // week's digest, so a rerun replaces that week's row.
  "insights.weekly-digest": defineJob({
    queue: "shop",
    payload: z.object({ shop, trigger: z.enum(["scheduled", "on-demand"]).default("scheduled") }),
    keepCompletedSeconds: TWO_DAYS,
  }),
} as const;

export type JobName = keyof typeof jobDefinitions;
export type JobPayload<Name extends JobName> = z.infer<(typeof jobDefinitions)[Name]["payload"]>;
export type AnyJob = { [Name in JobName]: { name: Name; payload: JobPayload<Name> } }[JobName];

export function parseJobPayload<Name extends JobName>(name: Name, data: unknown): JobPayload<Name> {
  return jobDefinitions[name].payload.parse(data) as JobPayload<Name>;
}

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobDefinitions, name);
}
