import type { LlmClient } from "~/integrations/llm/llm-client.server";
import { AppError } from "~/lib/errors";
import { createDraftVersion } from "~/services/content/create-draft-version.server";
import { generateProductCopy } from "~/services/content/generate-product-copy.server";
import { loadContentSettings, voiceOf } from "~/services/content/load-content-settings.server";
import type { Store } from "~/services/store";
import type { Db } from "~/services/types";

interface Options {
  db: Db;
  store: Store;
  llm: LlmClient;
  shop: string;
  productContentId: string;
  note: string | null;
}

/**
 * The merchant asked for new copy, optionally with a note for the writer. The result is always a
 * draft, whatever the publishing mode: they asked to see it.
 */
export async function regenerateProductCopy({ db, store, llm, shop, productContentId, note }: Options) {
  const record = await db.productContent.findFirst({ where: { id: productContentId, shopDomain: shop } });
  if (!record) {
    throw new AppError("RESOURCE_NOT_FOUND", `no content ${productContentId} for ${shop}`, {
      userMessage: "That product's copy could not be found.",
    });
  }
  const facts = await store.product(record.productId);
  if (!facts) {
    throw new AppError("RESOURCE_NOT_FOUND", `product ${record.productId} no longer exists`, {
      userMessage: "The product was deleted, so its copy cannot be regenerated.",
    });
  }
  const settings = await loadContentSettings(db, shop);
  const { copy, usage, model } = await generateProductCopy({ llm, shop, facts, voice: voiceOf(settings), note });
  const version = await createDraftVersion({
    db,
    record,
    title: facts.title,
    copy,
    usage,
    model,
    factsHash: record.factsHash ?? "",
    note,
  });
  return { versionId: version.id };
}
