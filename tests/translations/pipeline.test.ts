import { randomUUID } from "node:crypto";

import { afterEach, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { approveVersions } from "~/services/content/review-versions.server";
import { listTranslationItems, loadTranslationStatus } from "~/services/translations/load-translation-status.server";
import { registerHumanTranslation } from "~/services/translations/register-human-translation.server";
import { replaceWithAiTranslation } from "~/services/translations/replace-with-ai-translation.server";
import { requestTranslation } from "~/services/translations/request-translation.server";
import { replaceGlossary, updateTranslationSettings } from "~/services/translations/update-translation-settings.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl, type ControlProduct } from "../emulators/shopify/control-client";
import { deliveriesFinished } from "../support/job-runs";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";
import { storeForJob } from "~/composition.server";

const control = emulatorControl(inject("shopifyUrl"));
const llmControl = new LlmEmulatorControl(inject("llmUrl"));
const { waitUntil } = withWorker({ waitMs: 40_000 });

const LOCALES = [
  { locale: "en", primary: true, published: true },
  { locale: "fr", published: true },
  { locale: "de", published: true },
  { locale: "es", published: true },
];

afterEach(async () => {
  await llmControl.clearFaults();
  await llmControl.clearOverrides();
});

async function newShop(options: { autoPublish?: boolean; locales?: string[] } = {}) {
  const shop = `tr-${randomUUID().slice(0, 8)}.myshopify.com`;
  const accessToken = `shpat_${randomUUID()}`;
  await seedShop(control, prisma, { shop, accessToken, locales: LOCALES });
  if (options.autoPublish) {
    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { contentMode: "AUTO_PUBLISH" } });
  }
  if (options.locales) {
    const saved = await updateTranslationSettings({
      db: prisma,
      shop,
      input: { autoTranslate: true, locales: options.locales, translateHandles: false, doNotTranslate: [] },
    });
    expect(saved.ok).toBe(true);
  }
  return { shop, accessToken };
}

