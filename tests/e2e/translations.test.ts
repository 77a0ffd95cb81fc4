// The translations admin as a merchant uses it: the status grid (empty until the shop publishes a
// second language) with translated, outdated, missing, edited and failed counts, the filtered lists
// by name (failed fields with their reason and Retry), the side-by-side editor whose inline edit is
// registered in the store and protected from automatic runs, bulk translate with its cost preview,
// live progress and cancel, and the glossary editor.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { requestTranslation } from "~/services/translations/request-translation.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { appFrame, ARTIFACTS, merchantPage, titleBar, toast, waitForTitle } from "./browser";
import { browserSuite } from "./suite";

const suite = browserSuite({ prefix: "translations", name: "Translations Test Shop", waitMs: 40_000 });
const { appUrl, shopifyUrl, handle, shop, control } = suite;
const llmControl = new LlmEmulatorControl(inject("llmUrl"));

afterAll(() => llmControl.clearFaults());

/** The store check the translations page starts has finished (its counts are in). */
const scanned = (after: Date) =>
  suite.waitFor(() => prisma.translationScan.findFirst({ where: { shopDomain: shop, finishedAt: { gt: after } } }));

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

    // Opening the page checks the store (one read per 50 resources); the counts fill in by themselves.
    const before = new Date();
    const { page, app } = await open("/app/translations");
    await scanned(before);
    const grid = app.getByRole("table");
    await grid.waitFor();
    const products = translated.filter((row) => row.kind === "product" && row.locale === "fr").length;
    await app.getByRole("link", { name: `${products} translated: Products in French (fr)` }).waitFor();
    // The German collection title was never translated: missing, counted from the store's own content.
    await app.getByRole("link", { name: "1 missing: Collections in German (de)" }).waitFor();
    await app.getByText("Checking your store for new and changed content").waitFor({ state: "hidden" });
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-grid.png"), fullPage: true });

    // The title changes in Shopify admin (no webhook): "Check for changes" finds it outdated.
    await control.updateProduct(shop, product.id, { title: "Alpine Merino Beanie Hat" }, { silent: true });
    const check = new Date();
    await titleBar(page).getByRole("button", { name: "Check for changes" }).click();
    await scanned(check);
    await app.getByRole("link", { name: "1 outdated: Products in French (fr)" }).waitFor();
    await app.getByRole("link", { name: "1 outdated: Products in German (de)" }).waitFor();
    await app.getByText("Checking your store for new and changed content").waitFor({ state: "hidden" });
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-grid-outdated.png"), fullPage: true });
    await app.getByRole("link", { name: "1 outdated: Products in French (fr)" }).click();
    await app.getByRole("heading", { name: "Outdated products in French (fr)" }).waitFor();
    // The list names the product, and says which field.
    await app.getByRole("link", { name: "Alpine Merino Beanie Hat" }).waitFor();
    await app.getByText("Product · Title").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-outdated-list.png"), fullPage: true });
    await app.getByRole("link", { name: "All translations" }).click();

    await app.getByRole("link", { name: "1 failed: Collections in French (fr)" }).click();
    await app.getByRole("heading", { name: "Failed collections in French (fr)" }).waitFor();
    await app.getByRole("link", { name: "Winter Hats" }).waitFor();
    await app.getByText("The translation left out the glossary term “bonnet”.").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-failed-list.png"), fullPage: true });
    await app.getByRole("button", { name: "Retry Winter Hats" }).click();
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
    await app.getByRole("heading", { name: "Product: Alpine Merino Beanie Hat" }).waitFor();
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
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-inline-edit-saved.png"), fullPage: true });

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

