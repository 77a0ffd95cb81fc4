import { enqueue } from "~/jobs/enqueue.server";
import { AppError } from "~/lib/errors";
import { publishJobId } from "~/services/content/publish-content-version.server";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  shop: string;
  versionIds: string[];
}

/** The shop's drafts among `versionIds`; another shop's ids are simply not found. */
async function ownDrafts(db: Db, shop: string, versionIds: string[]) {
  return db.contentVersion.findMany({
    where: { id: { in: versionIds }, status: "DRAFT", productContent: { shopDomain: shop } },
    select: { id: true, claimedAt: true },
  });
}

/**
 * Approves drafts: each is published by a queued job (paced to the shop's Admin API budget), so
 * "approve all" on a large queue returns at once and nothing is published twice.
 */
export async function approveVersions({ db, shop, versionIds }: Options) {
  const drafts = await ownDrafts(db, shop, versionIds);
  if (drafts.length === 0) {
    throw new AppError("RESOURCE_NOT_FOUND", `no drafts to approve for ${shop}`, {
      userMessage: "Those drafts were already handled.",
    });
  }
  for (const draft of drafts) {
    // One job per approval: a new one after a failed publish, the same one for a repeated click.
    await enqueue("content.publish-version", { shop, versionId: draft.id }, { jobId: publishJobId(draft) });
  }
  return { queued: drafts.length };
}

export async function rejectVersions({ db, shop, versionIds }: Options) {
  const drafts = await ownDrafts(db, shop, versionIds);
  if (drafts.length === 0) {
    throw new AppError("RESOURCE_NOT_FOUND", `no drafts to reject for ${shop}`, {
      userMessage: "Those drafts were already handled.",
    });
  }
  const rejected = await db.contentVersion.updateMany({
    where: { id: { in: drafts.map((draft) => draft.id) }, status: "DRAFT" },
    data: { status: "REJECTED" },
  });
  return { rejected: rejected.count };
}

export async function allDraftIds({ db, shop }: { db: Db; shop: string }): Promise<string[]> {
  const drafts = await db.contentVersion.findMany({
    where: { status: "DRAFT", productContent: { shopDomain: shop } },
    select: { id: true },
  });
  return drafts.map((draft) => draft.id);
}
