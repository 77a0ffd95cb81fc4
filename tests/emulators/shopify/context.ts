// Per-request context handed to every resolver.
import type { BulkOperationRecord, EmulatorState, RegisterLogEntry, ShopRecord } from "./state";
import type { WebhookDispatcher } from "./webhooks";

export interface EmulatorRuntime {
  /** Public base URL of the emulator (for bulk result URLs). */
  baseUrl(): string;
  /** The app's client id and name, as `currentAppInstallation.app` reports them. */
  apiKey: string;
  appName: string;
  allowUnpublishedLocaleTranslations: boolean;
  /**
   * Strict mode: a selected field the emulator does not model fails the request with a GraphQL
   * error naming it ("Emulator does not model Product.foo") instead of answering a type-correct
   * "", 0, [] or null that no real shop would send. On in every test, benchmark and the sandbox.
   */
  strict: boolean;
  /** Starts a bulk query run in the background (implemented in bulk.ts). */
  startBulkQuery(
    shop: ShopRecord,
    query: string,
  ): BulkOperationRecord | { error: { field: string[]; message: string; code: string } };
  cancelBulk(shop: ShopRecord, id: number): BulkOperationRecord | null;
  warn(message: string, details?: Record<string, unknown>): void;
  webhooks: WebhookDispatcher;
}

export interface ResolverContext {
  state: EmulatorState;
  shop: ShopRecord;
  runtime: EmulatorRuntime;
  /** True while executing a bulk operation's inner query: connections ignore first/last. */
  bulk: boolean;
  /** Granted access scopes (write_x implies read_x); null disables access checks. */
  scopes: Set<string> | null;
  /** Root fields the emulator does not implement that this request asked for. */
  unimplemented: string[];
  /** The translationsRegister fields this request ran (for the shop's request log). */
  registered?: RegisterLogEntry[];
}

const expanded = new WeakMap<readonly string[], Set<string>>();

/** Expands write_x → read_x like Shopify does when checking access (memoised per scope list). */
export function expandScopes(scopes: readonly string[]): Set<string> {
  const hit = expanded.get(scopes);
  if (hit) return hit;
  const out = new Set<string>();
  expanded.set(scopes, out);
  for (const s of scopes) {
    out.add(s);
    if (s.startsWith("write_")) out.add(`read_${s.slice(6)}`);
  }
  return out;
}
