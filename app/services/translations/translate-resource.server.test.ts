import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import type { Llm } from "~/services/ports/llm";
import type { ShopFactsStore } from "~/services/ports/shop-facts";
import type { TranslatableResource, TranslationsStore, TranslationWrite } from "~/services/ports/translations";
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

function fakeStore() {
  const registered: Array<{ resourceId: string; writes: TranslationWrite[] }> = [];
  const find = (resource: TranslatableResource, id: string): TranslatableResource | null =>
    resource.resourceId === id ? resource : (resource.nested.map((n) => find(n, id)).find(Boolean) ?? null);
  const store: TranslationsStore & ShopFactsStore = {
    async translatableResource(id) {
      return find(PRODUCT, id);
    },
    async registerTranslations(resourceId, writes) {
      registered.push({ resourceId, writes });
      return { status: "registered", count: writes.length };
    },
    async removeTranslations() {},
    async listTranslatableResources() {
      return { ids: [PRODUCT.resourceId], next: null };
    },
    async locales() {
      return { primary: "en", published: ["en", "fr"] };
    },
    async overview() {
      throw new Error("not used");
    },
  };
  return { store, registered };
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

describe("translateResource with nested resources", () => {
  it("translates each nested resource the same way and registers each under its own id, handles off", async () => {
    const shop = `nested-${randomUUID().slice(0, 8)}.myshopify.com`;
    const { store, registered } = fakeStore();
    const outcome = await translateResource({ db: prisma, store, llm, shop, resourceId: "product-1" });
    expect(outcome).toMatchObject({ outcome: "translated", registered: 4, llmCalls: 4, failed: 0 });
    expect(registered).toEqual([
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
    ]);
    const kinds = await prisma.translationEntry.findMany({
      where: { shopDomain: shop },
      orderBy: { resourceId: "asc" },
    });
    expect(kinds.map((entry) => [entry.resourceId, entry.kind, entry.status])).toEqual([
      ["image-1", "image", "TRANSLATED"],
      ["option-1", "product-option", "TRANSLATED"],
      ["option-value-1", "product-option-value", "TRANSLATED"],
      ["product-1", "product", "TRANSLATED"],
    ]);
    await prisma.translationEntry.deleteMany({ where: { shopDomain: shop } });
    await prisma.translationRun.deleteMany({ where: { shopDomain: shop } });
  });
});
