// Protected customer data, per shop: the level the app is approved for decides what Order and
// Customer queries and order webhooks carry. Documented at
// https://shopify.dev/docs/apps/launch/protected-customer-data:
// - level 1: customer data excluding name, address, phone and email; level 2: including them;
// - "GraphQL requests to unapproved types will return an HTTP 200 Ok response with an error message
//   in the errors hash"; unapproved fields are null, with "This app is not approved to access the
//   Customer object. See https://partners.shopify.com/.../customer_data for more details.";
// - webhooks are protected customer data too ("Events that relate to a single customer or order"),
//   and "unapproved fields will be redacted".
// Order.statusPageUrl needs level 2:
// https://shopify.dev/changelog/level-2-protected-customer-data-requirements-are-now-needed-to-access-the-order-statuspageurl-field
import { describe, expect, it } from "vitest";
import { SHOP, type AnyJson, emulatorWithReceiver } from "./test-helpers";

let orderId: string;
let customerId: string;

const ORDER = `query($id: ID!) {
  order(id: $id) {
    name
    email
    customer { id firstName email }
    shippingAddress { city countryCodeV2 address1 zip }
  }
}`;

async function createOrder() {
  const order = await env.t.control.createOrder(SHOP, {
    customer: { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", phone: "+16135550100" },
    shippingAddress: {
      address1: "12 Byron Street",
      city: "London",
      countryCode: "GB",
      country: "United Kingdom",
      zip: "N1 1AA",
    },
  });
  orderId = order.id;
  customerId = `gid://shopify/Customer/${(order as AnyJson).customer.id}`;
  return order;
}

const env = emulatorWithReceiver({
  emulator: () => ({
    webhookSubscriptions: [{ topics: ["orders/create", "orders/updated"], uri: "/webhooks/orders" }],
  }),
});

describe("the access level control", () => {
  it("defaults to level 2, can be set per shop, and refuses an unknown level", async () => {
    expect((await env.t.control.getShop(SHOP)).customerDataAccess).toBe("level2");
    await env.t.control.setCustomerDataAccess(SHOP, "level1");
    expect((await env.t.control.getShop(SHOP)).customerDataAccess).toBe("level1");
    await expect(env.t.control.setCustomerDataAccess(SHOP, "level3" as never)).rejects.toMatchObject({ status: 400 });
  });
});

describe("without approval (level 0)", () => {
  it("denies the Order and Customer objects with ACCESS_DENIED inside HTTP 200, and sends no order webhooks", async () => {
    await env.t.control.setCustomerDataAccess(SHOP, "none");
    await createOrder();
    const { status, body } = await env.t.gql(ORDER, { id: orderId });
    expect(status).toBe(200);
    expect(body.data.order).toBeNull();
    expect(body.errors[0]).toMatchObject({
      path: ["order"],
      extensions: { code: "ACCESS_DENIED" },
    });
    expect(body.errors[0].message).toMatch(
      /^This app is not approved to access the Order object\. See https:\/\/partners\.shopify\.com\/.+\/customer_data for more details\.$/,
    );
    const list = await env.t.gql(`{ orders(first: 5) { nodes { id } } }`);
    expect(list.body.data).toBeNull();
    expect(list.body.errors[0].extensions.code).toBe("ACCESS_DENIED");
    const customer = await env.t.gql(`query($id: ID!) { customer(id: $id) { id } }`, { id: customerId });
    expect(customer.body.data.customer).toBeNull();
    expect(customer.body.errors[0].message).toMatch(/^This app is not approved to access the Customer object\./);

    await env.t.control.updateOrder(SHOP, orderId, { note: "gift" });
    expect((await env.t.control.waitForWebhooks()).idle).toBe(true);
    expect(env.receiver.received).toEqual([]);
    // The same edits once approved do send them: the silence above is the access level's.
    await env.t.control.setCustomerDataAccess(SHOP, "level1");
    await env.t.control.updateOrder(SHOP, orderId, { note: "gift wrap" });
    await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "orders/updated");
  });
});

describe("level 1", () => {
  it("serves orders and customers but withholds name, address, email and phone fields, each with an error", async () => {
    await env.t.control.setCustomerDataAccess(SHOP, "level1");
    await createOrder();
    const { body } = await env.t.gql(ORDER, { id: orderId });
    expect(body.data.order).toEqual({
      name: "#1001",
      email: null,
      customer: { id: customerId, firstName: null, email: null },
      shippingAddress: { city: "London", countryCodeV2: "GB", address1: null, zip: null },
    });
    const denied = Object.fromEntries(
      (body.errors as AnyJson[]).map((e) => [e.path.join("."), [e.extensions.code, e.message.split(" See ")[0]]]),
    );
    expect(denied).toEqual({
      "order.email": ["ACCESS_DENIED", "This app is not approved to use the email field."],
      "order.customer.firstName": ["ACCESS_DENIED", "This app is not approved to access the Customer object."],
      "order.customer.email": ["ACCESS_DENIED", "This app is not approved to access the Customer object."],
      "order.shippingAddress.address1": [
        "ACCESS_DENIED",
        "This app is not approved to access the MailingAddress object.",
      ],
      "order.shippingAddress.zip": ["ACCESS_DENIED", "This app is not approved to access the MailingAddress object."],
    });
  });

  it("denies Order.statusPageUrl (non-null, so the order with it)", async () => {
    await env.t.control.setCustomerDataAccess(SHOP, "level1");
    await createOrder();
    const { body } = await env.t.gql(`query($id: ID!) { order(id: $id) { statusPageUrl } }`, { id: orderId });
    expect(body.data.order).toBeNull();
    expect(body.errors[0]).toMatchObject({ path: ["order", "statusPageUrl"], extensions: { code: "ACCESS_DENIED" } });
  });

  it("redacts those fields from order webhooks and keeps the rest", async () => {
    await env.t.control.setCustomerDataAccess(SHOP, "level1");
    await createOrder();
    const hook = await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "orders/create");
    const payload = JSON.parse(hook.rawBody);
    expect(payload).toMatchObject({
      name: "#1001",
      email: null,
      contact_email: null,
      phone: null,
      customer_locale: "en",
    });
    expect(payload.customer).toMatchObject({ first_name: null, last_name: null, email: null, phone: null });
    expect(payload.customer.id).toEqual(expect.any(Number));
    expect(payload.shipping_address).toMatchObject({
      city: "London",
      country_code: "GB",
      first_name: null,
      last_name: null,
      name: null,
      address1: null,
      zip: null,
    });
    expect(hook.rawBody).not.toContain("ada@example.com");
    expect(hook.rawBody).not.toContain("Lovelace");
    expect(hook.rawBody).not.toContain("Byron");
  });
});

describe("level 2", () => {
  it("serves every customer field, on queries and in webhooks", async () => {
    await createOrder();
    const { body } = await env.t.gql(ORDER.replace("name", "name statusPageUrl"), { id: orderId });
    expect(body.errors).toBeUndefined();
    expect(body.data.order).toMatchObject({
      email: "ada@example.com",
      customer: { firstName: "Ada", email: "ada@example.com" },
      shippingAddress: { address1: "12 Byron Street", zip: "N1 1AA" },
    });
    expect(body.data.order.statusPageUrl).toMatch(
      /^https:\/\/emulator-test\.myshopify\.com\/\d+\/orders\/[0-9a-f]+\/authenticate\?key=/,
    );
    const hook = await env.receiver.waitFor((w) => w.headers["x-shopify-topic"] === "orders/create");
    expect(JSON.parse(hook.rawBody).customer).toMatchObject({ email: "ada@example.com", first_name: "Ada" });
  });
});
