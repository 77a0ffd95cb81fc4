// Seeds the sandbox's demo shop: the shop in the Shopify emulator (published locales en, fr, de,
// es), an installed app (offline session + shop record), products and orders. The emulator keeps
// its state in memory, so each start first resets what the app still holds of the demo shop from
// an earlier run (rows, queued jobs, Redis keys): the sandbox always starts clean.
import { prisma } from "~/db.server";
import { purgeShopJobs, purgeShopKeys } from "~/jobs/purge-shop.server";
import { closeQueues } from "~/jobs/queues.server";
import { closeSharedRedis, redis, whenReady } from "~/lib/redis.server";
import { dataOwners } from "~/services/compliance/data-owners.server";
import type { EmulatorControl } from "../tests/emulators/shopify/control-client";
import { seedShop } from "../tests/support/seed";

export const SANDBOX_SHOP = "sandbox-shop.myshopify.com";
const SANDBOX_TOKEN = "shpat_sandbox_offline_token";
const ORDER_COUNT = 12;

const PRODUCTS = [
  { title: "Alpine Merino Beanie", vendor: "Northwind", productType: "Hats", tags: ["wool", "winter"], price: "29.00" },
  {
    title: "Trailhead Canvas Backpack",
    vendor: "Northwind",
    productType: "Bags",
    tags: ["canvas", "hiking"],
    price: "89.00",
  },
  {
    title: "Coastal Linen Shirt",
    vendor: "Saltwater",
    productType: "Shirts",
    tags: ["linen", "summer"],
    price: "64.00",
  },
  {
    title: "Everyday Ceramic Mug",
    vendor: "Kiln & Co",
    productType: "Kitchen",
    tags: ["ceramic", "gift"],
    price: "18.00",
  },
  { title: "Cedar Wick Candle", vendor: "Kiln & Co", productType: "Home", tags: ["candle", "gift"], price: "24.00" },
  {
    title: "Ridge Waterproof Jacket",
    vendor: "Northwind",
    productType: "Jackets",
    tags: ["rain", "hiking"],
    price: "159.00",
  },
  { title: "Harbor Knit Scarf", vendor: "Saltwater", productType: "Scarves", tags: ["knit", "winter"], price: "39.00" },
  {
    title: "Field Notes Journal",
    vendor: "Paper Trail",
    productType: "Stationery",
    tags: ["paper", "gift"],
    price: "14.00",
  },
];

const CUSTOMERS = [
  { email: "ana.silva@example.com", firstName: "Ana", lastName: "Silva" },
  { email: "jonas.weber@example.com", firstName: "Jonas", lastName: "Weber" },
  { email: "claire.martin@example.com", firstName: "Claire", lastName: "Martin" },
  { email: "diego.lopez@example.com", firstName: "Diego", lastName: "López" },
];

/** The sandbox's chat FAQ (docs/decisions/019): the questions a small apparel shop gets most. */
const SANDBOX_FAQ = [
  {
    locale: "en",
    question: "What is your return policy?",
    answer: "You can return unworn items within 30 days of delivery for a full refund. Returns are free within the EU.",
  },
  {
    locale: "en",
    question: "How long does shipping take?",
    answer: "Orders ship within 1 business day. Delivery takes 2 to 4 business days in the EU and 5 to 9 elsewhere.",
  },
  {
    locale: "en",
    question: "Do you ship internationally?",
    answer: "Yes, we ship to 40 countries. Duties for orders outside the EU are shown at checkout.",
  },
  {
    locale: "en",
    question: "How do I find my size?",
    answer: "Each product page has a size chart. Between two sizes? Take the larger one; our fits run slim.",
  },
  {
    locale: "fr",
    question: "Quelle est votre politique de retour ?",
    answer:
      "Vous pouvez retourner les articles non portés sous 30 jours après la livraison pour un remboursement complet. Les retours sont gratuits dans l'UE.",
  },
  {
    locale: "fr",
    question: "Quels sont les délais de livraison ?",
    answer:
      "Les commandes partent sous 1 jour ouvré. La livraison prend 2 à 4 jours ouvrés dans l'UE et 5 à 9 ailleurs.",
  },
];

/**
 * Deletes everything the app holds of the demo shop: every data owner's rows (the same list
 * shop/redact uses, so a new table is covered), its compliance records and tombstone, its queued
 * jobs and its Redis keys. Its products are gone with the emulator's memory; its copy, runs and
 * failures must go too, or the admin shows rows (and Retry buttons) for products that no longer exist.
 */
export async function resetSandboxShop(shop = SANDBOX_SHOP) {
  const queuedJobs = await purgeShopJobs(shop);
  const redisKeys = await purgeShopKeys(await whenReady(redis()), shop);
  let rows = 0;
  // The shop row goes last: other owners find their rows through it.
  for (const owner of [...dataOwners].reverse()) rows += await owner.redactShop({ db: prisma, shopDomain: shop });
  rows += (await prisma.complianceRequest.deleteMany({ where: { shopDomain: shop } })).count;
  rows += (await prisma.erasedShop.deleteMany({ where: { shopDomain: shop } })).count;
  await closeQueues();
  await closeSharedRedis();
  return { queuedJobs, redisKeys, rows };
}

export async function seedSandbox(control: EmulatorControl) {
  const locales = ["en", "fr", "de", "es"];
  const reset = await resetSandboxShop();
  await seedShop(control, prisma, {
    shop: SANDBOX_SHOP,
    accessToken: SANDBOX_TOKEN,
    name: "Sandbox Outfitters",
    currencyCode: "EUR",
    plan: "standard",
    locales: locales.map((locale, index) => ({ locale, primary: index === 0, published: true })),
  });

  // The storefront chat's FAQ, in the shop's first two languages, so the widget answers at once.
  await prisma.supportFaq.createMany({ data: SANDBOX_FAQ.map((entry) => ({ shopDomain: SANDBOX_SHOP, ...entry })) });

  // The emulator's memory is fresh at every sandbox start: a fresh catalogue each time.
  const products = [];
  for (const product of PRODUCTS) {
    products.push(
      await control.createProduct(
        SANDBOX_SHOP,
        {
          title: product.title,
          vendor: product.vendor,
          productType: product.productType,
          tags: product.tags,
          descriptionHtml: "",
          options: [{ name: "Size", values: ["S", "M", "L"] }],
          variants: ["S", "M", "L"].map((size) => ({
            title: size,
            options: [size],
            price: product.price,
            sku: `${product.title.slice(0, 3).toUpperCase()}-${size}`,
          })),
        },
        { silent: true },
      ),
    );
  }
  for (let index = 0; index < ORDER_COUNT; index += 1) {
    const customer = CUSTOMERS[index % CUSTOMERS.length]!;
    const item = PRODUCTS[index % PRODUCTS.length]!;
    await control.createOrder(
      SANDBOX_SHOP,
      {
        email: customer.email,
        customer,
        lineItems: [
          {
            title: item.title,
            quantity: 1 + (index % 3),
            price: item.price,
            productId: products[index % products.length]?.id,
          },
        ],
        financialStatus: "PAID",
        fulfillmentStatus: index % 3 === 0 ? "FULFILLED" : "UNFULFILLED",
        currency: "EUR",
        createdAt: new Date(Date.now() - index * 36 * 3600 * 1000).toISOString(),
      },
      { silent: true },
    );
  }
  await prisma.$disconnect();
  return { products: products.length, orders: ORDER_COUNT, locales, reset };
}
