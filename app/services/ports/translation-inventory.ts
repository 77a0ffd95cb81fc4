import type { TranslatableKind } from "~/services/ports/translations";

/**
 * A page of the store's translatable resources of one kind, read in one request per page (and per
 * four locales): what the translations admin needs to count outdated and missing keys and to show
 * names, without an Admin call per resource. The Shopify implementation is
 * integrations/shopify/shopify-translation-inventory.server.ts (translatableResources).
 */
export interface InventoryResource {
  resourceId: string;
  /** Each source field with content: its key, value and the store's digest. */
  source: Array<{ key: string; value: string; digest: string }>;
  /** The live translations per locale: key → whether the store marks it outdated. */
  live: Record<string, Record<string, boolean>>;
}

export interface TranslationInventoryStore {
  translatableResourcesPage(
    kind: TranslatableKind,
    locales: string[],
    options?: { after?: string | null },
  ): Promise<{ resources: InventoryResource[]; next: string | null }>;
  /** The source fields of up to 50 resources by id (their names, for a list); gone ones are left out. */
  resourcesByIds(resourceIds: string[]): Promise<InventoryResource[]>;
}
