import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import type { Llm } from "~/services/ports/llm";
import type { ShopFactsStore } from "~/services/ports/shop-facts";
import type {
  RegisterTranslationsResult,
  TranslatableResource,
  TranslationsStore,
  TranslationWrite,
} from "~/services/ports/translations";
import { translateResource } from "~/services/translations/translate-resource.server";

afterAll(() => prisma.$disconnect());

const source = (key: string, value: string, format: "text" | "html" = "text") => ({
  key,
  value,
  digest: `digest-of-${value}`,
  locale: "en",
  format,
});

/** A product with an option, its value and an image: what the Shopify store reports once it reads nested resources. */
const PRODUCT: TranslatableResource = {
  resourceId: "product-1",
  kind: "product",
  source: [source("title", "Wool Hat"), source("handle", "wool-hat")],
  translations: [],
  nested: [
    {
      resourceId: "option-1",
      kind: "product-option",
      source: [source("name", "Color")],
      translations: [],
      nested: [
        {
          resourceId: "option-value-1",
          kind: "product-option-value",
          source: [source("name", "Black")],
          translations: [],
          nested: [],
        },
      ],
    },
    { resourceId: "image-1", kind: "image", source: [source("alt", "A wool hat")], translations: [], nested: [] },
  ],
};

type Answer = (resourceId: string, writes: TranslationWrite[]) => RegisterTranslationsResult | null;

/** The store: `answer` may refuse a resource's writes in a batch (null = store them). */
function fakeStore(options: { answer?: Answer; published?: string[] } = {}) {
  const batches: Array<Array<{ resourceId: string; writes: TranslationWrite[] }>> = [];
  const reads: string[] = [];
  const find = (resource: TranslatableResource, id: string): TranslatableResource | null =>
    resource.resourceId === id ? resource : (resource.nested.map((n) => find(n, id)).find(Boolean) ?? null);
  const store: TranslationsStore & ShopFactsStore = {
    async translatableResource(id) {
      reads.push(id);
      return structuredClone(find(PRODUCT, id));
    },
    async registerTranslations() {
      throw new Error("the pipeline registers in batches");
    },
    async registerTranslationBatch(batch) {
      batches.push(structuredClone(batch));
      return batch.map(
        ({ resourceId, writes }) =>
          options.answer?.(resourceId, writes) ?? { status: "registered" as const, count: writes.length },
      );
    },
    async removeTranslations() {},
    async listTranslatableResources() {
      return { ids: [PRODUCT.resourceId], next: null };
    },
    async locales() {
      return { primary: "en", published: options.published ?? ["en", "fr"] };
    },
    async overview() {
      throw new Error("not used");
    },
  };
  return { store, batches, reads };
}

/** A model that "translates" by prefixing the locale: short values, so no language is judged. */
const llm = {
  async generateStructured({ user }: { user: string }) {
    const request = JSON.parse(user.split("\n").pop() ?? "{}") as {
      targetLocale: string;
      fields: Array<{ key: string; value: string }>;
    };
    return {
      data: {
        translations: request.fields.map((field) => ({
          key: field.key,
          value: `${request.targetLocale} ${field.value}`,
        })),
      },
      usage: { promptTokens: 10, completionTokens: 5 },
      model: "fake",
    };
  },
} as unknown as Llm;

const newShop = () => `nested-${randomUUID().slice(0, 8)}.myshopify.com`;
const ledgerOf = (shop: string) =>
  prisma.translationEntry.findMany({
    where: { shopDomain: shop },
    orderBy: [{ resourceId: "asc" }, { locale: "asc" }],
  });

afterAll(async () => {
  await prisma.translationEntry.deleteMany({ where: { shopDomain: { startsWith: "nested-" } } });
  await prisma.translationRun.deleteMany({ where: { shopDomain: { startsWith: "nested-" } } });
});

