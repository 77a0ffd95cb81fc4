import type { JobName } from "~/jobs/definitions";

/**
 * What each job did, in a merchant's words: the home page lists failures by these, never by the
 * job's internal name. Typed over every job, so a new job cannot ship without one.
 */
export const JOB_LABELS: Record<JobName, string> = {
  "shop.uninstalled": "Confirming the app was uninstalled",
  "shop.scopes-updated": "Recording the app's new permissions",
  "compliance.customer-data-request": "Exporting a customer's data (privacy request)",
  "compliance.customer-redact": "Erasing a customer's data (privacy request)",
  "compliance.shop-redact": "Erasing the store's data after uninstall",
  "product.created": "Writing copy for a new product",
  "product.updated": "Updating copy after a product changed",
  "content.publish-version": "Publishing copy to Shopify",
  "content.regenerate": "Writing new copy you asked for",
  "content.resume": "Writing copy paused by the monthly cap",
  "bulk-run.read": "Reading the catalog for a bulk run",
  "bulk-run.item": "Writing copy in a bulk run",
  "order.upserted": "Recording an order",
  "shop.locale-changed": "Updating the store's languages",
  "translation.resource": "Translating a product into your store's languages",
  "translation.scan": "Checking your store for content to translate",
  "translation.bulk-item": "Translating an item in a bulk translation",
  "orders.backfill": "Importing the last 60 days of orders",
  "support.index-content": "Reading your policies, pages and products for the support chat",
  "support.index-product": "Reading a product for the support chat",
  "support.translate-faq": "Translating an FAQ answer for the support chat",
  "insights.weekly-digest": "Writing the weekly sales digest",
  "translation.resource-changed": "Translating a collection after it changed",
  "translation.sweep": "Finding pages and policies to translate",
};

/** The label of a recorded job name (a job removed since shows its name). */
export function jobLabel(name: string): string {
  return (JOB_LABELS as Record<string, string | undefined>)[name] ?? name;
}
