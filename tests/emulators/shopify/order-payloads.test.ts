// orders/create and orders/updated carry the REST Order resource, with Shopify's field names and
// types: https://shopify.dev/docs/api/admin-rest/latest/resources/order (billing_address,
// shipping_address, shipping_lines, discount_codes, tax_lines, fulfillments with tracking_number(s)
// and tracking_url(s), order_status_url, customer, customer_locale) and the orders/create example
// under https://shopify.dev/docs/api/webhooks?reference=toml#list-of-topics-orders/create.
import { describe, expect, it } from "vitest";
import { SHOP, emulatorWithReceiver } from "./test-helpers";

const moneySet = (amount: string) => ({
  shop_money: { amount, currency_code: "USD" },
  presentment_money: { amount, currency_code: "USD" },
});

const address = {
  first_name: expect.any(String),
  address1: expect.any(String),
  phone: expect.toBeOneOf([expect.any(String), null]),
  city: expect.any(String),
  zip: expect.any(String),
  province: expect.any(String),
  country: expect.any(String),
  last_name: expect.any(String),
  address2: expect.toBeOneOf([expect.any(String), null]),
  company: expect.toBeOneOf([expect.any(String), null]),
  latitude: expect.toBeOneOf([expect.any(Number), null]),
  longitude: expect.toBeOneOf([expect.any(Number), null]),
  name: expect.any(String),
  country_code: expect.any(String),
  province_code: expect.any(String),
};

const env = emulatorWithReceiver({
  emulator: () => ({
    webhookSubscriptions: [
      { topics: ["orders/create", "orders/updated"], uri: "/webhooks/orders" },
      { topics: ["orders/cancelled"], uri: "/webhooks/orders/cancelled" },
      { topics: ["refunds/create"], uri: "/webhooks/refunds/create" },
    ],
  }),
  shop: { locales: [{ locale: "fr", primary: true }] },
});

describe("orders/create", () => {
  it("carries addresses, shipping lines, discount codes, tax lines, customer, locale and the status page", async () => {
    await env.t.control.createOrder(SHOP, {
      customer: { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" },
      billingAddress: { address1: "12 Byron Street", city: "London", province: "London", provinceCode: "LND" },
      shippingAddress: {
        address1: "1 Dock Road",
        city: "Bristol",
        zip: "BS1 1AA",
        country: "United Kingdom",
        countryCode: "GB",
      },
      lineItems: [{ title: "Kettle", quantity: 2, price: "40.00" }],
      shippingLines: [{ title: "Express", code: "EXPRESS", price: "9.50" }],
      discountCodes: [{ code: "WELCOME10", amount: "8.00", type: "fixed_amount" }],
      taxLines: [{ title: "VAT", rate: 0.2, price: "14.40" }],
    });
    const hook = await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "orders/create");
    const o = JSON.parse(hook.rawBody);
    expect(o).toMatchObject({
      id: expect.any(Number),
      admin_graphql_api_id: expect.stringMatching(/^gid:\/\/shopify\/Order\/\d+$/),
      name: "#1001",
      order_number: 1001,
      email: "ada@example.com",
      currency: "USD",
      customer_locale: "fr",
      total_line_items_price: "80.00",
      total_discounts: "8.00",
      total_discounts_set: moneySet("8.00"),
      total_shipping_price_set: moneySet("9.50"),
      total_tax: "14.40",
      total_tax_set: moneySet("14.40"),
      subtotal_price: "72.00",
      total_price: "95.90",
      discount_codes: [{ code: "WELCOME10", amount: "8.00", type: "fixed_amount" }],
      tax_lines: [{ title: "VAT", rate: 0.2, price: "14.40", price_set: moneySet("14.40"), channel_liable: false }],
      shipping_lines: [
        {
          id: expect.any(Number),
          title: "Express",
          code: "EXPRESS",
          source: "shopify",
          price: "9.50",
          price_set: moneySet("9.50"),
          discounted_price: "9.50",
          discounted_price_set: moneySet("9.50"),
          carrier_identifier: null,
          phone: null,
          tax_lines: [],
          discount_allocations: [],
        },
      ],
      billing_address: { ...address, address1: "12 Byron Street", city: "London", name: "Ada Lovelace" },
      shipping_address: { ...address, address1: "1 Dock Road", city: "Bristol", zip: "BS1 1AA", country_code: "GB" },
      customer: {
        id: expect.any(Number),
        email: "ada@example.com",
        first_name: "Ada",
        last_name: "Lovelace",
        admin_graphql_api_id: expect.stringMatching(/^gid:\/\/shopify\/Customer\/\d+$/),
        default_address: expect.objectContaining({ address1: "12 Byron Street", default: true }),
      },
      fulfillments: [],
    });
    expect(o.order_status_url).toMatch(
      /^https:\/\/emulator-test\.myshopify\.com\/\d+\/orders\/[0-9a-f]{32}\/authenticate\?key=[0-9a-f]+$/,
    );
    expect(o.token).toEqual(expect.stringMatching(/^[0-9a-f]{32}$/));
  });

  it("has no shipping address or lines for an order that ships nothing", async () => {
    await env.t.control.createOrder(SHOP, { shippingAddress: null });
    const o = JSON.parse((await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "orders/create")).rawBody);
    expect(o.shipping_address).toBeNull();
    expect(o.shipping_lines).toEqual([]);
    expect(o.billing_address).toEqual(address);
  });
});

