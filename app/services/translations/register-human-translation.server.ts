import { AppError } from "~/lib/errors";
import type { TranslationsStore } from "~/services/ports/translations";
import { valueHash } from "~/services/translations/translate-resource.server";
import type { Db } from "~/services/types";

/**
 * A merchant wrote a translation themselves (the side-by-side editor): it is registered against
 * the source's current digest and recorded as edited, so no automatic run overwrites it.
 */
export async function registerHumanTranslation({
  db,
  store,
  shop,
  resourceId,
  key,
  locale,
  value,
}: {
  db: Db;
  store: TranslationsStore;
  shop: string;
  resourceId: string;
  key: string;
  locale: string;
  value: string;
}) {
  if (!value.trim()) {
    throw new AppError("INVALID_INPUT", "empty translation", { userMessage: "Enter a translation." });
  }
  const resource = await store.translatableResource(resourceId, [locale]);
  const source = resource?.source.find((entry) => entry.key === key);
  if (!resource || !source) {
    throw new AppError("RESOURCE_NOT_FOUND", `no ${key} on ${resourceId}`, {
      userMessage: "That field no longer exists in the store.",
    });
  }
  const result = await store.registerTranslations(resourceId, [{ key, locale, value, sourceDigest: source.digest }]);
  if (result.status !== "registered") {
    const message = result.status === "rejected" ? result.rejections.map((r) => r.message).join("; ") : "gone";
    throw new AppError("INVALID_INPUT", `translation refused: ${message}`, {
      userMessage: `The store refused the translation: ${message}`,
    });
  }
  const data = {
    sourceDigest: source.digest,
    valueHash: valueHash(value),
    status: "EDITED" as const,
    failureReason: null,
  };
  await db.translationEntry.upsert({
    where: { shopDomain_resourceId_key_locale_market: { shopDomain: shop, resourceId, key, locale, market: "" } },
    create: { shopDomain: shop, resourceId, kind: resource.kind, key, locale, market: "", ...data },
    update: data,
  });
  return { registered: true as const };
}
