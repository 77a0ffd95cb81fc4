import type { JobRun } from "@prisma/client";

import { prisma } from "~/db.server";
import { jobIdFor } from "~/webhook-jobs.server";
import type { EmulatorControl } from "../emulators/shopify/control-client";

/** A job's audit row once the job has finished (completed, or failed for good); null before. */
export function finishedRun(jobId: string): Promise<JobRun | null> {
  return prisma.jobRun.findFirst({ where: { jobId, status: { in: ["COMPLETED", "FAILED"] } } });
}

/** The finished run of the job a webhook delivery started (its job id is the delivery's). */
export function deliveryRun(webhookId: string): Promise<JobRun | null> {
  return finishedRun(jobIdFor(webhookId));
}

/**
 * The finished runs of every webhook the emulator has sent the shop (of one topic if given), or
 * null while one of those jobs has not finished. A job's own writes queue their echoes before it
 * finishes, so once this answers, the echoes it caused are among the deliveries it waited for.
 */
export async function deliveriesFinished(
  control: EmulatorControl,
  shop: string,
  topic?: string,
): Promise<JobRun[] | null> {
  const { deliveries } = await control.webhookLog({ shop, topic });
  const runs = await Promise.all(deliveries.map((delivery) => deliveryRun(delivery.webhookId)));
  return runs.every((run) => run !== null) ? (runs as JobRun[]) : null;
}
