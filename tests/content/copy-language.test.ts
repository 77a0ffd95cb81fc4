// Issue 7, B1: with the output language left empty, copy must be written in the shop's primary
// language (read from the store), not in English. The LLM emulator answers with a marked title only
// when the prompt asks for the expected language, so the draft shows which language was asked for.
import { randomUUID } from "node:crypto";

import { afterEach, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const control = emulatorControl(inject("shopifyUrl"));
const llmControl = new LlmEmulatorControl(inject("llmUrl"));
const { waitUntil } = withWorker();

afterEach(() => llmControl.clearOverrides());

async function shopSpeaking(locales: Array<{ locale: string; primary?: boolean }>, outputLanguage = "") {
  const shop = `lang-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}`, locales });
  await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { outputLanguage } });
  return shop;
}

/** The draft written for a new product of the shop. */
async function draftFor(shop: string, title: string) {
  const product = await control.createProduct(shop, { title, vendor: "Serra", productType: "Hats" });
  return waitUntil(() =>
    prisma.contentVersion.findFirst({
      where: { status: "DRAFT", productContent: { shopDomain: shop, productId: product.id } },
    }),
  );
}

/** Arms a reply that only a prompt asking for `language` gets. */
async function markLanguage(language: string, metaTitle: string) {
  await llmControl.addOverride({ match: `BCP 47 code "${language}"`, times: 1, fields: { metaTitle } });
}

describe("the language copy is written in", () => {
  it("is the shop's primary language when the merchant left it empty", async () => {
    const shop = await shopSpeaking([{ locale: "pt-BR", primary: true }, { locale: "en" }]);
    await markLanguage("pt-BR", "Gorro de lã merino para trilhas");
    const draft = await draftFor(shop, "Merino Trail Beanie");
    expect(draft.metaTitle).toBe("Gorro de lã merino para trilhas");
  });

  it("is the merchant's choice when they made one", async () => {
    const shop = await shopSpeaking([{ locale: "pt-BR", primary: true }, { locale: "it" }], "it");
    await markLanguage("it", "Berretto in lana merino da trekking");
    const draft = await draftFor(shop, "Merino Trek Beanie");
    expect(draft.metaTitle).toBe("Berretto in lana merino da trekking");
  });
});
