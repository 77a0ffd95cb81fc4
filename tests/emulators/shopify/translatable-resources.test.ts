// Translatable resources beyond a product's own fields: its nested resources (options, option
// values, images, text metafields), collections, pages and shop policies, listing by type with
// Shopify's page cap, handle collisions, and the shop's locales changing (with their webhooks).
// https://shopify.dev/docs/api/admin-graphql/latest/objects/TranslatableResource
// https://shopify.dev/docs/api/admin-graphql/latest/enums/TranslatableResourceType
// https://shopify.dev/docs/api/admin-graphql/latest/enums/TranslationErrorCode
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { emulatorWithReceiver, SHOP, type AnyJson } from "./test-helpers";

const env = emulatorWithReceiver({
  shop: {
    locales: [
      { locale: "en", primary: true },
      { locale: "fr", published: true },
      { locale: "de", published: true },
      { locale: "es", published: false },
    ],
  },
});

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

const RESOURCE = `query($id: ID!, $locale: String!) {
  translatableResource(resourceId: $id) {
    resourceId
    translatableContent { key value digest locale type }
    translations(locale: $locale) { key value locale outdated }
  }
}`;
const NESTED = `query($id: ID!, $locale: String!, $type: TranslatableResourceType, $first: Int!, $after: String) {
  translatableResource(resourceId: $id) {
    nestedTranslatableResources(first: $first, after: $after, resourceType: $type) {
      nodes {
        resourceId
        translatableContent { key value digest type }
        translations(locale: $locale) { key value outdated }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
const REGISTER = `mutation($id: ID!, $translations: [TranslationInput!]!) {
  translationsRegister(resourceId: $id, translations: $translations) {
    translations { key value locale outdated }
    userErrors { field message code }
  }
}`;

async function rackShirt() {
  return env.t.control.createProduct(
    SHOP,
    {
      title: "Linen Shirt",
      options: [
        { name: "Size", values: ["S", "M"] },
        { name: "Color", values: ["Sand"] },
      ],
      variants: [{ options: ["S", "Sand"] }, { options: ["M", "Sand"] }],
      images: [
        { url: "https://cdn.example/front.jpg", altText: "Front of the shirt" },
        { url: "https://cdn.example/back.jpg", altText: null },
      ],
      metafields: [
        { namespace: "storewise", key: "short_description", type: "multi_line_text_field", value: "Cool linen." },
        { namespace: "storewise", key: "features", type: "list.single_line_text_field", value: '["Linen","Relaxed"]' },
        { namespace: "custom", key: "weight_grams", type: "number_integer", value: "180" },
      ],
    },
    { silent: true },
  );
}

async function nested(id: string, opts: { type?: string; first?: number; after?: string; locale?: string } = {}) {
  const { body } = await env.t.gql(NESTED, {
    id,
    locale: opts.locale ?? "fr",
    type: opts.type ?? null,
    first: opts.first ?? 50,
    after: opts.after ?? null,
  });
  return body;
}

describe("a product's nested translatable resources", () => {
  it("are its options, option values, images with alt text and text metafields, each with the digest of its stored value", async () => {
    const product = await rackShirt();
    const body = await nested(product.id);
    const nodes = body.data.translatableResource.nestedTranslatableResources.nodes as AnyJson[];
    const summary = nodes.map((n) => [
      n.resourceId.replace(/\/\d+$/, ""),
      ...n.translatableContent.map((c: AnyJson) => `${c.key}=${c.value}`),
    ]);
    // PRODUCT_OPTION and PRODUCT_OPTION_VALUE translate `name`, MEDIA_IMAGE `alt`, METAFIELD `value`
    // (TranslatableResourceType). The image without alt text has nothing to translate, and the
    // number metafield is not a translatable type
    // (https://shopify.dev/changelog/metafield-translations-now-available-via-graphql-admin-api).
    expect(summary).toEqual([
      ["gid://shopify/ProductOption", "name=Size"],
      ["gid://shopify/ProductOption", "name=Color"],
      ["gid://shopify/ProductOptionValue", "name=S"],
      ["gid://shopify/ProductOptionValue", "name=M"],
      ["gid://shopify/ProductOptionValue", "name=Sand"],
      ["gid://shopify/MediaImage", "alt=Front of the shirt"],
      ["gid://shopify/MediaImage"],
      ["gid://shopify/Metafield", "value=Cool linen."],
      ["gid://shopify/Metafield", 'value=["Linen","Relaxed"]'],
    ]);
    for (const n of nodes) for (const c of n.translatableContent) expect(c.digest).toBe(sha256(c.value));
    // The number metafield exists but cannot be translated (TranslationErrorCode RESOURCE_NOT_TRANSLATABLE).
    const weight = product.metafields.find((m) => m.key === "weight_grams");
    const refused = await env.t.gql(REGISTER, {
      id: weight?.id,
      translations: [{ locale: "fr", key: "value", value: "180", translatableContentDigest: sha256("180") }],
    });
    expect(refused.body.data.translationsRegister.userErrors).toEqual([
      { field: ["resourceId"], message: "Resource is not translatable", code: "RESOURCE_NOT_TRANSLATABLE" },
    ]);
    expect(nodes.at(-1).translatableContent[0].type).toBe("LIST_SINGLE_LINE_TEXT_FIELD");
    expect(nodes.at(-2).translatableContent[0].type).toBe("MULTI_LINE_TEXT_FIELD");
  });

  it("filter by resourceType and page with cursors, at most 250 a page", async () => {
    const product = await rackShirt();
    const values = await nested(product.id, { type: "PRODUCT_OPTION_VALUE", first: 2 });
    const page1 = values.data.translatableResource.nestedTranslatableResources;
    expect(page1.nodes).toHaveLength(2);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (
      await nested(product.id, { type: "PRODUCT_OPTION_VALUE", first: 2, after: page1.pageInfo.endCursor })
    ).data.translatableResource.nestedTranslatableResources;
    expect(page2.nodes.map((n: AnyJson) => n.translatableContent[0].value)).toEqual(["Sand"]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    // shopify.dev/docs/api/usage/pagination-graphql: "up to a maximum of 250 resources".
    const tooMany = await nested(product.id, { first: 251 });
    expect(tooMany.errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  it("are registered under their own ids and read back with the product, and go outdated when their source changes", async () => {
    const product = await rackShirt();
    const [size] = (await nested(product.id, { type: "PRODUCT_OPTION" })).data.translatableResource
      .nestedTranslatableResources.nodes;
    const [image] = (await nested(product.id, { type: "MEDIA_IMAGE" })).data.translatableResource
      .nestedTranslatableResources.nodes;
    const sizeName = size.translatableContent[0];
    const ok = await env.t.gql(REGISTER, {
      id: size.resourceId,
      translations: [{ locale: "fr", key: "name", value: "Taille", translatableContentDigest: sizeName.digest }],
    });
    expect(ok.body.data.translationsRegister.userErrors).toEqual([]);
    const alt = await env.t.gql(REGISTER, {
      id: image.resourceId,
      translations: [
        { locale: "fr", key: "alt", value: "Devant", translatableContentDigest: image.translatableContent[0].digest },
      ],
    });
    expect(alt.body.data.translationsRegister.userErrors).toEqual([]);
    // A key the type does not have is refused like any other (option: `name` only).
    const wrongKey = await env.t.gql(REGISTER, {
      id: size.resourceId,
      translations: [{ locale: "fr", key: "title", value: "Taille", translatableContentDigest: sizeName.digest }],
    });
    expect(wrongKey.body.data.translationsRegister.userErrors[0].code).toBe("INVALID_KEY_FOR_MODEL");

    const after = (await nested(product.id, { type: "PRODUCT_OPTION" })).data.translatableResource
      .nestedTranslatableResources.nodes[0];
    expect(after.translations).toEqual([{ key: "name", value: "Taille", outdated: false }]);
    // The objects' own `translations(locale:)` list the same translations
    // (https://shopify.dev/docs/api/admin-graphql/latest/objects/ProductOption, MediaImage).
    const objects = await env.t.gql(
      `query($id: ID!) { product(id: $id) { options { name translations(locale: "fr") { key value } }
        media(first: 5) { nodes { ... on MediaImage { translations(locale: "fr") { key value } } } } } }`,
      { id: product.id },
    );
    expect(objects.body.data.product.options[0]).toEqual({
      name: "Size",
      translations: [{ key: "name", value: "Taille" }],
    });
    expect(objects.body.data.product.media.nodes[0].translations).toEqual([{ key: "alt", value: "Devant" }]);
    const stored = await env.t.control.translations(SHOP, size.resourceId);
    expect(stored.translations).toMatchObject([
      { key: "name", locale: "fr", value: "Taille", sourceDigest: sizeName.digest },
    ]);

    // A new image list (new media) replaces the old image; its translation does not carry over.
    await env.t.control.updateProduct(
      SHOP,
      product.id,
      { images: [{ url: "https://cdn.example/front.jpg", altText: "Front view" }] },
      { silent: true },
    );
    const newImage = (await nested(product.id, { type: "MEDIA_IMAGE" })).data.translatableResource
      .nestedTranslatableResources.nodes[0];
    expect(newImage.resourceId).not.toBe(image.resourceId);
    expect(newImage.translations).toEqual([]);
  });

  it("a metafield's translation goes outdated when the merchant edits its value", async () => {
    const product = await rackShirt();
    const [short] = (await nested(product.id, { type: "METAFIELD" })).data.translatableResource
      .nestedTranslatableResources.nodes;
    await env.t.gql(REGISTER, {
      id: short.resourceId,
      translations: [
        {
          locale: "fr",
          key: "value",
          value: "Lin frais.",
          translatableContentDigest: short.translatableContent[0].digest,
        },
      ],
    });
    await env.t.control.updateProduct(
      SHOP,
      product.id,
      {
        metafields: [
          { namespace: "storewise", key: "short_description", type: "multi_line_text_field", value: "Cooler linen." },
        ],
      },
      { silent: true },
    );
    const read = await env.t.gql(RESOURCE, { id: short.resourceId, locale: "fr" });
    expect(read.body.data.translatableResource.translations).toEqual([
      { key: "value", value: "Lin frais.", locale: "fr", outdated: true },
    ]);
  });
});

describe("collections, pages and shop policies", () => {
  it("expose Shopify's keys for each type, with digests of the stored value, and register translations", async () => {
    const collection = await env.t.control.createCollection(SHOP, {
      title: "Summer",
      descriptionHtml: "<p>Light & bright",
      seo: { title: "Summer styles" },
    });
    const page = await env.t.control.createPage(SHOP, { title: "About us", body: "<p>Since 1999</p>" });
    const policy = await env.t.control.setPolicy(SHOP, "REFUND_POLICY", { body: "<p>30 days</p>" });

    const keys = async (id: string) =>
      (
        (await env.t.gql(RESOURCE, { id, locale: "fr" })).body.data.translatableResource
          .translatableContent as AnyJson[]
      ).map((c) => [c.key, c.type]);
    // COLLECTION and PAGE: title, body_html, handle, meta_title, meta_description (empty ones
    // omitted); SHOP_POLICY: body.
    expect(await keys(collection.resourceId)).toEqual([
      ["title", "SINGLE_LINE_TEXT_FIELD"],
      ["body_html", "HTML"],
      ["handle", "URI"],
      ["meta_title", "SINGLE_LINE_TEXT_FIELD"],
    ]);
    expect(await keys(page.resourceId)).toEqual([
      ["title", "SINGLE_LINE_TEXT_FIELD"],
      ["body_html", "HTML"],
      ["handle", "URI"],
    ]);
    expect(await keys(policy.resourceId)).toEqual([["body", "HTML"]]);
    expect(policy.resourceId).toMatch(/^gid:\/\/shopify\/ShopPolicy\/\d+$/);

    // The HTML is stored re-serialised, and the digest is over the stored form.
    const body = collection.translatableContent.find((c) => c.key === "body_html");
    expect(body?.value).toBe("<p>Light &amp; bright</p>");
    expect(body?.digest).toBe(sha256("<p>Light &amp; bright</p>"));

    const register = await env.t.gql(REGISTER, {
      id: policy.resourceId,
      translations: [
        {
          locale: "fr",
          key: "body",
          value: "<p>30 jours</p>",
          translatableContentDigest: policy.translatableContent[0]?.digest,
        },
        {
          locale: "de",
          key: "body",
          value: "<p>30 Tage</p>",
          translatableContentDigest: policy.translatableContent[0]?.digest,
        },
      ],
    });
    expect(register.body.data.translationsRegister.userErrors).toEqual([]);
    const de = await env.t.gql(RESOURCE, { id: policy.resourceId, locale: "de" });
    expect(de.body.data.translatableResource.translations).toEqual([
      { key: "body", value: "<p>30 Tage</p>", locale: "de", outdated: false },
    ]);
    // Collections have no nested resources the emulator models: an honest empty list.
    expect((await nested(collection.resourceId)).data.translatableResource.nestedTranslatableResources.nodes).toEqual(
      [],
    );
  });

  it("a translation goes outdated when the page changes, and the old digest no longer registers", async () => {
    const page = await env.t.control.createPage(SHOP, { title: "About us", body: "<p>Since 1999</p>" });
    const title = page.translatableContent.find((c) => c.key === "title");
    await env.t.gql(REGISTER, {
      id: page.resourceId,
      translations: [{ locale: "fr", key: "title", value: "À propos", translatableContentDigest: title?.digest }],
    });
    await env.t.control.updatePage(SHOP, page.resourceId, { title: "About Acme" });
    const read = await env.t.gql(RESOURCE, { id: page.resourceId, locale: "fr" });
    expect(read.body.data.translatableResource.translations[0]).toMatchObject({ key: "title", outdated: true });
    const stale = await env.t.gql(REGISTER, {
      id: page.resourceId,
      translations: [{ locale: "fr", key: "title", value: "À propos", translatableContentDigest: title?.digest }],
    });
    expect(stale.body.data.translationsRegister.userErrors[0]).toMatchObject({
      code: "INVALID_TRANSLATABLE_CONTENT",
      field: ["translations", "0", "translatableContentDigest"],
    });
  });

  it("a deleted collection reads as null and refuses registration as RESOURCE_NOT_FOUND", async () => {
    const collection = await env.t.control.createCollection(SHOP, { title: "Winter" });
    await env.t.control.deleteCollection(SHOP, collection.resourceId);
    expect(
      (await env.t.gql(RESOURCE, { id: collection.resourceId, locale: "fr" })).body.data.translatableResource,
    ).toBeNull();
    const gone = await env.t.gql(REGISTER, {
      id: collection.resourceId,
      translations: [{ locale: "fr", key: "title", value: "Hiver", translatableContentDigest: sha256("Winter") }],
    });
    expect(gone.body.data.translationsRegister.userErrors[0].code).toBe("RESOURCE_NOT_FOUND");
  });
});

describe("handle translations", () => {
  // INVALID_VALUE_FOR_HANDLE_TRANSLATION: "The handle is already taken for this resource".
  it("refuse a handle another resource of the type already uses, as its own handle or as a translation in that locale", async () => {
    const summer = await env.t.control.createCollection(SHOP, { title: "Summer" });
    const winter = await env.t.control.createCollection(SHOP, { title: "Winter" });
    const handleOf = (c: typeof summer) => c.translatableContent.find((x) => x.key === "handle")?.digest;
    const register = (id: string, locale: string, value: string, digest?: string) =>
      env.t.gql(REGISTER, { id, translations: [{ locale, key: "handle", value, translatableContentDigest: digest }] });

    const taken = await register(winter.resourceId, "fr", "summer", handleOf(winter));
    expect(taken.body.data.translationsRegister).toEqual({
      translations: null,
      userErrors: [
        {
          field: ["translations", "0", "value"],
          message: "The handle is already taken for this resource",
          code: "INVALID_VALUE_FOR_HANDLE_TRANSLATION",
        },
      ],
    });
    expect(
      (await register(summer.resourceId, "fr", "ete", handleOf(summer))).body.data.translationsRegister.userErrors,
    ).toEqual([]);
    const translatedTaken = await register(winter.resourceId, "fr", "ete", handleOf(winter));
    expect(translatedTaken.body.data.translationsRegister.userErrors[0].code).toBe(
      "INVALID_VALUE_FOR_HANDLE_TRANSLATION",
    );
    // Another locale's handles are its own.
    expect(
      (await register(winter.resourceId, "de", "ete", handleOf(winter))).body.data.translationsRegister.userErrors,
    ).toEqual([]);
    // A product may use a collection's handle: uniqueness is per resource type.
    const product = await env.t.control.createProduct(SHOP, { title: "Shirt" }, { silent: true });
    const productHandle = product.translatableContent.find((c) => c.key === "handle")?.digest;
    expect((await register(product.id, "fr", "ete", productHandle)).body.data.translationsRegister.userErrors).toEqual(
      [],
    );
  });
});

describe("translatableResources(resourceType:)", () => {
  it("lists every resource of the type in pages of at most 250, with cursors", async () => {
    for (let i = 0; i < 3; i++) await env.t.control.createPage(SHOP, { title: `Page ${i}` });
    const { ids } = await env.t.control.createProducts(SHOP, { count: 260 });
    const LIST = `query($type: TranslatableResourceType!, $first: Int!, $after: String) {
      translatableResources(resourceType: $type, first: $first, after: $after) {
        nodes { resourceId } pageInfo { hasNextPage endCursor }
      }
    }`;
    const pages = (await env.t.gql(LIST, { type: "PAGE", first: 10 })).body.data.translatableResources;
    expect(pages.nodes).toHaveLength(3);
    const first = (await env.t.gql(LIST, { type: "PRODUCT", first: 250 })).body.data.translatableResources;
    expect(first.nodes).toHaveLength(250);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await env.t.gql(LIST, { type: "PRODUCT", first: 250, after: first.pageInfo.endCursor })).body.data
      .translatableResources;
    expect([...first.nodes, ...rest.nodes].map((n: AnyJson) => n.resourceId)).toEqual(ids);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const over = await env.t.gql(LIST, { type: "PRODUCT", first: 251 });
    expect(over.body.errors[0].extensions.code).toBe("BAD_REQUEST");
    // Each page is charged like any connection: 2 + first × a node (shopify.dev/docs/api/usage/rate-limits).
    const cost = (await env.t.gql(LIST, { type: "PRODUCT", first: 250 })).body.extensions?.cost;
    expect(cost?.requestedQueryCost).toBe(252);
  });
});

describe("the shop's locales", () => {
  it("publishing and unpublishing a locale fires locales/update, adding one locales/create, and translations follow the published state", async () => {
    await env.t.control.setWebhookSubscriptions([
      { topics: ["locales/create", "locales/update"], uri: `${env.receiver.url}/webhooks/locales` },
    ]);
    const product = await env.t.control.createProduct(SHOP, { title: "Shirt" }, { silent: true });
    const digest = product.translatableContent.find((c) => c.key === "title")?.digest;
    const register = (locale: string) =>
      env.t.gql(REGISTER, {
        id: product.id,
        translations: [{ locale, key: "title", value: `Shirt (${locale})`, translatableContentDigest: digest }],
      });

    expect((await register("es")).body.data.translationsRegister.userErrors[0].code).toBe("INVALID_LOCALE_FOR_SHOP");
    await env.t.control.setLocale(SHOP, "es", true);
    const published = await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "locales/update");
    expect(JSON.parse(published.rawBody)).toEqual({ locale: "es", published: true });
    expect((await register("es")).body.data.translationsRegister.userErrors).toEqual([]);

    await env.t.control.setLocale(SHOP, "it", false);
    const created = await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "locales/create");
    expect(JSON.parse(created.rawBody)).toEqual({ locale: "it", published: false });

    await env.t.control.setLocale(SHOP, "es", false);
    expect((await register("es")).body.data.translationsRegister.userErrors[0].code).toBe("INVALID_LOCALE_FOR_SHOP");
    // The translation stays: translations "include unpublished locales".
    const kept = await env.t.gql(RESOURCE, { id: product.id, locale: "es" });
    expect(kept.body.data.translatableResource.translations).toEqual([
      { key: "title", value: "Shirt (es)", locale: "es", outdated: false },
    ]);
    const locales = await env.t.gql("{ shopLocales(published: true) { locale } }");
    expect(locales.body.data.shopLocales.map((l: AnyJson) => l.locale)).toEqual(["en", "fr", "de"]);
  });
});

describe("translatableResourcesByIds and translationsRemove across types", () => {
  it("reads resources of several types by id in the order given, skipping unknown ids, and removes a page's translation", async () => {
    const page = await env.t.control.createPage(SHOP, { title: "FAQ" });
    const policy = await env.t.control.setPolicy(SHOP, "TERMS_OF_SERVICE", { body: "<p>Be nice</p>" });
    const { body } = await env.t.gql(
      `query($ids: [ID!]!) { translatableResourcesByIds(resourceIds: $ids, first: 10) { nodes { resourceId } } }`,
      { ids: [policy.resourceId, "gid://shopify/Page/424242", page.resourceId] },
    );
    expect(body.data.translatableResourcesByIds.nodes.map((n: AnyJson) => n.resourceId)).toEqual([
      policy.resourceId,
      page.resourceId,
    ]);
    const title = page.translatableContent.find((c) => c.key === "title");
    await env.t.gql(REGISTER, {
      id: page.resourceId,
      translations: [{ locale: "fr", key: "title", value: "FAQ (fr)", translatableContentDigest: title?.digest }],
    });
    const removed = await env.t.gql(
      `mutation($id: ID!) { translationsRemove(resourceId: $id, translationKeys: ["title"], locales: ["fr"]) { translations { key locale } userErrors { code } } }`,
      { id: page.resourceId },
    );
    expect(removed.body.data.translationsRemove).toEqual({
      translations: [{ key: "title", locale: "fr" }],
      userErrors: [],
    });
    expect((await env.t.control.translations(SHOP, page.resourceId)).translations).toEqual([]);
  });
});

describe("the control API for translatable content", () => {
  it("refuses bad input with a 400 naming it", async () => {
    const refused = async (call: Promise<unknown>) => {
      try {
        await call;
        return null;
      } catch (err) {
        return err as { status: number; body: { error: string } };
      }
    };
    expect(await refused(env.t.control.createCollection(SHOP, { title: " " }))).toMatchObject({
      status: 400,
      body: { error: "title can't be blank" },
    });
    expect(
      await refused(env.t.control.setPolicy(SHOP, "RETURNS" as "REFUND_POLICY", { body: "<p>x</p>" })),
    ).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^type must be one of CONTACT_INFORMATION/) },
    });
    expect(await refused(env.t.control.setPolicy(SHOP, "REFUND_POLICY", { body: "" }))).toMatchObject({
      status: 400,
      body: { error: "body can't be blank" },
    });
    expect(await refused(env.t.control.setLocale(SHOP, "en", false))).toMatchObject({
      status: 400,
      body: { error: "the primary locale is always published" },
    });
    expect(await refused(env.t.control.setLocale(SHOP, "not a locale", true))).toMatchObject({ status: 400 });
  });
});

describe("seeding a shop's online store", () => {
  it("creates the collections, pages and policies given with the shop, once", async () => {
    const seed = {
      shop: SHOP,
      collections: [{ title: "Summer", descriptionHtml: "<p>Sun</p>" }],
      pages: [{ title: "About us", body: "<p>Since 1999</p>" }],
      policies: [{ type: "REFUND_POLICY" as const, body: "<p>30 days</p>" }],
    };
    await env.t.control.createShop(seed);
    await env.t.control.createShop(seed);
    const count = async (type: string) =>
      (await env.t.gql(`{ translatableResources(resourceType: ${type}, first: 10) { nodes { resourceId } } }`)).body
        .data.translatableResources.nodes.length;
    expect([await count("COLLECTION"), await count("PAGE"), await count("SHOP_POLICY")]).toEqual([1, 1, 1]);
  });
});

describe("aliased translationsRegister: a product and its nested resources in one request", () => {
  // GraphQL runs each root field of a mutation in turn (https://spec.graphql.org/October2021/#sec-Mutation):
  // each alias is its own translationsRegister, all or none for its own resource only, and costs
  // what the field costs alone (https://shopify.dev/docs/api/usage/limits#cost-calculation: a
  // mutation is 10 points), so the request's cost is the sum of its aliases'.
  const BATCH = `mutation($p: ID!, $pt: [TranslationInput!]!, $o: ID!, $ot: [TranslationInput!]!, $i: ID!, $it: [TranslationInput!]!) {
    product: translationsRegister(resourceId: $p, translations: $pt) { translations { key locale } userErrors { field code } }
    option: translationsRegister(resourceId: $o, translations: $ot) { translations { key locale } userErrors { field code } }
    image: translationsRegister(resourceId: $i, translations: $it) { translations { key locale } userErrors { field code } }
  }`;
  const ONE = `mutation($p: ID!, $pt: [TranslationInput!]!) {
    product: translationsRegister(resourceId: $p, translations: $pt) { translations { key locale } userErrors { field code } }
  }`;

  it("stores each alias on its own, refuses one alias alone, costs the sum, and logs one request with every alias", async () => {
    const product = await rackShirt();
    const nodes = (await nested(product.id)).data.translatableResource.nestedTranslatableResources.nodes as AnyJson[];
    const option = nodes.find((n) => n.resourceId.includes("ProductOption/"))!;
    const image = nodes.find((n) => n.resourceId.includes("MediaImage/") && n.translatableContent.length)!;
    const input = (key: string, value: string, digest: string) => ({
      locale: "fr",
      key,
      value,
      translatableContentDigest: digest,
    });
    const seqBefore = (await env.t.control.requestLog(SHOP)).at(-1)?.seq ?? 0;
    const { body } = await env.t.gql(BATCH, {
      p: product.id,
      pt: [input("title", "Chemise en lin", sha256("Linen Shirt"))],
      o: option.resourceId,
      ot: [input("name", "Taille", sha256(option.translatableContent[0].value))],
      // A digest of text the image does not hold: this alias alone is refused.
      i: image.resourceId,
      it: [input("alt", "Devant", sha256("something else"))],
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.product).toEqual({ translations: [{ key: "title", locale: "fr" }], userErrors: [] });
    expect(body.data.option).toEqual({ translations: [{ key: "name", locale: "fr" }], userErrors: [] });
    expect(body.data.image).toEqual({
      translations: null,
      userErrors: [{ field: ["translations", "0", "translatableContentDigest"], code: "INVALID_TRANSLATABLE_CONTENT" }],
    });
    const alone = await env.t.gql(ONE, { p: product.id, pt: [input("title", "Chemise", sha256("Linen Shirt"))] });
    const cost = (answer: AnyJson) => answer.extensions.cost.requestedQueryCost as number;
    expect(cost(body)).toBe(3 * cost(alone.body));
    expect(cost(alone.body)).toBeGreaterThanOrEqual(10);

    const log = await env.t.control.requestLog(SHOP, { rootField: "translationsRegister", since: seqBefore });
    expect(log).toHaveLength(2);
    expect(log[0]?.rootFields).toEqual(["translationsRegister", "translationsRegister", "translationsRegister"]);
    expect(log[0]?.translationsRegister).toEqual([
      { alias: "product", resourceId: product.id, productId: product.id, translations: ["fr.title"], userErrors: [] },
      {
        alias: "option",
        resourceId: option.resourceId,
        productId: product.id,
        translations: ["fr.name"],
        userErrors: [],
      },
      {
        alias: "image",
        resourceId: image.resourceId,
        productId: product.id,
        translations: ["fr.alt"],
        userErrors: ["INVALID_TRANSLATABLE_CONTENT"],
      },
    ]);
    const stats = await env.t.control.stats(SHOP);
    expect(stats.requestsWith.translationsRegister).toBeLessThan(stats.operations.translationsRegister!);
  });
});
