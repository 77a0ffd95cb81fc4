// Seeds the sandbox's demo shop: the shop in the Shopify emulator (published locales en, fr, de,
// es), an installed app (offline session + shop record), products and orders.
import { prisma } from "~/db.server";
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

export async function seedSandbox(control: EmulatorControl) {
  const locales = ["en", "fr", "de", "es"];
  await seedShop(control, prisma, {
    shop: SANDBOX_SHOP,
    accessToken: SANDBOX_TOKEN,
    name: "Sandbox Outfitters",
    currencyCode: "EUR",
    plan: "standard",
    locales: locales.map((locale, index) => ({ locale, primary: index === 0, published: true })),
  });

  // The emulator keeps its state in memory, so every sandbox start seeds a fresh catalogue.
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
  return { products: products.length, orders: ORDER_COUNT, locales };
}
