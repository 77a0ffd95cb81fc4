import type { QueueName } from "~/jobs/definitions";
import { QUEUE_PREFIX } from "~/jobs/queues.server";
import { redis, whenReady } from "~/lib/redis.server";

/**
 * Which jobs belong to which shop, so a merchant's dashboard counts its own work and never the
 * whole queue (another shop's backlog is none of its business). BullMQ has no index by payload:
 * enqueue adds `<queue>:<jobId>` to the shop's sorted set (scored by when), and reading it checks
 * each job's own hash, dropping the finished ones. The job hash stays the truth, so the index
 * cannot drift; entries older than the window are dropped on write so an idle dashboard cannot
 * let it grow without bound.
 */
const WINDOW_MS = 7 * 24 * 3600 * 1000;
const indexKey = (shop: string) => `${QUEUE_PREFIX}:work:${shop}`;

export async function trackShopJobs(shop: string, queue: QueueName, jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  const now = Date.now();
  const key = indexKey(shop);
  const members = jobIds.flatMap((id) => [now, `${queue}:${id}`]);
  await (
    await whenReady(redis())
  )
    .multi()
    .zadd(key, ...members)
    .zremrangebyscore(key, "-inf", now - WINDOW_MS)
    .pexpire(key, WINDOW_MS)
    .exec();
}

export interface ShopWork {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** The shop's unfinished jobs per queue, read from each job's hash. */
export async function shopWork(shop: string, queues: readonly QueueName[]): Promise<Record<QueueName, ShopWork>> {
  const connection = await whenReady(redis());
  const key = indexKey(shop);
  const members = await connection.zrange(key, "0", "-1");
  const counts = Object.fromEntries(
    queues.map((queue) => [queue, { waiting: 0, active: 0, delayed: 0, failed: 0 }]),
  ) as Record<QueueName, ShopWork>;
  if (members.length === 0) return counts;
  const pipeline = connection.pipeline();
  for (const member of members) {
    pipeline.hmget(`${QUEUE_PREFIX}:${member}`, "timestamp", "delay", "processedOn", "finishedOn", "failedReason");
  }
  const replies = (await pipeline.exec()) ?? [];
  const finished: string[] = [];
  const now = Date.now();
  members.forEach((member, index) => {
    const queue = member.slice(0, member.indexOf(":")) as QueueName;
    const [timestamp, delay, processedOn, finishedOn, failedReason] = (replies[index]?.[1] ?? []) as Array<
      string | null
    >;
    const count = counts[queue];
    if (!count || timestamp === null || timestamp === undefined) return void finished.push(member);
    if (finishedOn) {
      if (failedReason) count.failed += 1;
      else finished.push(member);
    } else if (Number(delay ?? 0) > 0 && Number(timestamp) + Number(delay) > now) count.delayed += 1;
    else if (processedOn) count.active += 1;
    else count.waiting += 1;
  });
  if (finished.length) await connection.zrem(key, ...finished);
  return counts;
}
