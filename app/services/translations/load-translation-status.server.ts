import type { TranslationStatus } from "@prisma/client";

import type { Db } from "~/services/types";

export interface StatusCell {
  kind: string;
  locale: string;
  counts: Record<TranslationStatus, number>;
}

const EMPTY: Record<TranslationStatus, number> = { TRANSLATED: 0, FAILED: 0, EDITED: 0, SKIPPED: 0 };

/** The status grid: how many keys of each kind of resource are in each state, per locale. */
export async function loadTranslationStatus({ db, shop }: { db: Db; shop: string }): Promise<StatusCell[]> {
  const groups = await db.translationEntry.groupBy({
    by: ["kind", "locale", "status"],
    where: { shopDomain: shop },
    _count: { _all: true },
  });
  const cells = new Map<string, StatusCell>();
  for (const group of groups) {
    const id = `${group.kind}\u0000${group.locale}`;
    const cell = cells.get(id) ?? { kind: group.kind, locale: group.locale, counts: { ...EMPTY } };
    cell.counts[group.status] += group._count._all;
    cells.set(id, cell);
  }
  return [...cells.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.locale.localeCompare(b.locale));
}

/** One page of the keys in a state (failed ones with their reasons, edited ones to review). */
export async function listTranslationItems({
  db,
  shop,
  status,
  locale,
  kind,
  cursor,
  take = 50,
}: {
  db: Db;
  shop: string;
  status: TranslationStatus;
  locale?: string;
  kind?: string;
  cursor?: string;
  take?: number;
}) {
  const rows = await db.translationEntry.findMany({
    where: { shopDomain: shop, status, ...(locale ? { locale } : {}), ...(kind ? { kind } : {}) },
    orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
    take: take + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: {
      id: true,
      resourceId: true,
      kind: true,
      key: true,
      locale: true,
      status: true,
      failureReason: true,
      updatedAt: true,
    },
  });
  const items = rows.slice(0, take);
  return { items, nextCursor: rows.length > take ? items[items.length - 1]?.id : undefined };
}
