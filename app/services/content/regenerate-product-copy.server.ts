import { AppError } from "~/lib/errors";
import { createDraftVersion } from "~/services/content/create-draft-version.server";
import { generateProductCopy } from "~/services/content/generate-product-copy.server";
import { copyVoice } from "~/services/content/copy-voice.server";
import { loadContentSettings } from "~/services/content/load-content-settings.server";
import { tokenCapReached } from "~/services/usage/monthly-usage.server";
import { findProductContent } from "~/services/content/product-history.server";
import { publishContentVersion } from "~/services/content/publish-content-version.server";
import type { CatalogStore } from "~/services/ports/catalog";
import type { ShopFactsStore } from "~/services/ports/shop-facts";
import type { Db } from "~/services/types";
import type { Llm } from "~/services/ports/llm";

interface Options {
  db: Db;
  store: CatalogStore & ShopFactsStore;
  llm: Llm;
  shop: string;
  productContentId: string;
  note: string | null;
  /** Publish in auto-publish mode (a resumed product); a merchant's regeneration stays a draft. */
  followMode?: boolean;
}

/**
 * Writes new copy for a product the app already knows: a merchant's "regenerate" (optionally with
 * a note for the writer; always a draft, since they asked to see it) or a product resumed after a
 * pause (drafted or published as the shop's mode says).
 */
export async function regenerateProductCopy({
  db,
  store,
  llm,
  shop,
  productContentId,
  note,
  followMode = false,
}: Options) {
  const record = await findProductContent({ db, shop, productContentId });
  const facts = await store.product(record.productId);
  if (!facts) {
    throw new AppError("RESOURCE_NOT_FOUND", `product ${record.productId} no longer exists`, {
      userMessage: "The product was deleted, so its copy cannot be regenerated.",
    });
  }
  const settings = await loadContentSettings(db, shop);
  if (await tokenCapReached({ db, shop, cap: settings.monthlyTokenCap })) {
    throw new AppError("INVALID_INPUT", `monthly token cap reached for ${shop}`, {
      userMessage: "This month's token cap is used up. Raise it in Settings to write more copy.",
    });
  }
  const { copy, reviewReason, usage, model } = await generateProductCopy({
    llm,
    shop,
    facts,
    voice: await copyVoice({ store, shop, settings }),
    note,
  });
  const version = await createDraftVersion({
    db,
    record,
    title: facts.title,
    copy,
    reviewReason,
    usage,
    model,
    factsHash: record.factsHash ?? "",
    note,
  });
  if (followMode && settings.contentMode === "AUTO_PUBLISH" && !version.reviewReason) {
    await publishContentVersion({ db, store, shop, versionId: version.id });
  }
  return { versionId: version.id };
}
