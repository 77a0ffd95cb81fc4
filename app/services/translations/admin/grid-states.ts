/** The status grid's states of a key in a locale (browser-safe: the admin pages name them). */
export type GridState = "translated" | "outdated" | "missing" | "edited" | "failed";
export const GRID_STATES: GridState[] = ["translated", "outdated", "missing", "edited", "failed"];
/** The states a bulk run translates: "everything outdated or missing" (failed keys are retried with them). */
export const PENDING_STATES: GridState[] = ["outdated", "missing", "failed"];
