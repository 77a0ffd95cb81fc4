import { Queue } from "bullmq";

import { QUEUE_NAMES, type QueueName } from "~/jobs/definitions";
import { logger } from "~/lib/logger.server";
import { redis } from "~/lib/redis.server";

export const QUEUE_PREFIX = "storewise";

const queues = new Map<QueueName, Queue>();

/** One line per queue per this long while Redis keeps failing: an outage must not flood the log. */
const ERROR_LOG_INTERVAL_MS = 10_000;

/** Producer-side queue handles, sharing the fail-fast producer connection. */
export function getQueue(name: QueueName): Queue {
  let queue = queues.get(name);
  if (!queue) {
    queue = new Queue(name, {
      connection: redis(),
      prefix: QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: "exponential", delay: 2_000 },
        removeOnFail: { age: 30 * 24 * 3600 },
      },
    });
    // Errors also surface on add() (with the shop and request id); this listener keeps them from
    // crashing the process and records that the queue's connection is failing.
    let lastLogged = 0;
    queue.on("error", (error) => {
      if (Date.now() - lastLogged < ERROR_LOG_INTERVAL_MS) return;
      lastLogged = Date.now();
      logger.warn({ err: error, queue: name }, "queue connection error");
    });
    queues.set(name, queue);
  }
  return queue;
}

export function allQueues(): Queue[] {
  return QUEUE_NAMES.map(getQueue);
}

export async function closeQueues(): Promise<void> {
  await Promise.all([...queues.values()].map((queue) => queue.close()));
  queues.clear();
}
