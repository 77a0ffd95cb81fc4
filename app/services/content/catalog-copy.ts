// What the product copy list and its page share (no server code: the page's components use it).

/** Products a page of the product copy list shows at most. */
export const PAGE_SIZE = 25;

/** The copy statuses the list filters by ("none": nothing written yet). */
export const COPY_STATUS_FILTERS = ["all", "none", "draft", "live", "skipped", "failed", "paused"] as const;
export type CopyStatusFilter = (typeof COPY_STATUS_FILTERS)[number];

/** What the merchant sees of a product's copy; one per product. */
export type CopyState =
  | { kind: "none" }
  | { kind: "draft"; version: number }
  | { kind: "live" }
  | { kind: "skipped" | "failed"; reason: string | null }
  | { kind: "paused"; reason: string | null };