describe("orders/updated", () => {
  it("carries fulfillments with tracking_number(s) and tracking_url(s)", async () => {
    const order = await env.t.control.createOrder(SHOP, {}, { silent: true });
    await env.t.control.updateOrder(SHOP, order.id, {
      fulfillments: [
        {
          trackingCompany: "UPS",
          trackingNumbers: ["1Z001", "1Z002"],
          trackingUrls: ["https://ups.example/1Z001", "https://ups.example/1Z002"],
        },
      ],
    });
    const o = JSON.parse(
      (await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "orders/updated")).rawBody,
    );
    expect(o.fulfillment_status).toBe("fulfilled");
    expect(o.fulfillments).toEqual([
      expect.objectContaining({
        id: expect.any(Number),
        admin_graphql_api_id: expect.stringMatching(/^gid:\/\/shopify\/Fulfillment\/\d+$/),
        name: "#1001.1",
        order_id: o.id,
        status: "success",
        service: "manual",
        tracking_company: "UPS",
        tracking_number: "1Z001",
        tracking_numbers: ["1Z001", "1Z002"],
        tracking_url: "https://ups.example/1Z001",
        tracking_urls: ["https://ups.example/1Z001", "https://ups.example/1Z002"],
      }),
    ]);
    expect(o.customer_locale).toBe("fr");
  });

  it("serves the same facts over GraphQL", async () => {
    const order = await env.t.control.createOrder(SHOP, {
      shippingLines: [{ title: "Express", price: "9.50" }],
      discountCodes: [{ code: "WELCOME10", amount: "5.00" }],
      totalTax: "4.00",
    });
    const { body } = await env.t.gql(
      `query($id: ID!) { order(id: $id) {
        customerLocale discountCodes
        taxLines { title rate priceSet { shopMoney { amount } } }
        shippingLines(first: 5) { nodes { title originalPriceSet { shopMoney { amount } } } }
        shippingAddress { city countryCodeV2 }
      } }`,
      { id: order.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.order).toEqual({
      customerLocale: "fr",
      discountCodes: ["WELCOME10"],
      taxLines: [{ title: "Tax", rate: 0.16, priceSet: { shopMoney: { amount: "4.00" } } }],
      shippingLines: { nodes: [{ title: "Express", originalPriceSet: { shopMoney: { amount: "9.50" } } }] },
      shippingAddress: { city: "Ottawa", countryCodeV2: "CA" },
    });
  });
});

