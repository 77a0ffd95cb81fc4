import { Queue } from "bullmq";

import { QUEUE_NAMES, type QueueName } from "~/jobs/definitions";
import { redis } from "~/lib/redis.server";

export const QUEUE_PREFIX = "storewise";

const queues = new Map<QueueName, Queue>();

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
    // Errors surface on add(); this listener only keeps them from crashing the process.
    queue.on("error", () => undefined);
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
