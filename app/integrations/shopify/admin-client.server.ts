import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { ClientError, GraphQLClient } from "graphql-request";

import { ADMIN_API_VERSION } from "~/config/api-version";
import { AppError, isAppError, shopUnavailableError, type ShopUnavailableState } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { adminPacingWait, adminPoints, adminRequests, adminThrottles } from "~/lib/metrics.server";
import {
  BudgetExceededError,
  type CostBucket,
  type Reservation,
  type ThrottleStatus,
} from "~/integrations/shopify/cost-bucket.server";

export interface AccessTokenSource {
  get(): Promise<string>;
  /** Called after a 401, so the next get() reloads (and refreshes) the token. */
  invalidate(): void;
}

export interface AdminClientOptions {
  shop: string;
  /** https://<shop>, or the emulator's origin in dev and tests. */
  origin: string;
  token: AccessTokenSource;
  bucket: CostBucket;
  /** Longest pacing wait accepted before failing with ADMIN_API_BUDGET_EXHAUSTED (workers reschedule). */
  maxWaitMs?: number;
  /** Attempts for 429, 5xx and network failures (THROTTLED has its own, larger allowance). */
  maxAttempts?: number;
  /**
   * Longest one request() may take, pacing waits and retries included (default 30 s). Past it the
   * call fails with ADMIN_API_TIMEOUT, and a request on the wire is aborted and not retried (a
   * mutation may have landed). The publish claim window is derived from it (docs/decisions/011).
   */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

interface CostExtension {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus;
}

const DEFAULT_ESTIMATE = 10;
/** Shopify's base cost of one mutation field (https://shopify.dev/docs/api/usage/limits#cost-calculation). */
const MUTATION_FIELD_COST = 10;
export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_THROTTLED_RETRIES = 10;

// Learned from responses: what each document asked for last time, so the next reservation is exact.
const requestedCostByDocument = new Map<string, number>();
// What each document really cost last time (Shopify refunds the rest): spaces refused callers' retries.
const actualCostByDocument = new Map<string, number>();
// While a document's cost is unknown, one request learns it and the others wait for that answer
// rather than firing a burst of guesses into the bucket.
const learningCost = new Map<string, Promise<unknown>>();

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The only way the app talks to a shop's Admin API. It paces every request to the shop's cost
 * budget (shared through Redis), retries THROTTLED (also inside HTTP 200), 429, 5xx and network
 * failures with backoff, turns `userErrors` into errors, and counts what it does.
 */
export class AdminClient {
  readonly shop: string;
  private readonly client: GraphQLClient;
  private readonly options: Required<Pick<AdminClientOptions, "maxWaitMs" | "maxAttempts" | "sleep" | "timeoutMs">> &
    AdminClientOptions;

