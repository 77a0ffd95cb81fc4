// translatableResource / translationsRegister: digests must come from Shopify, locales must be
// published and not primary, keys must exist, and later source edits mark translations outdated.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SHOP, startTestEmulator, TOKEN, type TestEmulator } from "./test-helpers";

let t: TestEmulator;
let productId: string;

const READ = `query($id: ID!, $locale: String!) {
  translatableResource(resourceId: $id) {
    resourceId
    translatableContent { key value digest locale type }
    translations(locale: $locale) { key value locale outdated updatedAt }
  }
}`;
const REGISTER = `mutation($id: ID!, $translations: [TranslationInput!]!) {
  translationsRegister(resourceId: $id, translations: $translations) {
    translations { key value locale outdated }
    userErrors { field message code }
  }
}`;

type Content = { key: string; value: string; digest: string; locale: string; type: string };

async function content(): Promise<Record<string, Content>> {
  const { body } = await t.gql(READ, { id: productId, locale: "fr" });
  return Object.fromEntries((body.data.translatableResource.translatableContent as Content[]).map((c) => [c.key, c]));
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.control.reset();
  await t.control.createShop({
    shop: SHOP,
    accessToken: TOKEN,
    locales: [
      { locale: "en", primary: true },
      { locale: "fr", published: true },
      { locale: "es", published: true },
      { locale: "de", published: false },
    ],
  });
  const p = await t.control.createProduct(
    SHOP,
    {
      title: "Linen Shirt",
      // Needs sanitising: whitespace between tags and a script Shopify would strip.
      descriptionHtml: "<p>Breathable linen.</p>\n  <script>track()</script>\n<p>Relaxed fit.</p>",
      seo: { title: "Linen Shirt  | Acme ", description: "Soft linen." },
    },
    { silent: true },
  );
  productId = p.id;
});

describe("translatableResource", () => {
  it("lists product content with digests, in the primary locale", async () => {
    const c = await content();
    expect(Object.keys(c)).toEqual(["title", "body_html", "handle", "meta_title", "meta_description"]);
    expect(c.title).toMatchObject({
      value: "Linen Shirt",
      locale: "en",
      type: "SINGLE_LINE_TEXT_FIELD",
      digest: sha256("Linen Shirt"),
    });
    expect(c.body_html?.type).toBe("HTML");
    expect(c.body_html?.value).toBe("<p>Breathable linen.</p>\n  <script>track()</script>\n<p>Relaxed fit.</p>");
    // The digest is of the sanitised content, not of the raw value.
    expect(c.body_html?.digest).not.toBe(sha256(c.body_html?.value ?? ""));
    expect(c.body_html?.digest).toBe(sha256("<p>Breathable linen.</p><p>Relaxed fit.</p>"));
  });

  it("pages products through translatableResources", async () => {
    await t.control.createProducts(SHOP, { count: 3 });
    const { body } = await t.gql(
      "{ translatableResources(resourceType: PRODUCT, first: 3) { nodes { resourceId } pageInfo { hasNextPage } } }",
    );
    expect(body.data.translatableResources.nodes).toHaveLength(3);
    expect(body.data.translatableResources.nodes[0].resourceId).toBe(productId);
    expect(body.data.translatableResources.pageInfo.hasNextPage).toBe(true);
  });
});

