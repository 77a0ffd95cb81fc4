import { ZodError } from "zod";

import { enqueue } from "~/jobs/enqueue.server";
import { isAppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { webhookIntakeDuration, webhooksReceived } from "~/lib/metrics.server";
import { jobForWebhook, topicKey, type WebhookTopic } from "~/integrations/shopify/webhook-topics.server";
import { authenticate } from "~/shopify.server";

/**
 * Acknowledges a webhook in milliseconds: verify (the library answers 401 to a bad HMAC and 400
 * to missing headers), map to a job, enqueue with the webhook id as job id (so a duplicate
 * delivery is a no-op), answer 200. If the job cannot be queued we answer 503, and Shopify
 * delivers it again later: nothing is lost.
 */
export async function receiveWebhook(request: Request, expected: WebhookTopic): Promise<Response> {
  const stopTimer = webhookIntakeDuration.startTimer({ topic: expected });
  const response = await intake(request, expected);
  stopTimer({ status: String(response.status) });
  return response;
}

async function intake(request: Request, expected: WebhookTopic): Promise<Response> {
  let delivery;
  try {
    delivery = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof Response) {
      webhooksReceived.inc({ topic: expected, outcome: `rejected_${error.status}` });
      return error;
    }
    if (error instanceof SyntaxError) return badRequest(expected, "body is not valid JSON");
    throw error;
  }
  const { shop, webhookId, topic, payload } = delivery;
  if (topic !== topicKey(expected)) {
    return badRequest(expected, `topic ${topic} was delivered to the ${expected} endpoint`);
  }

  let job;
  try {
    job = jobForWebhook(expected, { shop, webhookId, payload });
  } catch (error) {
    if (error instanceof ZodError) return badRequest(expected, error.issues.map((issue) => issue.message).join("; "));
    throw error;
  }

  try {
    await enqueue(job.name, job.payload, { jobId: webhookId });
  } catch (error) {
    if (!isAppError(error, "QUEUE_UNAVAILABLE")) throw error;
    webhooksReceived.inc({ topic: expected, outcome: "unavailable" });
    logger.error(
      { err: error, shop, topic: expected, webhookId },
      "webhook not queued; answering 503 so Shopify retries",
    );
    return new Response("Queue unavailable, retry later", { status: 503, headers: { "Retry-After": "10" } });
  }
  webhooksReceived.inc({ topic: expected, outcome: "queued" });
  return new Response(null, { status: 200 });
}

function badRequest(topic: WebhookTopic, reason: string): Response {
  webhooksReceived.inc({ topic, outcome: "invalid" });
  logger.warn({ topic, reason }, "webhook rejected as malformed");
  return new Response(`Bad webhook: ${reason}`, { status: 400 });
}

/** A route action for one topic: `export const action = webhookAction("products/create")`. */
export function webhookAction(topic: WebhookTopic) {
  return ({ request }: { request: Request }) => receiveWebhook(request, topic);
}
