// The translations admin as a merchant uses it: the status grid (empty until the shop publishes a
// second language), the filtered list of failed fields with Retry, and the side-by-side editor whose
// inline edit is registered in the store and protected from automatic runs.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { requestTranslation } from "~/services/translations/request-translation.server";
import { appFrame, ARTIFACTS, merchantPage, toast, waitForTitle } from "./browser";
import { browserSuite } from "./suite";

const suite = browserSuite({ prefix: "translations", name: "Translations Test Shop", waitMs: 40_000 });
const { appUrl, shopifyUrl, handle, shop, control } = suite;

async function open(pathname: string, title = "Translations") {
  const page = await merchantPage(suite.browser, shopifyUrl);
  await page.goto(`${shopifyUrl}/store/${handle}/apps/storewise${pathname}`);
  const app = await appFrame(page, appUrl);
  await waitForTitle(page, title);
  return { page, app };
}

const ledger = (resourceId: string) =>
  prisma.translationEntry.findMany({
    where: { shopDomain: shop, resourceId },
    orderBy: [{ locale: "asc" }, { key: "asc" }],
  });

describe("the translations pages", () => {
  let productId = "";

  it("explains how to add a language while the shop publishes only its primary one", async () => {
    const { page, app } = await open("/app/translations");
    await app.getByText("Add a language to translate into").waitFor();
    await app.getByText("Shopify admin → Settings → Languages", { exact: false }).waitFor();
    await app
      .getByRole("link", { name: "Open Shopify language settings" })
      .or(app.getByRole("button", { name: "Open Shopify language settings" }))
      .waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-empty.png"), fullPage: true });
    await page.close();
  });

  it("shows the status grid from real runs, and a failed field's reason with a Retry that translates it", async () => {
    await control.setLocale(shop, "fr", true, { silent: true });
    await control.setLocale(shop, "de", true, { silent: true });
    const product = await control.createProduct(
      shop,
      {
        title: "Alpine Merino Beanie",
        descriptionHtml: "<p>A warm hat knitted from soft merino wool.</p>",
        vendor: "Northwind",
        productType: "Hats",
      },
      { silent: true },
    );
    productId = product.id;
    await requestTranslation({ shop, resourceId: product.id });
    await suite.waitFor(() =>
      prisma.translationRun.findFirst({ where: { shopDomain: shop, resourceId: product.id, outcome: "translated" } }),
    );
    const translated = await ledger(product.id);
    expect(translated.length).toBeGreaterThan(0);
    expect(translated.every((row) => row.status === "TRANSLATED")).toBe(true);
    expect(translated.filter((row) => row.locale === "fr")).toHaveLength(translated.length / 2);

    // A collection whose French title failed in an earlier run (the reason as the pipeline records it).
    const collection = await control.createCollection(shop, { title: "Winter Hats" }, { silent: true });
    const collectionId = collection.resourceId;
    const digest = collection.translatableContent.find((entry) => entry.key === "title")!.digest;
    await prisma.translationEntry.create({
      data: {
        shopDomain: shop,
        resourceId: collectionId,
        kind: "collection",
        key: "title",
        locale: "fr",
        market: "",
        sourceDigest: digest,
        valueHash: null,
        status: "FAILED",
        failureReason: "The translation left out the glossary term “bonnet”.",
      },
    });

    const { page, app } = await open("/app/translations");
    const grid = app.getByRole("table");
    await grid.waitFor();
    const products = translated.filter((row) => row.kind === "product" && row.locale === "fr").length;
    await app.getByRole("link", { name: `${products} translated: Products in French (fr)` }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-grid.png"), fullPage: true });

    await app.getByRole("link", { name: "1 failed: Collections in French (fr)" }).click();
    await app.getByRole("heading", { name: "Failed collections in French (fr)" }).waitFor();
    await app.getByText("The translation left out the glossary term “bonnet”.").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-failed-list.png"), fullPage: true });
    await app.getByRole("button", { name: `Retry ${collectionId}` }).click();
    await toast(page, "Translation queued").waitFor();
    // Retry runs the real pipeline: the French title is translated and registered.
    const retried = await suite.waitFor(async () => {
      const row = await prisma.translationEntry.findFirst({
        where: { shopDomain: shop, resourceId: collectionId, key: "title", locale: "fr" },
      });
      return row?.status === "TRANSLATED" ? row : null;
    });
    expect(retried.failureReason).toBeNull();
    const live = await control.translations(shop, collectionId);
    expect(live.translations.find((t) => t.locale === "fr" && t.key === "title")?.value).toBeTruthy();
    await page.close();
  });

  it("edits a translation side by side: registered in the store and protected as edited by you", async () => {
    expect(productId).not.toBe("");
    const { page, app } = await open(`/app/translations/${encodeURIComponent(productId)}`);
    await app.getByRole("heading", { name: "Product: Alpine Merino Beanie" }).waitFor();
    await app.getByText("Original").first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-side-by-side.png"), fullPage: true });

    await app.getByRole("button", { name: "Edit Title in French (fr)" }).click();
    const field = app.getByLabel("Title in French (fr)");
    await field.fill("Bonnet en mérinos des Alpes");
    const saveBar = page.getByRole("region", { name: "Contextual save bar" });
    await saveBar.waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-inline-edit.png"), fullPage: true });
    await saveBar.getByRole("button", { name: "Save" }).click();
    await toast(page, "Translation saved").waitFor();
    await saveBar.waitFor({ state: "hidden" });
    await app.getByText("Bonnet en mérinos des Alpes").waitFor();

    const stored = await control.getProduct(shop, productId);
    const title = stored.translations.find((t) => t.locale === "fr" && t.key === "title");
    expect(title?.value).toBe("Bonnet en mérinos des Alpes");
    const entry = (await ledger(productId)).find((row) => row.locale === "fr" && row.key === "title");
    expect(entry?.status).toBe("EDITED");
    // The German title is untouched.
    expect((await ledger(productId)).find((row) => row.locale === "de" && row.key === "title")?.status).toBe(
      "TRANSLATED",
    );

    await page.reload();
    const reloaded = await appFrame(page, appUrl);
    await reloaded.getByRole("button", { name: "Replace Title in French (fr) with AI translation" }).waitFor();
    await expect(reloaded.getByText("Edited by you").count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-edited.png"), fullPage: true });

    await reloaded.getByRole("button", { name: "Replace Title in French (fr) with AI translation" }).click();
    const modal = page.getByRole("dialog", { name: "Replace your translation?" });
    await modal.waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-replace-modal.png"), fullPage: true });
    await modal.getByRole("button", { name: "Replace with AI translation" }).click();
    await toast(page, "Replacing with the AI translation").waitFor();
    const replaced = await suite.waitFor(async () => {
      const row = (await ledger(productId)).find((r) => r.locale === "fr" && r.key === "title");
      return row?.status === "TRANSLATED" ? row : null;
    });
    expect(replaced.failureReason).toBeNull();
    const after = await control.getProduct(shop, productId);
    expect(after.translations.find((t) => t.locale === "fr" && t.key === "title")?.value).not.toBe(
      "Bonnet en mérinos des Alpes",
    );
    await page.close();
  });
});

describe("the translation settings", () => {
  it("edits the glossary, exports it as CSV, and names the bad row of an import while importing nothing", async () => {
    const { page, app } = await open("/app/translations/settings");
    await app.getByText("The glossary applies to every translation run", { exact: false }).waitFor();
    await app.getByRole("button", { name: "Add term" }).click();
    await app.getByLabel("Term 1", { exact: true }).fill("Merino beanie, ribbed");
    await app.getByLabel("Translation of term 1").fill("bonnet en mérinos, côtelé");
    await app.getByLabel("Language of term 1").selectOption("fr");
    await app.getByText("Translate URL handles").click();
    await app.getByText("Translated handles change the URLs", { exact: false }).waitFor();
    const saveBar = page.getByRole("region", { name: "Contextual save bar" });
    await saveBar.waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-settings-glossary.png"), fullPage: true });
    await saveBar.getByRole("button", { name: "Save" }).click();
    await toast(page, "Translation settings saved").waitFor();
    await saveBar.waitFor({ state: "hidden" });
    expect(
      await prisma.glossaryTerm.findMany({
        where: { shopDomain: shop },
        select: { locale: true, source: true, target: true },
      }),
    ).toEqual([{ locale: "fr", source: "Merino beanie, ribbed", target: "bonnet en mérinos, côtelé" }]);
    expect((await prisma.translationSettings.findUniqueOrThrow({ where: { shopDomain: shop } })).translateHandles).toBe(
      true,
    );

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      app.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`storewise-glossary-${handle}.csv`);
    expect(await readFile(await download.path(), "utf8")).toBe(
      '\uFEFFlocale,source,target,case_sensitive\r\nfr,"Merino beanie, ribbed","bonnet en mérinos, côtelé",false\r\n',
    );

    await app.locator("#glossary-csv-file").setInputFiles({
      name: "glossary.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("locale,source,target,case_sensitive\nde,beanie,Mütze,true\nde,scarf,,false\n"),
    });
    await app.getByText("Row 3: target: Enter its translation").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-glossary-import-error.png"), fullPage: true });
    expect(await prisma.glossaryTerm.count({ where: { shopDomain: shop } })).toBe(1);

    await app.locator("#glossary-csv-file").setInputFiles({
      name: "glossary.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("\uFEFFlocale,source,target,case_sensitive\r\nde,beanie,Mütze,true\r\n"),
    });
    await toast(page, "Imported 1 term").waitFor();
    await app.getByLabel("Term 2", { exact: true }).waitFor();
    expect(await prisma.glossaryTerm.count({ where: { shopDomain: shop } })).toBe(2);
    await page.close();
  });
});