describe("translationsRegister", () => {
  it("accepts digests returned by translatableResource, for every key of every locale in one call", async () => {
    const c = await content();
    const translations = ["fr", "es"].flatMap((locale) =>
      Object.values(c).map((entry) => ({
        locale,
        key: entry.key,
        value: `${locale}:${entry.value}`,
        translatableContentDigest: entry.digest,
      })),
    );
    const { body } = await t.gql(REGISTER, { id: productId, translations });
    expect(body.data.translationsRegister.userErrors).toEqual([]);
    expect(body.data.translationsRegister.translations).toHaveLength(10);
    const fr = await t.gql(READ, { id: productId, locale: "fr" });
    const titles = fr.body.data.translatableResource.translations.find((x: { key: string }) => x.key === "title");
    expect(titles).toMatchObject({ value: "fr:Linen Shirt", locale: "fr", outdated: false });
  });

  it("rejects a locally computed hash of raw content that needed sanitising", async () => {
    const c = await content();
    const { body } = await t.gql(REGISTER, {
      id: productId,
      translations: [
        // Raw value hashed locally: wrong for body_html and for the padded SEO title.
        {
          locale: "fr",
          key: "body_html",
          value: "<p>Lin respirant.</p>",
          translatableContentDigest: sha256(c.body_html?.value ?? ""),
        },
        {
          locale: "fr",
          key: "meta_title",
          value: "Chemise en lin",
          translatableContentDigest: sha256("Linen Shirt  | Acme "),
        },
      ],
    });
    expect(body.data.translationsRegister.translations).toBeNull();
    expect(body.data.translationsRegister.userErrors).toEqual([
      {
        field: ["translations", "0", "translatableContentDigest"],
        message: "Translatable content hash is invalid",
        code: "INVALID_TRANSLATABLE_CONTENT",
      },
      {
        field: ["translations", "1", "translatableContentDigest"],
        message: "Translatable content hash is invalid",
        code: "INVALID_TRANSLATABLE_CONTENT",
      },
    ]);
    const state = await t.control.getProduct(SHOP, productId);
    expect(state.translations).toEqual([]);
  });

  it("rejects unpublished, primary and unknown locales, unknown keys, blank values and unknown resources", async () => {
    const c = await content();
    const digest = c.title?.digest as string;
    const { body } = await t.gql(REGISTER, {
      id: productId,
      translations: [
        { locale: "de", key: "title", value: "Leinenhemd", translatableContentDigest: digest },
        { locale: "en", key: "title", value: "Linen", translatableContentDigest: digest },
        { locale: "ja", key: "title", value: "シャツ", translatableContentDigest: digest },
        { locale: "fr", key: "vendor", value: "Acme", translatableContentDigest: digest },
        { locale: "fr", key: "title", value: "  ", translatableContentDigest: digest },
      ],
    });
    expect(
      body.data.translationsRegister.userErrors.map((e: { code: string; field: string[] }) => [
        e.code,
        e.field.join("."),
      ]),
    ).toEqual([
      ["INVALID_LOCALE_FOR_SHOP", "translations.0.locale"],
      ["INVALID_LOCALE_FOR_SHOP", "translations.1.locale"],
      ["INVALID_LOCALE_FOR_SHOP", "translations.2.locale"],
      ["INVALID_KEY_FOR_MODEL", "translations.3.key"],
      ["BLANK", "translations.4.value"],
    ]);
    const missing = await t.gql(REGISTER, {
      id: "gid://shopify/Product/424242",
      translations: [{ locale: "fr", key: "title", value: "x", translatableContentDigest: digest }],
    });
    expect(missing.body.data.translationsRegister.userErrors).toEqual([
      { field: ["resourceId"], message: "Resource does not exist", code: "RESOURCE_NOT_FOUND" },
    ]);
  });

  it("marks translations outdated when the source content changes", async () => {
    const c = await content();
    await t.gql(REGISTER, {
      id: productId,
      translations: [
        { locale: "fr", key: "title", value: "Chemise en lin", translatableContentDigest: c.title?.digest },
        {
          locale: "fr",
          key: "meta_description",
          value: "Lin doux.",
          translatableContentDigest: c.meta_description?.digest,
        },
      ],
    });
    await t.control.updateProduct(SHOP, productId, { title: "Linen Shirt v2" }, { silent: true });
    const { body } = await t.gql(READ, { id: productId, locale: "fr" });
    const byKey = Object.fromEntries(
      body.data.translatableResource.translations.map((x: { key: string; outdated: boolean }) => [x.key, x.outdated]),
    );
    expect(byKey).toEqual({ title: true, meta_description: false });
    const outdatedOnly = await t.gql(
      `query($id: ID!) { translatableResource(resourceId: $id) { translations(locale: "fr", outdated: true) { key } } }`,
      { id: productId },
    );
    expect(outdatedOnly.body.data.translatableResource.translations).toEqual([{ key: "title" }]);
    // The old digest no longer registers.
    const stale = await t.gql(REGISTER, {
      id: productId,
      translations: [{ locale: "fr", key: "title", value: "Chemise", translatableContentDigest: c.title?.digest }],
    });
    expect(stale.body.data.translationsRegister.userErrors[0].code).toBe("INVALID_TRANSLATABLE_CONTENT");
  });
});