/** The shop's translation runs of a product, oldest first, with their detail parsed. */
async function runsOf(shop: string, resourceId: string) {
  const rows = await prisma.translationRun.findMany({
    where: { shopDomain: shop, resourceId },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((row) => ({
    ...row,
    detail: JSON.parse(row.detail ?? "{}") as { redone: string[]; droppedLocales: string[]; llmCalls: number },
  }));
}

/** Waits for the n-th run of the product that did something, and returns it. */
async function nthRun(shop: string, resourceId: string, n: number) {
  return waitUntil(async () => {
    const runs = (await runsOf(shop, resourceId)).filter((run) => run.outcome !== "unchanged");
    return runs.length >= n ? runs[n - 1] : null;
  });
}

/** Translation calls billed to the shop (the app's usage ledger). */
async function translationUsage(shop: string) {
  const rows = await prisma.llmUsage.findMany({ where: { shopDomain: shop, task: "translation" } });
  return {
    calls: rows.length,
    tokens: rows.reduce((sum, row) => sum + row.promptTokens + row.completionTokens, 0),
    completionTokens: rows.reduce((sum, row) => sum + row.completionTokens, 0),
  };
}

/** The resources the app has translated for the shop (the ledger's distinct resource ids). */
async function translatedResources(shop: string) {
  const rows = await prisma.translationEntry.findMany({
    where: { shopDomain: shop },
    distinct: ["resourceId"],
    select: { resourceId: true },
  });
  return rows.map((row) => row.resourceId);
}

const liveTranslations = (product: ControlProduct, locale: string) =>
  Object.fromEntries(product.translations.filter((t) => t.locale === locale).map((t) => [t.key, t]));

const entries = (shop: string, resourceId: string) =>
  prisma.translationEntry.findMany({
    where: { shopDomain: shop, resourceId },
    orderBy: [{ locale: "asc" }, { key: "asc" }],
  });

/** A product with a merchant's own description, so the copy pipeline skips it (no copy LLM call). */
async function merchantProduct(shop: string, input: { title: string; descriptionHtml: string }) {
  const product = await control.createProduct(shop, { ...input, vendor: "Northwind", productType: "Hats" });
  await waitUntil(() => deliveriesFinished(control, shop));
  return product;
}

describe("a published product is translated into every published locale", () => {
  it("registers fr, de and es in one call, with the emulator's digests, and its own echo costs nothing", async () => {
    const { shop } = await newShop({ autoPublish: true });
    const product = await control.createProduct(shop, {
      title: "Alpine Merino Beanie",
      vendor: "Northwind",
      productType: "Hats",
    });
    const run = await nthRun(shop, product.id, 1);
    expect(run.outcome).toBe("translated");
    await waitUntil(() => deliveriesFinished(control, shop));

    const stored = await control.getProduct(shop, product.id);
    const digests = Object.fromEntries(stored.translatableContent.map((c) => [c.key, c.digest]));
    for (const locale of ["fr", "de", "es"]) {
      const live = liveTranslations(stored, locale);
      expect(Object.keys(live).sort()).toEqual([
        "body_html",
        "meta_description",
        "meta_title",
        "product_type",
        "title",
      ]);
      // Not outdated: each was registered against the digest Shopify holds for its source now.
      for (const translation of Object.values(live)) expect(translation.outdated).toBe(false);
      expect(live.handle).toBeUndefined();
    }
    expect(liveTranslations(stored, "fr").body_html?.value).toMatch(/^<p>Découvrez le /);
    expect(liveTranslations(stored, "de").title?.value).toContain("Mütze");
    const ledger = await entries(shop, product.id);
    expect(ledger).toHaveLength(15);
    for (const entry of ledger) {
      expect(entry.status).toBe("TRANSLATED");
      expect(entry.sourceDigest).toBe(digests[entry.key]);
    }
    // One request registered everything: one aliased translationsRegister per resource (the
    // product, and each of its options, option values, images and copy metafields, which Shopify
    // registers under their own ids), and one LLM call per locale carried the keys of all of them.
    // The publish's products/update echo queued the same job (or a run that found nothing to do).
    const resources = await translatedResources(shop);
    expect(resources).toContain(product.id);
    expect(resources.length).toBeGreaterThan(1);
    const stats = await control.stats(shop);
    expect(stats.operations.translationsRegister).toBe(resources.length);
    expect(stats.requestsWith.translationsRegister).toBe(1);
    const [register] = await control.requestLog(shop, { rootField: "translationsRegister" });
    expect(register?.translationsRegister.map((alias) => alias.resourceId).sort()).toEqual([...resources].sort());
    expect(register?.translationsRegister.every((alias) => alias.productId === product.id)).toBe(true);
    expect((await translationUsage(shop)).calls).toBe(3);

    // Asked again with nothing changed: every key is found unchanged, no call, no write.
    await requestTranslation({ shop, resourceId: product.id });
    const again = await waitUntil(async () => (await runsOf(shop, product.id)).find((r) => r.outcome === "unchanged"));
    expect(again.tokens).toBe(0);
    expect((await translationUsage(shop)).calls).toBe(3);
    expect((await control.stats(shop)).requestsWith.translationsRegister).toBe(1);
  });

  it("re-translates only the title when only the title changed", async () => {
    const { shop } = await newShop({ autoPublish: true });
    const product = await control.createProduct(shop, { title: "Cedar Wick Candle", vendor: "Kiln & Co" });
    await nthRun(shop, product.id, 1);
    await waitUntil(() => deliveriesFinished(control, shop));
    const before = await translationUsage(shop);
    const registersBefore = (await control.stats(shop)).operations.translationsRegister ?? 0;
    const bodyBefore = liveTranslations(await control.getProduct(shop, product.id), "fr").body_html?.value;

    await control.updateProduct(shop, product.id, { title: "Cedar Wick Candle Large" });
    const run = await nthRun(shop, product.id, 2);
    expect(run.outcome).toBe("translated");
    const after = await translationUsage(shop);
    expect(after.calls - before.calls).toBe(3);
    // Each of those calls carried the title alone: the model wrote a fraction of the first run's.
    expect(after.completionTokens - before.completionTokens).toBeLessThan(before.completionTokens / 3);
    const stored = await control.getProduct(shop, product.id);
    expect(liveTranslations(stored, "fr").title?.value).toBe("Cedar Wick Bougie Large");
    expect(liveTranslations(stored, "fr").body_html?.value).toBe(bodyBefore);
    // Only the product's own resource changed: one more request, one alias, none for its nested resources.
    expect((await control.stats(shop)).operations.translationsRegister).toBe(registersBefore + 1);
    expect((await control.stats(shop)).requestsWith.translationsRegister).toBe(2);
  });
});

describe("when translations are queued", () => {
  it("translates a reviewed product once the merchant approves its copy, not before", async () => {
    const { shop } = await newShop({ locales: ["fr"] });
    const product = await control.createProduct(shop, { title: "Reviewed Beanie", vendor: "Northwind" });
    const draft = await waitUntil(() =>
      prisma.contentVersion.findFirst({ where: { status: "DRAFT", productContent: { shopDomain: shop } } }),
    );
    await waitUntil(() => deliveriesFinished(control, shop));
    expect(await runsOf(shop, product.id)).toEqual([]);

    await approveVersions({ db: prisma, shop, versionIds: [draft.id] });
    const run = await nthRun(shop, product.id, 1);
    expect(run.outcome).toBe("translated");
    const fr = liveTranslations(await control.getProduct(shop, product.id), "fr");
    expect(fr.body_html?.value).toMatch(/^<p>Découvrez le Reviewed Bonnet/);
  });

  it("does not translate automatically when the shop turned it off, and pauses at the token cap", async () => {
    const { shop } = await newShop({ autoPublish: true });
    await updateTranslationSettings({
      db: prisma,
      shop,
      input: { autoTranslate: false, locales: [], translateHandles: false, doNotTranslate: [] },
    });
    const product = await control.createProduct(shop, { title: "Quiet Candle", vendor: "Kiln & Co" });
    await waitUntil(async () =>
      (await prisma.productContent.findFirst({ where: { shopDomain: shop, status: "LIVE" } })) ? true : null,
    );
    await waitUntil(() => deliveriesFinished(control, shop));
    expect(await runsOf(shop, product.id)).toEqual([]);

    // On demand it runs, but the month's cap is used up: nothing is spent and the run says why.
    await prisma.shopSettings.updateMany({ where: { shop: { domain: shop } }, data: { monthlyTokenCap: 1_000 } });
    await prisma.llmUsage.create({
      data: { shopDomain: shop, task: "content", model: "gpt-4o-mini", promptTokens: 5_000, completionTokens: 0 },
    });
    await requestTranslation({ shop, resourceId: product.id });
    const run = await nthRun(shop, product.id, 1);
    expect(run.outcome).toBe("paused");
    expect((await translationUsage(shop)).calls).toBe(0);
    expect(liveTranslations(await control.getProduct(shop, product.id), "fr")).toEqual({});
  });
});

describe("the merchant's rules and the content's structure", () => {
  it("honours the glossary and do-not-translate terms, and keeps HTML and Liquid intact", async () => {
    const { shop } = await newShop({ locales: ["fr", "de"] });
    const saved = await updateTranslationSettings({
      db: prisma,
      shop,
      input: { autoTranslate: true, locales: ["fr", "de"], translateHandles: false, doNotTranslate: ["Trail Mug"] },
    });
    expect(saved.ok).toBe(true);
    expect(
      await replaceGlossary({
        db: prisma,
        shop,
        input: [{ locale: "fr", source: "coffee", target: "kawa", caseSensitive: false }],
      }),
    ).toEqual({ ok: true, count: 1 });
    const html =
      "<p>The Trail Mug for long coffee mornings.</p><ul><li>{{ product.price | money }} only</li><li>{% if available %}Available{% endif %} today</li></ul>";
    const product = await merchantProduct(shop, { title: "Trail Mug for coffee", descriptionHtml: html });

    await requestTranslation({ shop, resourceId: product.id });
    const run = await nthRun(shop, product.id, 1);
    expect(run.outcome).toBe("translated");
    const stored = await control.getProduct(shop, product.id);
    const fr = liveTranslations(stored, "fr");
    const de = liveTranslations(stored, "de");
    expect(fr.title?.value).toBe("Trail Mug pour kawa");
    expect(de.title?.value).toBe("Trail Mug für Kaffee");
    const body = fr.body_html?.value ?? "";
    expect(body).toContain("Trail Mug");
    expect(body).toContain("kawa");
    expect(body).toContain("{{ product.price | money }}");
    expect(body).toContain("{% if available %}");
    expect(body.match(/<\/?[a-z]+>/g)).toEqual(html.match(/<\/?[a-z]+>/g));
    expect(liveTranslations(stored, "es")).toEqual({});
  });

  it("refuses invalid settings with a message per field", async () => {
    const { shop } = await newShop();
    const result = await updateTranslationSettings({
      db: prisma,
      shop,
      input: { autoTranslate: true, locales: ["French!"], translateHandles: false, doNotTranslate: [""] },
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        "locales.0": expect.stringMatching(/language code/),
        "doNotTranslate.0": expect.stringMatching(/empty/),
      },
    });
    const glossary = await replaceGlossary({
      db: prisma,
      shop,
      input: [
        { locale: "fr", source: "mug", target: "tasse" },
        { locale: "fr", source: "mug", target: "bol" },
      ],
    });
    expect(glossary).toEqual({ ok: false, errors: { "1.source": expect.stringMatching(/listed twice/) } });
  });
});

describe("a person's translation is theirs", () => {
  it("is never overwritten by a later automatic run, until the merchant asks for the AI translation", async () => {
    const { shop, accessToken } = await newShop({ autoPublish: true, locales: ["fr", "de"] });
    const product = await control.createProduct(shop, { title: "Field Lantern", vendor: "Northwind" });
    await nthRun(shop, product.id, 1);
    await waitUntil(() => deliveriesFinished(control, shop));

    // A translator fixes the French title in Shopify's Translate & Adapt.
    const digest = (await control.getProduct(shop, product.id)).translatableContent.find(
      (c) => c.key === "title",
    )?.digest;
    const written = await control.graphql(
      accessToken,
      `mutation ($id: ID!, $t: [TranslationInput!]!) { translationsRegister(resourceId: $id, translations: $t) { userErrors { code } } }`,
      {
        id: product.id,
        t: [{ locale: "fr", key: "title", value: "Lanterne des champs", translatableContentDigest: digest }],
      },
    );
    expect(written.body.data).toEqual({ translationsRegister: { userErrors: [] } });

    await control.updateProduct(shop, product.id, { title: "Field Lantern Pro" });
    const run = await nthRun(shop, product.id, 2);
    expect(run.outcome).toBe("translated");
    let stored = await control.getProduct(shop, product.id);
    expect(liveTranslations(stored, "fr").title?.value).toBe("Lanterne des champs");
    expect(liveTranslations(stored, "de").title?.value).toContain("Pro");
    const frTitle = () =>
      prisma.translationEntry.findFirst({
        where: { shopDomain: shop, resourceId: product.id, locale: "fr", key: "title" },
      });
    expect((await frTitle())?.status).toBe("EDITED");

    await replaceWithAiTranslation({ db: prisma, shop, resourceId: product.id, key: "title", locale: "fr" });
    await waitUntil(async () => ((await frTitle())?.status === "TRANSLATED" ? true : null));
    stored = await control.getProduct(shop, product.id);
    expect(liveTranslations(stored, "fr").title?.value).toContain("Pro");
    expect(liveTranslations(stored, "fr").title?.outdated).toBe(false);
  });
});

describe("the status the admin shows", () => {
  it("counts keys per kind and locale, lists failures, and keeps a merchant's own translation", async () => {
    const { shop } = await newShop({ locales: ["fr", "de"] });
    const product = await merchantProduct(shop, {
      title: "Linen Shirt",
      descriptionHtml: "<p>A light linen shirt.</p>",
    });
    await registerHumanTranslation({
      db: prisma,
      store: storeForJob(shop),
      shop,
      resourceId: product.id,
      key: "title",
      locale: "fr",
      value: "Chemise en lin",
    });
    await requestTranslation({ shop, resourceId: product.id });
    await nthRun(shop, product.id, 1);
    expect(liveTranslations(await control.getProduct(shop, product.id), "fr").title?.value).toBe("Chemise en lin");
    expect(await loadTranslationStatus({ db: prisma, shop })).toEqual([
      { kind: "product", locale: "de", counts: { TRANSLATED: 3, FAILED: 0, EDITED: 0, SKIPPED: 0 } },
      { kind: "product", locale: "fr", counts: { TRANSLATED: 2, FAILED: 0, EDITED: 1, SKIPPED: 0 } },
    ]);
    const edited = await listTranslationItems({ db: prisma, shop, status: "EDITED" });
    expect(edited.items.map((item) => [item.locale, item.key])).toEqual([["fr", "title"]]);
  });
});

describe("bad inputs end with a recorded outcome and nothing lost", () => {
  it("redoes only the key whose source changed while it was being translated", async () => {
    const { shop } = await newShop({ locales: ["fr", "de", "es"] });
    const product = await merchantProduct(shop, {
      title: "Canvas Tote",
      descriptionHtml: "<p>A canvas bag for every day.</p>",
    });
    await llmControl.setFaults({ latencyMs: 1_500 });
    await requestTranslation({ shop, resourceId: product.id });
    await waitUntil(async () => ((await llmControl.stats()).inFlight > 0 ? true : null));
    await control.updateProduct(shop, product.id, { title: "Canvas Tote Bag" }, { silent: true });
    await llmControl.clearFaults();

    const run = await nthRun(shop, product.id, 1);
    expect(run.outcome).toBe("translated");
    expect(run.detail.redone.sort()).toEqual(["de.title", "es.title", "fr.title"]);
    expect(run.detail.llmCalls).toBe(6);
    const stored = await control.getProduct(shop, product.id);
    for (const locale of ["fr", "de", "es"]) {
      const live = liveTranslations(stored, locale);
      expect(live.title?.outdated).toBe(false);
      expect(live.body_html?.outdated).toBe(false);
    }
    expect(liveTranslations(stored, "es").title?.value).toBe("Canvas Tote Bolso");
    // The first register was refused as a whole (INVALID_TRANSLATABLE_CONTENT), the second took all.
    expect((await control.stats(shop)).operations.translationsRegister).toBe(2);
  });

  it("drops a locale unpublished mid-run (INVALID_LOCALE_FOR_SHOP) and registers the rest", async () => {
    const { shop } = await newShop({ locales: ["fr", "de", "es"] });
    const product = await merchantProduct(shop, { title: "Wool Scarf", descriptionHtml: "<p>A soft wool scarf.</p>" });
    await llmControl.setFaults({ latencyMs: 1_000 });
    await requestTranslation({ shop, resourceId: product.id });
    await waitUntil(async () => ((await llmControl.stats()).inFlight > 0 ? true : null));
    await control.createShop({
      shop,
      locales: LOCALES.map((l) => (l.locale === "de" ? { ...l, published: false } : l)),
    });
    await llmControl.clearFaults();

    const run = await nthRun(shop, product.id, 1);
    expect(run.outcome).toBe("translated");
    expect(run.detail.droppedLocales).toEqual(["de"]);
    const stored = await control.getProduct(shop, product.id);
    expect(Object.keys(liveTranslations(stored, "fr")).sort()).toEqual(["body_html", "product_type", "title"]);
    expect(liveTranslations(stored, "de")).toEqual({});
    const de = (await entries(shop, product.id)).filter((entry) => entry.locale === "de");
    expect(de.map((entry) => entry.status)).toEqual(["SKIPPED", "SKIPPED", "SKIPPED"]);
    expect(de[0]?.failureReason).toMatch(/de was unpublished/);
  });

  for (const fault of ["break-html", "drop-placeholder", "wrong-language"] as const) {
    it(`re-asks once when a reply fails validation (${fault}), then records the failure with its reason`, async () => {
      const { shop } = await newShop({ locales: ["fr"] });
      await updateTranslationSettings({
        db: prisma,
        shop,
        input: { autoTranslate: true, locales: ["fr"], translateHandles: false, doNotTranslate: ["Northwind"] },
      });
      const marker = `Lantern ${randomUUID().slice(0, 6)}`;
      const product = await merchantProduct(shop, {
        title: marker,
        descriptionHtml:
          "<p>A warm light from Northwind for long mornings at home.</p><p>Made with care for every day.</p>",
      });
      // Once: the re-ask is answered well and everything is registered.
      await llmControl.addOverride({ match: marker, times: 1, translation: fault });
      await requestTranslation({ shop, resourceId: product.id });
      const first = await nthRun(shop, product.id, 1);
      expect(first.outcome).toBe("translated");
      expect(first.detail.llmCalls).toBe(2);

      // Twice: the re-ask fails too, and the key is recorded as failed with the reason.
      await control.updateProduct(
        shop,
        product.id,
        {
          descriptionHtml:
            "<p>A warm light from Northwind for long evenings at home.</p><p>Made with care for every day.</p>",
        },
        { silent: true },
      );
      await llmControl.addOverride({ match: "long evenings", times: 2, translation: fault });
      await requestTranslation({ shop, resourceId: product.id });
      const second = await nthRun(shop, product.id, 2);
      expect(second.outcome).toBe("failed");
      const body = await prisma.translationEntry.findFirst({
        where: { shopDomain: shop, resourceId: product.id, key: "body_html", locale: "fr" },
      });
      expect(body?.status).toBe("FAILED");
      const reasons = {
        "break-html": /HTML tags differ/,
        "drop-placeholder": /placeholders were dropped/,
        "wrong-language": /is in en, not fr/,
      };
      expect(body?.failureReason).toMatch(reasons[fault]);
      // The first, good translation is still live: nothing was lost.
      const live = liveTranslations(await control.getProduct(shop, product.id), "fr");
      expect(live.body_html?.value).toContain("matinées");
      expect(live.body_html?.outdated).toBe(true);
    });
  }

  it("translates only into published locales the shop chose; an unpublished choice is a recorded no-op", async () => {
    const { shop } = await newShop({ locales: ["it", "fr"] });
    const product = await merchantProduct(shop, { title: "Olive Soap", descriptionHtml: "<p>A soft soap.</p>" });
    await requestTranslation({ shop, resourceId: product.id });
    expect((await nthRun(shop, product.id, 1)).outcome).toBe("translated");
    const stored = await control.getProduct(shop, product.id);
    expect([...new Set(stored.translations.map((t) => t.locale))]).toEqual(["fr"]);

    await updateTranslationSettings({
      db: prisma,
      shop,
      input: { autoTranslate: true, locales: ["it"], translateHandles: false, doNotTranslate: [] },
    });
    await requestTranslation({ shop, resourceId: product.id });
    expect((await nthRun(shop, product.id, 2)).outcome).toBe("no-locales");
  });

  it("records a product deleted before its job ran, without an error", async () => {
    const { shop } = await newShop({ locales: ["fr"] });
    const product = await control.createProduct(shop, { title: "Gone Soon" }, { silent: true });
    await control.deleteProduct(shop, product.id, { silent: true });
    await requestTranslation({ shop, resourceId: product.id });
    const run = await waitUntil(async () => (await runsOf(shop, product.id))[0]);
    expect(run.outcome).toBe("resource-gone");
    expect(await translationUsage(shop)).toEqual({ calls: 0, tokens: 0, completionTokens: 0 });
  });
});
