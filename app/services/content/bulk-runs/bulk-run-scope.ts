import type { BulkRun } from "@prisma/client";

import type { CatalogFilter } from "~/services/ports/catalog";

/** What a merchant can ask a bulk run to cover. */
export type BulkRunSelection =
  | { scope: "ALL" }
  | { scope: "MISSING_DESCRIPTION" }
  | { scope: "COLLECTION"; collectionId: string; collectionTitle: string }
  | { scope: "TAG"; tag: string };

/** The store-side filter for a run. "Missing description" reads everything and keeps the empty ones. */
export function catalogFilterOf(run: Pick<BulkRun, "scope" | "scopeValue">): CatalogFilter {
  if (run.scope === "COLLECTION") return { kind: "collection", collectionId: run.scopeValue ?? "" };
  if (run.scope === "TAG") return { kind: "tag", tag: run.scopeValue ?? "" };
  return { kind: "all" };
}

export function describeScope(run: Pick<BulkRun, "scope" | "scopeLabel" | "scopeValue">): string {
  switch (run.scope) {
    case "ALL":
      return "Whole catalog";
    case "MISSING_DESCRIPTION":
      return "Products without a description";
    case "COLLECTION":
      return `Collection: ${run.scopeLabel ?? run.scopeValue}`;
    case "TAG":
      return `Tag: ${run.scopeValue}`;
  }
}
