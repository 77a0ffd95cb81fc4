import { AppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { TimeoutError, withTimeout } from "~/lib/with-timeout";
import { jobDefinitions, type JobName, type JobPayload, type QueueName } from "~/jobs/definitions";
import { liveTurn } from "~/jobs/fair-share.server";
import { getQueue } from "~/jobs/queues.server";
import { trackShopJobs } from "~/jobs/shop-work.server";

export interface EnqueueOptions {
  /** Idempotency key: a second enqueue with the same id is a no-op while the first is kept. */
  jobId?: string;
  delayMs?: number;
  priority?: number;
  /** Give up (and report the queue as unavailable) after this long. */
  timeoutMs?: number;
}

export interface EnqueuedJob {
  id: string;
  queue: string;
}

/** Validates the payload against the job's schema and adds it to the job's queue. */
export async function enqueue<Name extends JobName>(
  name: Name,
  payload: JobPayload<Name>,
  options: EnqueueOptions = {},
): Promise<EnqueuedJob> {
  const definition = jobDefinitions[name];
  const data = definition.payload.parse(payload);
  const deadline = Date.now() + (options.timeoutMs ?? 2_000);
  let job;
  try {
    const adding = jobOptions(name, data, options).then((opts) => getQueue(definition.queue).add(name, data, opts));
    job = await withTimeout(adding, deadline - Date.now());
  } catch (error) {
    throw unreachable(error) ? queueUnavailable(name, error) : error;
  }
  // The job is queued: that is the promise kept. The per-shop index only feeds the dashboard's
  // counts, so it gets what is left of the caller's deadline and never fails the enqueue (a
  // webhook answered 503 for a job already queued would only be delivered again).
  const shop = (data as { shop: string }).shop;
  await withTimeout(trackShopJobs(shop, definition.queue, [job.id ?? ""]), Math.max(50, deadline - Date.now())).catch(
    (error: unknown) => logger.warn({ err: error, shop, job: name }, "job queued but not indexed for the dashboard"),
  );
  return { id: job.id ?? "", queue: definition.queue };
}

/**
 * Whether an enqueue failed because Redis could not be reached or answered too late, which a
 * later try can cure (QUEUE_UNAVAILABLE: webhooks answer 503, Shopify retries). Anything else, a
 * command Redis refused or a bug, fails the same way every time and is thrown as it is, so no
 * caller answers "try again later" for it (issue 6, defect 11). Redis out of memory under
 * `noeviction` is an outage too: it clears once workers drain the queues.
 */
function unreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "MaxRetriesPerRequestError" || error instanceof TimeoutError) return true;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === "string" &&
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH)$/.test(code)
  )
    return true;
  return /Connection is closed|Stream isn't writeable|Command timed out|connect ETIMEDOUT|not ready|^OOM /i.test(
    error.message,
  );
}

/**
 * Adds many jobs of one kind in one round trip (a bulk run's items). Payloads are validated
 * first, so one bad entry adds nothing.
 */
export async function enqueueMany<Name extends JobName>(
  name: Name,
  entries: Array<{ payload: JobPayload<Name>; jobId: string; priority?: number }>,
): Promise<number> {
  const definition = jobDefinitions[name];
  const parsed = entries.map((entry) => ({ ...entry, data: definition.payload.parse(entry.payload) }));
  const queue = getQueue(definition.queue);
  for (let start = 0; start < parsed.length; start += 500) {
    try {
      const jobs = await Promise.all(
        parsed.slice(start, start + 500).map(async (entry) => ({
          name,
          data: entry.data,
          opts: await jobOptions(name, entry.data, entry),
        })),
      );
      const added = await withTimeout(queue.addBulk(jobs), 10_000);
      await withTimeout(trackEachShop(definition.queue, added), 10_000);
    } catch (error) {
      throw unreachable(error) ? queueUnavailable(name, error) : error;
    }
  }
  return parsed.length;
}

/** BullMQ options for one job: its id, delay, retention, and priority (the shop's turn for live work). */
async function jobOptions(name: JobName, data: unknown, options: Omit<EnqueueOptions, "timeoutMs">) {
  const definition = jobDefinitions[name];
  const keep = definition.keepCompletedSeconds;
  const fairShare = "fairShare" in definition && definition.fairShare === true;
  return {
    jobId: options.jobId,
    delay: options.delayMs,
    priority: options.priority ?? (fairShare ? await liveTurn((data as { shop: string }).shop) : undefined),
    removeOnComplete: keep > 0 ? { age: keep } : true,
  };
}

/** Indexes added jobs under their shops, for the shop's own dashboard counts (shop-work.server.ts). */
async function trackEachShop(queue: QueueName, jobs: Array<{ id?: string; data: unknown }>): Promise<void> {
  const byShop = new Map<string, string[]>();
  for (const job of jobs) {
    const shop = (job.data as { shop: string }).shop;
    const ids = byShop.get(shop) ?? [];
    ids.push(job.id ?? "");
    byShop.set(shop, ids);
  }
  for (const [shop, ids] of byShop) await trackShopJobs(shop, queue, ids);
}

function queueUnavailable(name: JobName, error: unknown): AppError {
  return new AppError("QUEUE_UNAVAILABLE", `could not enqueue ${name}: ${(error as Error).message}`, {
    retryable: true,
    cause: error,
    userMessage: "The job queue is unavailable right now. Please try again in a moment.",
  });
}