// refunds/create carries the REST Refund (https://shopify.dev/docs/api/admin-rest/latest/resources/refund,
// and the refunds/create example under https://shopify.dev/docs/api/webhooks?reference=toml#list-of-topics-refunds/create):
// refund_line_items with subtotal/total_tax and *_set twins in shop and presentment money, one
// "refund" transaction, order_adjustments for refunded shipping; the order then lists it in `refunds`.
describe("refunds/create", () => {
  it("carries the refunded lines, the transaction and the shipping adjustment, on the refund's date", async () => {
    const order = await env.t.control.createOrder(
      SHOP,
      {
        lineItems: [
          { title: "Kettle", quantity: 2, price: "40.00" },
          { title: "Mug", quantity: 1, price: "20.00" },
        ],
        totalTax: "10.00",
        totalShipping: "6.00",
      },
      { silent: true },
    );
    await env.t.control.refundOrder(SHOP, order.id, {
      lines: [{ index: 0, quantity: 1 }],
      shipping: "6.00",
      createdAt: "2026-11-20T15:00:00Z",
    });
    const refund = JSON.parse(
      (await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "refunds/create")).rawBody,
    );
    // One kettle: 40.00, its tax share 10 × 40/100 = 4.00, plus 6.00 shipping = 50.00 returned.
    expect(refund).toMatchObject({
      id: expect.any(Number),
      admin_graphql_api_id: expect.stringMatching(/^gid:\/\/shopify\/Refund\/\d+$/),
      order_id: order.id,
      created_at: "2026-11-20T15:00:00+00:00",
      refund_line_items: [
        {
          id: expect.any(Number),
          quantity: 1,
          line_item_id: expect.any(Number),
          restock_type: "no_restock",
          subtotal: 40,
          subtotal_set: moneySet("40.00"),
          total_tax: 4,
          total_tax_set: moneySet("4.00"),
          line_item: expect.objectContaining({ title: "Kettle", price: "40.00", quantity: 2 }),
        },
      ],
      transactions: [expect.objectContaining({ kind: "refund", status: "success", amount: "50.00", currency: "USD" })],
      order_adjustments: [expect.objectContaining({ kind: "shipping_refund", amount: "-6.00" })],
    });
    const updated = JSON.parse(
      (await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "orders/updated")).rawBody,
    );
    expect(updated.financial_status).toBe("partially_refunded");
    expect(updated.refunds).toEqual([expect.objectContaining({ id: refund.id, order_id: order.id })]);
  });

  it("refuses to refund more than is left of a line, and a full refund marks the order refunded", async () => {
    const order = await env.t.control.createOrder(
      SHOP,
      { lineItems: [{ quantity: 2, price: "15.00" }] },
      { silent: true },
    );
    await env.t.control.refundOrder(SHOP, order.id, { lines: [{ index: 0, quantity: 1 }] }, { silent: true });
    await expect(
      env.t.control.refundOrder(SHOP, order.id, { lines: [{ index: 0, quantity: 2 }] }, { silent: true }),
    ).rejects.toThrow(/422/);
    await env.t.control.refundOrder(SHOP, order.id, { full: true }, { silent: true });
    const { body } = await env.t.gql(
      `query($id: ID!) { order(id: $id) {
        displayFinancialStatus
        totalRefundedSet { shopMoney { amount } }
        refunds(first: 5) { createdAt totalRefundedSet { shopMoney { amount } }
          refundLineItems(first: 5) { nodes { quantity subtotalSet { shopMoney { amount } } lineItem { refundableQuantity } } } }
      } }`,
      { id: order.admin_graphql_api_id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.order.displayFinancialStatus).toBe("REFUNDED");
    expect(body.data.order.totalRefundedSet.shopMoney.amount).toBe("30.00");
    expect(
      body.data.order.refunds.map((r: { refundLineItems: { nodes: unknown[] } }) => r.refundLineItems.nodes),
    ).toEqual([
      [{ quantity: 1, subtotalSet: { shopMoney: { amount: "15.00" } }, lineItem: { refundableQuantity: 0 } }],
      [{ quantity: 1, subtotalSet: { shopMoney: { amount: "15.00" } }, lineItem: { refundableQuantity: 0 } }],
    ]);
  });

  it("shows multi-currency amounts in shop money and in the buyer's presentment money", async () => {
    const order = await env.t.control.createOrder(
      SHOP,
      { lineItems: [{ quantity: 1, price: "100.00" }], presentmentCurrency: "EUR", presentmentRate: 0.9 },
      { silent: true },
    );
    await env.t.control.refundOrder(SHOP, order.id, { full: true });
    const refund = JSON.parse(
      (await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "refunds/create")).rawBody,
    );
    expect(refund.refund_line_items[0].subtotal_set).toEqual({
      shop_money: { amount: "100.00", currency_code: "USD" },
      presentment_money: { amount: "90.00", currency_code: "EUR" },
    });
    const { body } = await env.t.gql(
      `query($id: ID!) { order(id: $id) { currencyCode presentmentCurrencyCode
        totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } } }`,
      { id: order.admin_graphql_api_id },
    );
    expect(body.data.order).toEqual({
      currencyCode: "USD",
      presentmentCurrencyCode: "EUR",
      totalPriceSet: {
        shopMoney: { amount: "100.00", currencyCode: "USD" },
        presentmentMoney: { amount: "90.00", currencyCode: "EUR" },
      },
    });
  });
});

describe("orders/cancelled", () => {
  it("is sent when an order is cancelled, with cancelled_at and cancel_reason", async () => {
    const order = await env.t.control.createOrder(SHOP, {}, { silent: true });
    await env.t.control.updateOrder(SHOP, order.id, { cancelledAt: "2026-11-21T12:00:00Z", cancelReason: "customer" });
    const o = JSON.parse(
      (await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "orders/cancelled")).rawBody,
    );
    expect(o).toMatchObject({ id: order.id, cancelled_at: "2026-11-21T12:00:00+00:00", cancel_reason: "customer" });
  });
});