describe("translateResource with nested resources", () => {
  it("translates the product and its nested resources in one call per locale and registers them in one batch", async () => {
    const shop = newShop();
    const { store, batches } = fakeStore();
    const outcome = await translateResource({ db: prisma, store, llm, shop, resourceId: "product-1" });
    expect(outcome).toMatchObject({ outcome: "translated", registered: 4, llmCalls: 1, failed: 0 });
    expect(batches).toEqual([
      [
        {
          resourceId: "product-1",
          writes: [{ key: "title", locale: "fr", value: "fr Wool Hat", sourceDigest: "digest-of-Wool Hat" }],
        },
        {
          resourceId: "option-1",
          writes: [{ key: "name", locale: "fr", value: "fr Color", sourceDigest: "digest-of-Color" }],
        },
        {
          resourceId: "option-value-1",
          writes: [{ key: "name", locale: "fr", value: "fr Black", sourceDigest: "digest-of-Black" }],
        },
        {
          resourceId: "image-1",
          writes: [{ key: "alt", locale: "fr", value: "fr A wool hat", sourceDigest: "digest-of-A wool hat" }],
        },
      ],
    ]);
    const kinds = await ledgerOf(shop);
    expect(kinds.map((entry) => [entry.resourceId, entry.kind, entry.status, entry.pendingHash])).toEqual([
      ["image-1", "image", "TRANSLATED", null],
      ["option-1", "product-option", "TRANSLATED", null],
      ["option-value-1", "product-option-value", "TRANSLATED", null],
      ["product-1", "product", "TRANSLATED", null],
    ]);
  });

  it("redoes only the refused alias's key when its source changed mid-flight, and keeps the others written", async () => {
    const shop = newShop();
    let refusedOnce = false;
    const { store, batches, reads } = fakeStore({
      published: ["en", "fr", "de"],
      answer: (resourceId, writes) => {
        if (resourceId !== "option-value-1" || refusedOnce) return null;
        refusedOnce = true;
        const de = writes.find((write) => write.locale === "de")!;
        return {
          status: "rejected",
          rejections: [
            { key: de.key, locale: "de", reason: "source-changed", message: "Translatable content hash is invalid" },
          ],
        };
      },
    });
    const outcome = await translateResource({ db: prisma, store, llm, shop, resourceId: "product-1" });
    expect(outcome).toMatchObject({ outcome: "translated", registered: 8, redone: ["de.name"], failed: 0 });
    // Two locales, one call each, then one call for the one key redone.
    expect(outcome.llmCalls).toBe(3);
    expect(batches).toHaveLength(2);
    expect(batches[1]).toEqual([
      {
        resourceId: "option-value-1",
        writes: [
          { key: "name", locale: "fr", value: "fr Black", sourceDigest: "digest-of-Black" },
          { key: "name", locale: "de", value: "de Black", sourceDigest: "digest-of-Black" },
        ],
      },
    ]);
    expect(reads).toEqual(["product-1", "product-1"]);
  });

  it("drops a locale one alias reports unpublished, records it, and registers the rest", async () => {
    const shop = newShop();
    const { store, batches } = fakeStore({
      published: ["en", "fr", "de"],
      answer: (_resourceId, writes) => {
        const index = writes.findIndex((write) => write.locale === "de");
        return index === -1
          ? null
          : {
              status: "rejected",
              rejections: [
                {
                  key: writes[index]!.key,
                  locale: "de",
                  reason: "locale-not-enabled",
                  message: "Locale is not enabled",
                },
              ],
            };
      },
    });
    const outcome = await translateResource({ db: prisma, store, llm, shop, resourceId: "product-1" });
    expect(outcome).toMatchObject({ outcome: "translated", registered: 4, droppedLocales: ["de"] });
    expect(batches[1]?.flatMap((entry) => entry.writes.map((write) => write.locale))).toEqual(["fr", "fr", "fr", "fr"]);
    const de = (await ledgerOf(shop)).filter((entry) => entry.locale === "de");
    expect(de.map((entry) => entry.status)).toEqual(["SKIPPED", "SKIPPED", "SKIPPED", "SKIPPED"]);
    expect(de[0]?.failureReason).toMatch(/de was unpublished/);
  });

  it("a nested resource deleted mid-run is left out; the product's translation stands", async () => {
    const shop = newShop();
    const { store } = fakeStore({ answer: (id) => (id === "image-1" ? { status: "resource-gone" } : null) });
    const outcome = await translateResource({ db: prisma, store, llm, shop, resourceId: "product-1" });
    expect(outcome).toMatchObject({ outcome: "translated", registered: 3 });
  });

  it("after a crash between the store's write and the ledger's record, finds its own translations, not human edits", async () => {
    const shop = newShop();
    // The first run dies as the register request returns: the store has the values, the ledger only the pending hashes.
    const { store: crashing } = fakeStore();
    crashing.registerTranslationBatch = async () => {
      throw new Error("SIGKILL");
    };
    await expect(
      translateResource({ db: prisma, store: crashing, llm, shop, resourceId: "product-1" }),
    ).rejects.toThrow("SIGKILL");
    const { store, batches } = fakeStore();
    const stored = (resource: TranslatableResource): TranslatableResource => ({
      ...resource,
      translations: resource.source.map((field) => ({
        key: field.key,
        locale: "fr",
        value: `fr ${field.value}`,
        outdated: false,
        updatedAt: null,
      })),
      nested: resource.nested.map(stored),
    });
    store.translatableResource = async () => stored(PRODUCT);
    const outcome = await translateResource({ db: prisma, store, llm, shop, resourceId: "product-1" });
    expect(outcome).toMatchObject({ outcome: "unchanged", protected: [], llmCalls: 0 });
    expect(batches).toEqual([]);
    const ledger = await ledgerOf(shop);
    expect(ledger.map((entry) => [entry.status, entry.pendingHash])).toEqual(Array(4).fill(["TRANSLATED", null]));
  });
});