  constructor(options: AdminClientOptions) {
    this.shop = options.shop;
    this.options = {
      ...options,
      maxWaitMs: options.maxWaitMs ?? 30_000,
      maxAttempts: options.maxAttempts ?? 4,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      sleep: options.sleep ?? defaultSleep,
    };
    this.client = new GraphQLClient(`${options.origin}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
      fetch: options.fetch,
    });
  }

  /** Runs a query (or mutation) and returns its data. */
  async request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    while (!requestedCostByDocument.has(document)) {
      const learning = learningCost.get(document);
      if (!learning) {
        const first = this.send<T>(document, variables);
        const settled = first.catch(() => undefined).finally(() => learningCost.delete(document));
        learningCost.set(document, settled);
        return first;
      }
      await learning;
    }
    return this.send<T>(document, variables);
  }

  private async send<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    let failures = 0;
    let throttled = 0;
    let reauthenticated = false;
    const deadline = Date.now() + this.options.timeoutMs;
    for (;;) {
      const estimate = requestedCostByDocument.get(document) ?? firstEstimate(document);
      const reservation = await this.waitForBudget(estimate, actualCostByDocument.get(document) ?? estimate);
      let response: Awaited<ReturnType<GraphQLClient["rawRequest"]>> | undefined;
      let failure: unknown;
      let timedOut = false;
      try {
        const headers = { "X-Shopify-Access-Token": await this.options.token.get() };
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          await this.options.bucket.settle(this.shop, { refund: estimate, reservation });
          throw this.timeout(false);
        }
        response = await this.client.rawRequest<T>({
          query: document,
          variables,
          requestHeaders: headers,
          signal: AbortSignal.timeout(remaining),
        } as Parameters<GraphQLClient["rawRequest"]>[0]);
      } catch (error) {
        if (isAppError(error, "ADMIN_API_TIMEOUT")) throw error;
        failure = error;
        timedOut = (error as Error)?.name === "TimeoutError" || (error as Error)?.name === "AbortError";
      }

      const cost = costOf(
        response?.extensions ?? (failure instanceof ClientError ? failure.response.extensions : undefined),
      );
      if (cost?.requestedQueryCost !== undefined) requestedCostByDocument.set(document, cost.requestedQueryCost);
      const spent = cost?.actualQueryCost ?? 0;
      if (typeof cost?.actualQueryCost === "number") actualCostByDocument.set(document, cost.actualQueryCost);
      await this.options.bucket.settle(this.shop, {
        refund: estimate - spent,
        status: cost?.throttleStatus,
        reservation,
      });
      if (spent > 0) adminPoints.inc(spent);

      if (response) {
        adminRequests.inc({ outcome: "ok" });
        return response.data as T;
      }
      if (timedOut) {
        adminRequests.inc({ outcome: "timeout" });
        throw this.timeout(true, failure);
      }

      const decision = this.classify(failure);
      adminRequests.inc({ outcome: decision.outcome });
      if (decision.kind === "throttled") {
        adminThrottles.inc();
        if (++throttled > MAX_THROTTLED_RETRIES) throw decision.error;
        // The bucket now mirrors Shopify's throttleStatus and knows this document's cost,
        // so the next reservation waits exactly as long as the refill takes.
        logger.debug({ shop: this.shop }, "admin api throttled; retrying once the bucket refills");
        continue;
      }
      if (decision.kind === "unauthorized" && !reauthenticated) {
        reauthenticated = true;
        this.options.token.invalidate();
        continue;
      }
      // A mutation that reached Shopify and then failed on the way back (a 5xx, a dropped
      // connection) may have been applied: sending it again could write twice. It goes back to the
      // caller marked `sent`, whose own guard (the publish claim and copy_version marker) decides.
      if (decision.kind === "retry" && (decision.outcome === "network_error" || decision.outcome === "http_error")) {
        if (isMutation(document) && !neverSent(failure)) {
          decision.error.details.sent = true;
          throw decision.error;
        }
      }
      if (decision.kind === "retry" && ++failures < this.options.maxAttempts) {
        const waitMs = decision.waitMs ?? backoff(failures);
        logger.warn(
          { shop: this.shop, attempt: failures, waitMs, reason: decision.error.message },
          "admin api call failed; retrying",
        );
        await this.options.sleep(waitMs);
        continue;
      }
      throw decision.error;
    }
  }

  /**
   * Runs a mutation and returns its payload at `root`, throwing ADMIN_API_USER_ERRORS when Shopify
   * rejected the input (userErrors are an HTTP 200 with data, so they are easy to miss).
   */
  async mutate<T extends { userErrors?: UserError[] | null }>(
    document: string,
    variables: Record<string, unknown>,
    root: string,
  ): Promise<T> {
    const data = await this.request<Record<string, T | null>>(document, variables);
    const payload = data[root];
    if (!payload) {
      throw new AppError("ADMIN_API_GRAPHQL_ERROR", `${root} returned no payload`, { details: { shop: this.shop } });
    }
    const userErrors = payload.userErrors ?? [];
    if (userErrors.length > 0) {
      throw new AppError("ADMIN_API_USER_ERRORS", `${root} rejected: ${userErrors.map(describeUserError).join("; ")}`, {
        userMessage: `Shopify rejected the change: ${userErrors.map((error) => error.message).join("; ")}`,
        details: { shop: this.shop, root, userErrors },
      });
    }
    return payload;
  }

  private async waitForBudget(cost: number, expectedSpend: number): Promise<Reservation> {
    try {
      const reservation = await this.options.bucket.reserve(this.shop, cost, this.options.maxWaitMs, expectedSpend);
      adminPacingWait.observe(reservation.waitMs / 1000);
      if (reservation.waitMs > 0) await this.options.sleep(reservation.waitMs);
      return reservation;
    } catch (error) {
      if (!(error instanceof BudgetExceededError)) throw error;
      throw new AppError("ADMIN_API_BUDGET_EXHAUSTED", `shop ${this.shop} is out of Admin API budget`, {
        retryable: true,
        details: { shop: this.shop, retryInMs: error.retryInMs },
        userMessage: "Shopify's rate limit for this store is used up; the work will resume shortly.",
      });
    }
  }

  /** `sent`: whether the request reached the wire (then a mutation may or may not have landed). */
  private timeout(sent: boolean, cause?: unknown): AppError {
    return new AppError("ADMIN_API_TIMEOUT", `Admin API call took longer than ${this.options.timeoutMs} ms`, {
      retryable: true,
      cause,
      details: { shop: this.shop, sent, timeoutMs: this.options.timeoutMs },
      userMessage: "Shopify took too long to answer; the work will be tried again.",
    });
  }

  private classify(failure: unknown): Decision {
    // The token source failed before anything was sent: not installed, or a refresh Shopify
    // refused (final), or one that failed for a passing reason (retryable).
    if (failure instanceof AppError) {
      return failure.retryable
        ? { kind: "retry", outcome: "token_error", error: failure }
        : { kind: "fail", outcome: "token_error", error: failure };
    }
    if (!(failure instanceof ClientError)) {
      const error = new AppError("ADMIN_API_NETWORK_ERROR", `network error: ${(failure as Error)?.message}`, {
        retryable: true,
        cause: failure,
        details: { shop: this.shop },
      });
      return { kind: "retry", outcome: "network_error", error };
    }
    const { status, headers } = failure.response;
    // A 401/404 body carries `errors` as a string, not a list.
    const errors = Array.isArray(failure.response.errors) ? failure.response.errors : [];
    const codes = errors.map((error) => (error.extensions as { code?: string } | undefined)?.code);
    if (codes.includes("THROTTLED")) {
      const error = new AppError(
        "ADMIN_API_THROTTLED",
        `throttled by Shopify ${MAX_THROTTLED_RETRIES} times in a row`,
        {
          retryable: true,
          details: { shop: this.shop },
        },
      );
      return { kind: "throttled", outcome: "throttled", error };
    }
    if (status === 429) {
      const retryAfter = Number(headers.get("retry-after"));
      const error = httpError(this.shop, status, true);
      adminThrottles.inc();
      return { kind: "retry", outcome: "throttled", error, waitMs: retryAfter > 0 ? retryAfter * 1000 : undefined };
    }
    if (status === 401 || status === 403) {
      const error = new AppError("ADMIN_API_UNAUTHORIZED", `Admin API answered ${status}`, {
        details: { shop: this.shop, body: failure.response.body?.slice(0, 200) },
        userMessage: "Storewise lost access to this store. Open the app from Shopify admin to reconnect it.",
      });
      return { kind: "unauthorized", outcome: "http_error", error };
    }
    const state = SHOP_STATE_BY_STATUS[status];
    if (state)
      return { kind: "fail", outcome: "shop_unavailable", error: shopUnavailableError(this.shop, state, status) };
    if (status >= 500) return { kind: "retry", outcome: "http_error", error: httpError(this.shop, status, true) };
    if (status !== 200) return { kind: "fail", outcome: "http_error", error: httpError(this.shop, status, false) };
    const messages = errors.map((error) => error.message).join("; ");
    // A field or object the app is not approved for: protected customer data without approval
    // (https://shopify.dev/docs/apps/launch/protected-customer-data), or a scope not granted.
    // Asking again cannot help; the caller decides what it can do without it.
    if (codes.includes("ACCESS_DENIED")) {
      const error = new AppError("ADMIN_API_ACCESS_DENIED", `Admin API denied access: ${messages}`, {
        details: { shop: this.shop, errors },
        userMessage:
          "Shopify has not approved Storewise's access to this data for the store (protected customer data or a missing permission).",
      });
      return { kind: "fail", outcome: "access_denied", error };
    }
    const error = new AppError("ADMIN_API_GRAPHQL_ERROR", `Admin API GraphQL error: ${messages}`, {
      details: { shop: this.shop, errors },
    });
    return { kind: "fail", outcome: "graphql_error", error };
  }
}

type Decision =
  | { kind: "throttled"; outcome: string; error: AppError }
  | { kind: "retry"; outcome: string; error: AppError; waitMs?: number }
  | { kind: "unauthorized" | "fail"; outcome: string; error: AppError };

function costOf(extensions: unknown): CostExtension | undefined {
  return (extensions as { cost?: CostExtension } | undefined)?.cost;
}

function backoff(attempt: number): number {
  const base = Math.min(8_000, 250 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

/** A connection that was never made (refused, or no such host): nothing reached Shopify. */
function neverSent(failure: unknown): boolean {
  for (let current = failure, depth = 0; current && typeof current === "object" && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Whether a GraphQL document's operation is a mutation (its first keyword, after comments). */
const firstEstimates = new Map<string, number>();

/**
 * What to reserve for a document whose cost Shopify has not told yet: a mutation costs at least 10
 * points per root field, so a request of 30 aliased translationsRegister fields reserves 300, not
 * the 10 of one field (which would overdraw the shared bucket until its answer corrects it).
 */
export function firstEstimate(document: string): number {
  let estimate = firstEstimates.get(document);
  if (estimate === undefined) {
    estimate = DEFAULT_ESTIMATE;
    if (isMutation(document)) {
      try {
        const op = parse(document).definitions.find(
          (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
        );
        const fields = op?.selectionSet.selections.filter((selection) => selection.kind === Kind.FIELD).length ?? 1;
        estimate = Math.max(DEFAULT_ESTIMATE, fields * MUTATION_FIELD_COST);
      } catch {
        // Shopify answers an unparsable document with an error; the default reservation is enough for that.
      }
    }
    firstEstimates.set(document, estimate);
  }
  return estimate;
}

export function isMutation(document: string): boolean {
  return /^\s*(?:#[^\n]*\n\s*)*mutation\b/.test(document);
}

/**
 * "402 Payment Required: The shop is frozen. The shop owner will need to pay the outstanding balance
 * to unfreeze the shop." "423 Locked: The shop isn't available." (shopify.dev/docs/api/usage/response-codes)
 * Neither passes by retrying in seconds, and neither is the app's outage: the call fails at once.
 */
const SHOP_STATE_BY_STATUS: Record<number, ShopUnavailableState> = { 402: "frozen", 423: "locked" };

function httpError(shop: string, status: number, retryable: boolean): AppError {
  return new AppError("ADMIN_API_HTTP_ERROR", `Admin API answered HTTP ${status}`, {
    retryable,
    details: { shop, status },
  });
}

function describeUserError(error: UserError): string {
  return error.field?.length ? `${error.field.join(".")}: ${error.message}` : error.message;
}
