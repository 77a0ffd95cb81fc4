import { Queue, type Job, type JobType } from "bullmq";
import { Redis } from "ioredis";

import { QUEUE_NAMES } from "~/jobs/definitions";
import { QUEUE_PREFIX } from "~/jobs/queues.server";
import { TEST_REDIS_URL } from "./test-env";

const ALL_STATES: JobType[] = ["waiting", "active", "delayed", "completed", "failed", "prioritized"];

/** Read-only view of the app's queues, on its own connection, for assertions. */
export function queueInspector() {
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queues = QUEUE_NAMES.map((name) => new Queue(name, { connection, prefix: QUEUE_PREFIX }));
  return {
    async jobs(filter: (job: Job) => boolean = () => true, states: JobType[] = ALL_STATES): Promise<Job[]> {
      const all = await Promise.all(queues.map((queue) => queue.getJobs(states)));
      return all.flat().filter((job): job is Job => Boolean(job) && filter(job));
    },
    async close() {
      await Promise.all(queues.map((queue) => queue.close()));
      await connection.quit();
    },
  };
}
