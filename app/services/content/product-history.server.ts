import { AppError } from "~/lib/errors";
import type { Db } from "~/services/types";

/** The shop's content record for a product; another shop's id is "not found". */
export async function findProductContent({
  db,
  shop,
  productContentId,
}: {
  db: Db;
  shop: string;
  productContentId: string;
}) {
  const record = await db.productContent.findFirst({ where: { id: productContentId, shopDomain: shop } });
  if (!record) {
    throw new AppError("RESOURCE_NOT_FOUND", `no content ${productContentId} for ${shop}`, {
      userMessage: "That product's copy could not be found.",
    });
  }
  return record;
}

/** A product's content record with every version, newest first. */
export async function productHistory({
  db,
  shop,
  productContentId,
}: {
  db: Db;
  shop: string;
  productContentId: string;
}) {
  const record = await findProductContent({ db, shop, productContentId });
  const versions = await db.contentVersion.findMany({
    where: { productContentId: record.id },
    orderBy: { version: "desc" },
  });
  return { ...record, versions };
}

/** Products with copy, for the history index. */
export async function listProductContent({ db, shop }: { db: Db; shop: string }) {
  return db.productContent.findMany({
    where: { shopDomain: shop },
    orderBy: { updatedAt: "desc" },
    take: 200,
    select: {
      id: true,
      title: true,
      status: true,
      skippedReason: true,
      updatedAt: true,
      _count: { select: { versions: true } },
    },
  });
}
