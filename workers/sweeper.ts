import { prisma } from "~/db.server";
import { env } from "~/config/env.server";
import { enqueue } from "~/jobs/enqueue.server";
import { logger } from "~/lib/logger.server";
import { staleClaimMs } from "~/services/content/publish-content-version.server";

const SWEEP_BATCH = 200;

/**
 * Finds versions left PUBLISHING by an attempt that died or ran out of attempts (claim older than
 * the claim window, so no live attempt still holds it: each bounds its store calls by the Admin
 * timeout) and queues their publish job again. That job takes the stale claim over and checks the
 * product's marker: a write that landed is only recorded, otherwise it is made, so a stuck version
 * is published exactly once. The job id carries the stale claim's stamp, so sweeps by several
 * workers, or a sweep before the job ran, queue it once per stale claim. docs/decisions/011.
 */
export async function sweepStalePublishClaims(now = new Date()): Promise<number> {
  const windowMs = staleClaimMs(env().ADMIN_API_TIMEOUT_MS);
  const stale = await prisma.contentVersion.findMany({
    where: { status: "PUBLISHING", claimedAt: { lt: new Date(now.getTime() - windowMs) } },
    select: { id: true, claimedAt: true, productContent: { select: { shopDomain: true } } },
    orderBy: { claimedAt: "asc" },
    take: SWEEP_BATCH,
  });
  for (const version of stale) {
    await enqueue(
      "content.publish-version",
      { shop: version.productContent.shopDomain, versionId: version.id },
      { jobId: `publish-${version.id}-sweep-${version.claimedAt?.getTime() ?? 0}` },
    );
  }
  if (stale.length) logger.warn({ versions: stale.length }, "re-queued publishes left behind by dead attempts");
  return stale.length;
}

/** Runs the sweep every `intervalMs` in this worker; a failed sweep is logged and tried next time. */
export function startPublishSweeper(intervalMs: number): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepStalePublishClaims()
      .catch((error: unknown) => logger.warn({ err: error }, "publish sweep failed"))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
