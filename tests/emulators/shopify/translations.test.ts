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

const SENT_HTML = "<p>Breathable linen & cotton<br/>blend.\n<p>Relaxed fit";
const STORED_HTML = "<p>Breathable linen &amp; cotton<br>blend.\n</p><p>Relaxed fit</p>";

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
      // Shopify stores this re-serialised: `&` escaped, `<br/>` without its slash, the
      // unclosed paragraphs closed.
      descriptionHtml: SENT_HTML,
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
    // The value is what Shopify stored, and every digest is the SHA-256 hex of exactly that value
    // (https://shopify.dev/docs/api/admin-graphql/latest/objects/TranslatableContent: "Hash digest
    // representation of the content value"; observed as sha256 of the stored, escaped text in
    // https://community.shopify.dev/t/how-we-can-generate-translatablecontentdigest-locally/18641).
    expect(c.body_html?.value).toBe(STORED_HTML);
    for (const entry of Object.values(c)) expect(entry.digest).toBe(sha256(entry.value));
    expect(c.body_html?.digest).not.toBe(sha256(SENT_HTML));
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

  it("rejects a hash of the HTML the client sent when storing changed it, and accepts a hash of the stored value", async () => {
    const c = await content();
    const sent = await t.gql(REGISTER, {
      id: productId,
      translations: [
        {
          locale: "fr",
          key: "body_html",
          value: "<p>Lin respirant.</p>",
          translatableContentDigest: sha256(SENT_HTML),
        },
      ],
    });
    expect(sent.body.data.translationsRegister.translations).toBeNull();
    expect(sent.body.data.translationsRegister.userErrors).toEqual([
      {
        field: ["translations", "0", "translatableContentDigest"],
        message: "Translatable content hash is invalid",
        code: "INVALID_TRANSLATABLE_CONTENT",
      },
    ]);
    expect((await t.control.getProduct(SHOP, productId)).translations).toEqual([]);
    const stored = await t.gql(REGISTER, {
      id: productId,
      translations: [
        {
          locale: "fr",
          key: "body_html",
          value: "<p>Lin respirant.</p>",
          translatableContentDigest: sha256(c.body_html?.value ?? ""),
        },
      ],
    });
    expect(stored.body.data.translationsRegister.userErrors).toEqual([]);
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
