// The shop's published locales, stored on the Shop (decision 023): read again by the
// shop.locale-changed job on every locales/create|update webhook (and at install), so a product
// edit of a shop that publishes no other language costs no Admin call, no job and no
// TranslationRun; and a locale published later gets the products already live translated into it,
// as the shop's settings allow. Through the real worker, the emulator's webhooks and its request log.
import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { updateTranslationSettings } from "~/services/translations/update-translation-settings.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { deliveriesFinished } from "../support/job-runs";
import { queueInspector } from "../support/queues";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const control = emulatorControl(inject("shopifyUrl"));
const { waitUntil } = withWorker({ waitMs: 40_000 });

/** A shop in auto-publish mode that publishes English only, with its locales stored by the job. */
async function englishOnlyShop() {
  const shop = `loc-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, {
    shop,
    accessToken: `shpat_${randomUUID()}`,
    locales: [{ locale: "en", primary: true, published: true }],
  });
  await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { contentMode: "AUTO_PUBLISH" } });
  // A language added but not published: its locales/create webhook makes the app read the locales.
  await control.setLocale(shop, "fr", false);
  const stored = await waitUntil(() =>
    prisma.shop.findFirst({ where: { domain: shop, localesReadAt: { not: null } } }),
  );
  expect(stored.publishedLocales).toEqual(["en"]);
  expect(stored.primaryLocale).toBe("en");
  await waitUntil(() => deliveriesFinished(control, shop));
  return shop;
}

const translationJobsOf = async (shop: string) => {
  const queues = queueInspector();
  try {
    return await queues.jobs((job) => job.name === "translation.resource" && job.data.shop === shop);
  } finally {
    await queues.close();
  }
};

describe("a shop's published locales, stored", () => {
  it(
    "a product published and edited in a shop with no other language queues no translation and reads nothing to translate",
    { timeout: 90_000 },
    async () => {
      const shop = await englishOnlyShop();
      const since = (await control.requestLog(shop)).at(-1)?.seq ?? 0;

      const product = await control.createProduct(shop, { title: "Solo Beanie", vendor: "Northwind" });
      await waitUntil(() =>
        prisma.productContent.findFirst({ where: { shopDomain: shop, productId: product.id, status: "LIVE" } }),
      );
      await control.updateProduct(shop, product.id, { title: "Solo Beanie Large" });
      await waitUntil(() => deliveriesFinished(control, shop));

      expect(await prisma.translationRun.count({ where: { shopDomain: shop } })).toBe(0);
      expect(await translationJobsOf(shop)).toEqual([]);
      const requests = await control.requestLog(shop, { since });
      expect(requests.length).toBeGreaterThan(0);
      // The copy pipeline made its requests; translation made none (no translatableResource read).
      expect(requests.some((request) => request.rootFields.includes("productUpdate"))).toBe(true);
      expect(requests.filter((request) => request.rootFields.includes("translatableResource"))).toEqual([]);
    },
  );

  it("publishing a language later translates the products already live into it", { timeout: 90_000 }, async () => {
    const shop = await englishOnlyShop();
    const product = await control.createProduct(shop, { title: "Harbor Mug", vendor: "Kiln & Co" });
    await waitUntil(() =>
      prisma.productContent.findFirst({ where: { shopDomain: shop, productId: product.id, status: "LIVE" } }),
    );
    await waitUntil(() => deliveriesFinished(control, shop));
    expect(await prisma.translationRun.count({ where: { shopDomain: shop } })).toBe(0);

    await control.setLocale(shop, "fr", true);
    const run = await waitUntil(() =>
      prisma.translationRun.findFirst({ where: { shopDomain: shop, resourceId: product.id, outcome: "translated" } }),
    );
    expect(run.tokens).toBeGreaterThan(0);
    const stored = await control.getProduct(shop, product.id);
    const fr = stored.translations.filter((translation) => translation.locale === "fr");
    expect(fr.map((translation) => translation.key)).toContain("title");
    expect(fr.every((translation) => !translation.outdated)).toBe(true);
    expect((await prisma.shop.findUnique({ where: { domain: shop } }))?.publishedLocales).toEqual(["en", "fr"]);
  });

  it(
    "a language published that the shop does not automate is stored, and nothing is translated into it",
    { timeout: 90_000 },
    async () => {
      const shop = await englishOnlyShop();
      const saved = await updateTranslationSettings({
        db: prisma,
        shop,
        input: { autoTranslate: true, locales: ["de"], translateHandles: false, doNotTranslate: [] },
      });
      expect(saved.ok).toBe(true);
      const product = await control.createProduct(shop, { title: "Field Journal", vendor: "Northwind" });
      await waitUntil(() =>
        prisma.productContent.findFirst({ where: { shopDomain: shop, productId: product.id, status: "LIVE" } }),
      );

      await control.setLocale(shop, "fr", true);
      await waitUntil(() => prisma.shop.findFirst({ where: { domain: shop, publishedLocales: { has: "fr" } } }));
      await waitUntil(() => deliveriesFinished(control, shop));
      expect(await translationJobsOf(shop)).toEqual([]);
      expect(await prisma.translationRun.count({ where: { shopDomain: shop } })).toBe(0);
    },
  );
});
