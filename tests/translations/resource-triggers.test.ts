// What starts the translation of resources other than products (decision 023): a collection's
// collections/update webhook translates the keys whose digest changed; pages and shop policies,
// which have no update topic in WebhookSubscriptionTopic (Admin 2026-10), are found by a sweep whose
// runs read the store's digests and `outdated` flags. Through the real worker and the emulator.
import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { requestTranslationSweep } from "~/services/translations/sweep-translations.server";
import { updateTranslationSettings } from "~/services/translations/update-translation-settings.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const control = emulatorControl(inject("shopifyUrl"));
const { waitUntil } = withWorker({ waitMs: 40_000 });

async function shopIn(locales: string[]) {
  const shop = `trig-${randomUUID().slice(0, 8)}.myshopify.com`;
  await seedShop(control, prisma, {
    shop,
    accessToken: `shpat_${randomUUID()}`,
    locales: [
      { locale: "en", primary: true, published: true },
      ...locales.map((locale) => ({ locale, published: true })),
    ],
  });
  const saved = await updateTranslationSettings({
    db: prisma,
    shop,
    input: { autoTranslate: true, locales, translateHandles: false, doNotTranslate: [] },
  });
  expect(saved.ok).toBe(true);
  return shop;
}

const runsOf = (shop: string, resourceId: string) =>
  prisma.translationRun.findMany({ where: { shopDomain: shop, resourceId }, orderBy: { createdAt: "asc" } });

const liveOf = async (shop: string, resourceId: string, locale: string) =>
  Object.fromEntries(
    (await control.translations(shop, resourceId)).translations
      .filter((translation) => translation.locale === locale)
      .map((translation) => [translation.key, translation]),
  );

describe("a collection's update webhook", () => {
  it(
    "translates the collection, and a later title edit re-translates only the title",
    { timeout: 90_000 },
    async () => {
      const shop = await shopIn(["fr"]);
      const collection = await control.createCollection(
        shop,
        { title: "Summer Linen", descriptionHtml: "<p>Light and airy.</p>" },
        { silent: true },
      );
      await control.updateCollection(shop, collection.resourceId, { descriptionHtml: "<p>Light and airy linen.</p>" });
      const first = await waitUntil(async () =>
        (await runsOf(shop, collection.resourceId)).find((run) => run.outcome === "translated"),
      );
      const fr = await liveOf(shop, collection.resourceId, "fr");
      expect(Object.keys(fr).sort()).toEqual(["body_html", "title"]);
      expect(Object.values(fr).every((translation) => !translation.outdated)).toBe(true);

      await control.updateCollection(shop, collection.resourceId, { title: "Summer Linen Edit" });
      const second = await waitUntil(async () => {
        const runs = (await runsOf(shop, collection.resourceId)).filter((run) => run.outcome === "translated");
        return runs.length >= 2 ? runs[1] : null;
      });
      expect(JSON.parse(second.detail ?? "{}")).toMatchObject({ registered: 1, llmCalls: 1 });
      expect(second.tokens).toBeLessThan(first.tokens);
      const after = await liveOf(shop, collection.resourceId, "fr");
      expect(after.title?.outdated).toBe(false);
      expect(after.body_html?.value).toBe(fr.body_html?.value);
    },
  );

  it("queues nothing to translate when the shop does not translate automatically", { timeout: 60_000 }, async () => {
    const shop = await shopIn(["fr"]);
    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { autoTranslate: false } });
    const collection = await control.createCollection(shop, { title: "Winter Wool" }, { silent: true });
    await control.updateCollection(shop, collection.resourceId, { title: "Winter Wool Edit" });
    const job = await waitUntil(() =>
      prisma.jobRun.findFirst({ where: { shopDomain: shop, name: "translation.resource-changed" } }),
    );
    expect(job.status).toBe("COMPLETED");
    expect(await runsOf(shop, collection.resourceId)).toEqual([]);
    expect((await control.translations(shop, collection.resourceId)).translations).toEqual([]);
  });
});

describe("pages and policies (no update webhook): the sweep", () => {
  it(
    "translates every page and policy, and a second sweep redoes only what changed since",
    { timeout: 90_000 },
    async () => {
      const shop = await shopIn(["de"]);
      const page = await control.createPage(shop, { title: "About us", body: "<p>We make hats since 1999.</p>" });
      const policy = await control.setPolicy(shop, "REFUND_POLICY", { body: "<p>Returns within 30 days.</p>" });
      await requestTranslationSweep({ shop, now: new Date(Date.UTC(2026, 0, 1, 10, 0)) });
      for (const resourceId of [page.resourceId, policy.resourceId]) {
        await waitUntil(async () => (await runsOf(shop, resourceId)).find((run) => run.outcome === "translated"));
      }
      expect(Object.keys(await liveOf(shop, page.resourceId, "de")).sort()).toEqual(["body_html", "title"]);
      expect(Object.keys(await liveOf(shop, policy.resourceId, "de"))).toEqual(["body"]);

      await control.updatePage(shop, page.resourceId, { title: "About our workshop" });
      await requestTranslationSweep({ shop, now: new Date(Date.UTC(2026, 0, 1, 10, 5)) });
      const redo = await waitUntil(async () => {
        const runs = (await runsOf(shop, page.resourceId)).filter((run) => run.outcome === "translated");
        return runs.length >= 2 ? runs[1] : null;
      });
      expect(JSON.parse(redo.detail ?? "{}")).toMatchObject({ registered: 1, llmCalls: 1 });
      const policyRuns = await waitUntil(async () => {
        const runs = await runsOf(shop, policy.resourceId);
        return runs.length >= 2 ? runs : null;
      });
      expect(policyRuns[1]?.outcome).toBe("unchanged");
      expect(policyRuns[1]?.tokens).toBe(0);
    },
  );
});
