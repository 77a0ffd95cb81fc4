import { prisma } from "~/db.server";
import { redis } from "~/lib/redis.server";
import { checkReadiness } from "~/lib/check-readiness.server";

export const loader = async () => {
  const report = await checkReadiness({ db: prisma, redis: redis() });
  // Only which check is down; the reason is in the log (check-readiness.server.ts).
  return Response.json(report, { status: report.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
};
