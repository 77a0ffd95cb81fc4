import type { ComplianceTopic, Prisma } from "@prisma/client";

import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shopDomain: string;
  topic: ComplianceTopic;
  webhookId: string;
  customerRef: string | null;
}

/**
 * Records the request once per webhook id. Returns null when it was already completed, so a
 * redelivered or retried compliance job does nothing twice.
 */
export async function recordComplianceRequest({ db, shopDomain, topic, webhookId, customerRef }: Options) {
  const request = await db.complianceRequest.upsert({
    where: { webhookId },
    create: { shopDomain, topic, webhookId, customerRef },
    update: {},
  });
  return request.completedAt ? null : request;
}

export async function completeComplianceRequest({
  db,
  id,
  result,
}: {
  db: Db;
  id: string;
  result: { export?: Prisma.InputJsonValue; summary: Prisma.InputJsonValue };
}) {
  return db.complianceRequest.update({
    where: { id },
    data: { status: "completed", completedAt: new Date(), export: result.export, summary: result.summary },
  });
}
