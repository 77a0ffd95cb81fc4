import { QUEUE_NAMES, type QueueName } from "~/jobs/definitions";
import { retryFailedJob } from "~/jobs/inspect.server";
import { AppError } from "~/lib/errors";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  jobRunId: string;
}

/** Retries one of the shop's failed jobs from the admin UI. Another shop's job is "not found". */
export async function retryJobRun({ db, shop, jobRunId }: Options) {
  const run = await db.jobRun.findFirst({ where: { id: jobRunId, shopDomain: shop, status: "FAILED" } });
  if (!run || !(QUEUE_NAMES as readonly string[]).includes(run.queue)) {
    throw new AppError("RESOURCE_NOT_FOUND", `no failed job ${jobRunId} for ${shop}`, {
      userMessage: "That failed job no longer exists.",
    });
  }
  const retried = await retryFailedJob(run.queue as QueueName, run.jobId);
  if (!retried) {
    throw new AppError("RESOURCE_NOT_FOUND", `job ${run.jobId} is no longer failed in ${run.queue}`, {
      userMessage: "That job has already been retried or has expired.",
    });
  }
  await db.jobRun.update({ where: { id: run.id }, data: { status: "RETRYING", error: null, errorCode: null } });
  return { retried: true };
}