describe("bulk translate", () => {
  it("previews the cost, translates a chosen item with live progress to completion, and cancels a run", async () => {
    const created = [];
    for (const [title, noun] of [
      ["Nordic Wool Scarf", "scarf"],
      ["Trail Running Socks", "socks"],
      ["Down Puffer Vest", "vest"],
      ["Canvas Field Tote", "tote"],
    ]) {
      created.push(
        await control.createProduct(
          shop,
          { title, descriptionHtml: `<p>A soft and warm ${noun} for every day, made with care for you.</p>` },
          { silent: true },
        ),
      );
    }
    const [scarf] = created;
    // More items than the worker runs at once, so a cancel finds some in flight and some queued.
    await control.createProducts(shop, {
      count: 24,
      silent: true,
      template: {
        title: "Merino Travel Sock {i}",
        descriptionHtml: "<p>A soft and warm sock for every day, made with care for you.</p>",
      },
    });
    const before = new Date();
    const grid = await open("/app/translations");
    await titleBar(grid.page).getByRole("button", { name: "Check for changes" }).click();
    await scanned(before);
    await grid.app.getByRole("link", { name: /^\d+ missing: Products in French \(fr\)$/ }).waitFor();
    await grid.page.close();

    const { page, app } = await open("/app/translations/bulk");
    await app.getByRole("heading", { name: "Bulk translate" }).waitFor();
    const everything = app.getByLabel(/^Everything outdated or missing \(\d+ items\)$/);
    await everything.waitFor();
    // The preview before anything runs: words per language, words × languages → tokens → cost.
    await app
      .getByText(/^French \(fr\): [\d,]+ words · German \(de\): [\d,]+ words$/)
      .first()
      .waitFor();
    await app
      .getByText(/^[\d,]+ words (×|across) 2 languages → ≈ [\d,]+ tokens → (< \$0\.01|≈ \$\d+\.\d\d)$/)
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-bulk-preview.png"), fullPage: true });

    // A chosen set: the scarf only.
    await app.getByText("Items I choose").click();
    const table = app.getByRole("table");
    await table.getByText("Nordic Wool Scarf").waitFor();
    await table
      .getByRole("row", { name: /Nordic Wool Scarf/ })
      .getByRole("checkbox")
      .check();
    await app.getByText("Cost preview: 1 item").waitFor();
    // The scarf's title (3 words) and description (13 words), into each of two languages.
    const preview = await app
      .getByText(/^16 words × 2 languages → ≈ [\d,]+ tokens/)
      .first()
      .textContent();
    const estimated = Number(/≈ ([\d,]+) tokens/.exec(preview!)![1]!.replace(/,/g, ""));
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-bulk-chosen.png"), fullPage: true });
    await app.getByRole("button", { name: "Review and translate" }).click();
    const confirm = page.getByRole("dialog", { name: "Start the bulk translation?" });
    await confirm.waitFor();
    await page
      .frameLocator('[data-testid="shopify-modal-content"]')
      .getByText(/Storewise will translate 1 item into French \(fr\), German \(de\)/)
      .waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-bulk-confirm.png"), fullPage: true });
    await confirm.getByRole("button", { name: "Translate 1 item" }).click();
    await toast(page, "Translating 1 item").waitFor();
    // Live progress, to completion, without a reload.
    await app.getByText("1 done · 0 failed · 0 remaining (of 1)").waitFor({ timeout: 40_000 });
    await app.getByText("Finished", { exact: true }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-bulk-finished.png"), fullPage: true });
    const live = await control.getProduct(shop, scarf!.id);
    expect(
      live.translations
        .filter((t) => t.key === "title")
        .map((t) => t.locale)
        .sort(),
    ).toEqual(["de", "fr"]);
    const run = await prisma.translationBulkRun.findFirstOrThrow({
      where: { shopDomain: shop },
      include: { items: true },
    });
    expect(run.status).toBe("COMPLETED");
    expect(run.items.map((item) => [item.title, item.status])).toEqual([["Nordic Wool Scarf", "DONE"]]);
    expect(run.estimatedTokens).toBe(estimated);
    // The preview is close to what the run really cost (the LLM emulator counts tokens as OpenAI's rule of thumb).
    expect(run.items[0]!.tokens).toBeGreaterThan(estimated * 0.5);
    expect(run.items[0]!.tokens).toBeLessThan(estimated * 2);

    // Everything else, with a slow model so there is a queue to cancel.
    await llmControl.setFaults({ latencyMs: 2_500 });
    await app.getByText(/^Everything outdated or missing \(\d+ items\)$/).click();
    await app.getByRole("button", { name: "Review and translate" }).click();
    await confirm.waitFor();
    const calls = (await llmControl.stats()).requests;
    await confirm.getByRole("button", { name: /^Translate \d+ items$/ }).click();
    await app.getByText("Running", { exact: true }).waitFor();
    // Cancel while the first translations are with the model.
    await suite.waitFor(async () => (await llmControl.stats()).requests > calls);
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-bulk-progress.png"), fullPage: true });
    await app.getByRole("button", { name: "Cancel" }).click();
    await toast(page, "Bulk translation canceled").waitFor();
    await app.getByText("Canceled", { exact: true }).waitFor();
    await llmControl.clearFaults();
    const canceled = await suite.waitFor(async () => {
      const latest = await prisma.translationBulkRun.findFirstOrThrow({
        where: { shopDomain: shop },
        orderBy: { createdAt: "desc" },
        include: { items: true },
      });
      return latest.items.every((item) => item.status !== "QUEUED") ? latest : null;
    });
    expect(canceled.status).toBe("CANCELED");
    const stopped = canceled.items.filter((item) => item.status === "CANCELED");
    expect(stopped.length).toBeGreaterThan(0);
    // The items in flight finished: translated and registered in the store.
    const finished = canceled.items.filter((item) => item.status === "DONE");
    expect(finished.length).toBeGreaterThan(0);
    const sample = await control.getProduct(shop, finished[0]!.resourceId);
    expect(
      sample.translations
        .filter((t) => t.key === "title")
        .map((t) => t.locale)
        .sort(),
    ).toEqual(["de", "fr"]);
    // A canceled item's job did nothing: no translation run of it since the bulk run started.
    for (const item of stopped) {
      expect(
        await prisma.translationRun.count({
          where: { shopDomain: shop, resourceId: item.resourceId, createdAt: { gte: canceled.createdAt } },
        }),
      ).toBe(0);
    }
    await page.reload();
    const reloaded = await appFrame(page, appUrl);
    await reloaded
      .getByText(
        new RegExp(
          `^${finished.length} done · 0 failed · 0 remaining · ${stopped.length} canceled \\(of ${canceled.total}\\)$`,
        ),
      )
      .waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "translations-bulk-canceled.png"), fullPage: true });
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
