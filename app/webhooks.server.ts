import { InvalidShopError } from "@shopify/shopify-api";
import { ZodError } from "zod";

import { prisma } from "~/db.server";
import { enqueue } from "~/jobs/enqueue.server";
import { isAppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { webhookIntakeDuration, webhooksReceived } from "~/lib/metrics.server";
import { withTimeout } from "~/lib/with-timeout";
import {
  ForeignDeliveryError,
  INSTALL_CHECK,
  topicKey,
  type WebhookTopic,
} from "~/integrations/shopify/webhook-topics.server";
import type { WebhookInput } from "~/integrations/shopify/webhook-verifier.server";
import { installationState } from "~/services/shops/installation-state.server";
import { verifyWebhook } from "~/shopify.server";
import { jobForWebhook, jobIdFor } from "~/webhook-jobs.server";

/**
 * Acknowledges a webhook in milliseconds: verify (401 to a bad HMAC and 400 to missing headers, as
 * the library's authenticate.webhook answers; integrations/shopify/webhook-verifier.server.ts), check that the signed body belongs to the shop and topic the unsigned
 * headers name, check the shop's installation, map to a job, enqueue with the webhook id as job
 * id (so a duplicate delivery is a no-op), answer 200.
 *
 * Status codes, and why (Shopify retries every non-2xx answer on its own schedule):
 * - 503 + Retry-After only when Redis or Postgres cannot be reached or does not answer within
 *   INTAKE_DEADLINE_MS: retrying later works, and nothing is lost.
 * - 400 for a body that can never become a valid job (wrong shape, another shop's or topic's body,
 *   a job payload its schema refuses): the same bytes will fail the same way on every retry, so we
 *   must not invite retries with a 503.
 * - 409 for shop/redact while the shop is still installed (refused, nothing erased).
 * - 200 without a job for a shop the app cannot act for (see `installed` below).
 * - 500 for an unexpected error (a bug, or Redis refusing a command for a reason other than being
 *   out of reach): logged, and left to Shopify's bounded retries without a Retry-After invitation.
 */
export async function receiveWebhook(delivery: Request | WebhookInput, expected: WebhookTopic): Promise<Response> {
  const stopTimer = webhookIntakeDuration.startTimer({ topic: expected });
  const response = await intake(delivery, expected);
  stopTimer({ status: String(response.status) });
  return response;
}

/**
 * The whole intake, database and Redis included, answers within this: Shopify gives up on a
 * delivery after 5 s, and a 503 in time makes it retry. Pool and command timeouts (db.server.ts,
 * redis.server.ts) free what a dead store holds; this deadline bounds what the caller waits.
 */
export const INTAKE_DEADLINE_MS = 1_500;

/** `work`, or a TimeoutError once `deadline` (epoch ms) has passed. */
function within<T>(work: Promise<T>, deadline: number, what: string): Promise<T> {
  return withTimeout(work, deadline - Date.now(), `${what}: no answer within the intake deadline`);
}

async function intake(received: Request | WebhookInput, expected: WebhookTopic): Promise<Response> {
  const deadline = Date.now() + INTAKE_DEADLINE_MS;
  let delivery;
  try {
    // Verifying also loads the shop's offline session (from memory, or Postgres).
    delivery = await within(verifyWebhook(received), deadline, "session lookup");
  } catch (error) {
    if (error instanceof Response) {
      webhooksReceived.inc({ topic: expected, outcome: `rejected_${error.status}` });
      return error;
    }
    if (error instanceof SyntaxError) return badRequest(expected, "body is not valid JSON");
    // A signed delivery whose X-Shopify-Shop-Domain is no shop domain: no retry can change that.
    if (error instanceof InvalidShopError) return badRequest(expected, "X-Shopify-Shop-Domain is not a shop domain");
    // Anything else failed in the database, not in the delivery: it can succeed later.
    return unavailable(expected, error, { topic: expected });
  }
  const { shop, webhookId, topic, payload, session } = delivery;
  if (topic !== topicKey(expected)) {
    return badRequest(expected, `topic ${topic} was delivered to the ${expected} endpoint`);
  }

  let job;
  try {
    job = jobForWebhook(expected, { shop, webhookId, payload });
  } catch (error) {
    if (error instanceof ZodError) return badRequest(expected, error.issues.map((issue) => issue.message).join("; "));
    if (error instanceof ForeignDeliveryError) return badRequest(expected, error.message);
    throw error;
  }

  let refused;
  try {
    refused = await within(installed(expected, shop, session !== undefined), deadline, "installation lookup");
  } catch (error) {
    return unavailable(expected, error, { shop, topic: expected, webhookId });
  }
  if (refused) return refused;

  try {
    await enqueue(job.name, job.payload, {
      jobId: jobIdFor(webhookId),
      timeoutMs: Math.max(100, deadline - Date.now()),
    });
  } catch (error) {
    if (error instanceof ZodError) return badRequest(expected, error.issues.map((issue) => issue.message).join("; "));
    if (isAppError(error, "QUEUE_UNAVAILABLE"))
      return unavailable(expected, error, { shop, topic: expected, webhookId });
    webhooksReceived.inc({ topic: expected, outcome: "error" });
    logger.error({ err: error, shop, topic: expected, webhookId }, "webhook not queued: the queue refused the job");
    return new Response("Webhook could not be queued", { status: 500 });
  }
  webhooksReceived.inc({ topic: expected, outcome: "queued" });
  return new Response(null, { status: 200 });
}

/**
 * Whether the app may act on this delivery for this shop; a Response when it must not.
 * - Product, order and scopes topics need an installed shop. The offline session the verifier has
 *   already loaded proves it (no extra read on the hot path); without one (an idle shop's token
 *   has expired, or the shop is gone) the shop's record decides. A shop that is not installed
 *   cannot be acted for: the delivery is acknowledged (200) and dropped, since no retry changes that.
 * - Uninstall and compliance topics read the shop's record. For an unknown shop the app holds
 *   nothing to erase, export or uninstall, so the delivery is acknowledged (200: Shopify requires
 *   a 2xx for a validly signed compliance webhook) and dropped. shop/redact for a shop that is
 *   still installed is refused (409): Shopify sends it only 48 hours after an uninstall, so it is
 *   a replay. The worker checks again before erasing (workers/processors.ts).
 */
async function installed(topic: WebhookTopic, shop: string, hasSession: boolean): Promise<Response | undefined> {
  // A usable offline session proves the install without another read. Its absence does not prove
  // the opposite: session storage hides an offline session whose token has expired (an idle shop,
  // decision 005), so the shop's record decides then.
  if (INSTALL_CHECK[topic] === "session" && hasSession) return undefined;
  const state = await installationState({ db: prisma, shop });
  if (INSTALL_CHECK[topic] === "session") {
    return state === "installed" ? undefined : ignored(topic, shop, "the shop is not installed");
  }
  if (state === "unknown") return ignored(topic, shop, "the app has no record of this shop");
  if (topic === "shop/redact" && state === "installed") {
    webhooksReceived.inc({ topic, outcome: "refused_installed" });
    logger.warn({ shop, topic }, "shop/redact refused: the shop is still installed");
    return new Response("Refused: the shop is still installed", { status: 409 });
  }
  return undefined;
}

function ignored(topic: WebhookTopic, shop: string, reason: string): Response {
  webhooksReceived.inc({ topic, outcome: "ignored" });
  logger.info({ shop, topic, reason }, "webhook acknowledged without a job");
  return new Response(null, { status: 200 });
}

function unavailable(topic: WebhookTopic, error: unknown, context: Record<string, unknown>): Response {
  webhooksReceived.inc({ topic, outcome: "unavailable" });
  logger.error({ err: error, ...context }, "webhook not queued; answering 503 so Shopify retries");
  return new Response("Temporarily unavailable, retry later", { status: 503, headers: { "Retry-After": "10" } });
}

function badRequest(topic: WebhookTopic, reason: string): Response {
  webhooksReceived.inc({ topic, outcome: "invalid" });
  logger.warn({ topic, reason }, "webhook rejected as malformed");
  return new Response(`Bad webhook: ${reason}`, { status: 400 });
}

/**
 * A route action for one topic: `export const action = webhookAction("products/create")`. Its
 * `receive` takes the delivery without a Fetch Request, for the web server's fast path
 * (server/webhook-fast-path.ts); both answer the same.
 */
export function webhookAction(topic: WebhookTopic) {
  const action = ({ request }: { request: Request }) => receiveWebhook(request, topic);
  return Object.assign(action, { receive: (delivery: WebhookInput) => receiveWebhook(delivery, topic) });
}
