// The app verifies webhook deliveries with its own node:crypto verifier instead of the library's
// `authenticate.webhook` (decision 004), on one condition: both give the same answer to every
// delivery. This runs both, as the app configures them (app/shopify.server.ts: the same secret,
// the same session storage over the same database), over one corpus of deliveries, and requires
// the same outcome for each: the same thrown Response (status), the same thrown error, or the same
// topic, shop, webhook id, payload, session and optional fields.
// Re-run it on every upgrade of @shopify/shopify-app-remix or @shopify/shopify-api.
import { createHmac, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { prisma } from "~/db.server";
import { WEBHOOK_TOPICS } from "~/integrations/shopify/webhook-topics.server";
import { closeSharedRedis } from "~/lib/redis.server";
import { authenticate, verifyWebhook } from "~/shopify.server";
import { readBody, webhookInput, webhookRequest } from "../../server/webhook-fast-path";
import { installShopRecords, samplePayload } from "../support/webhooks";
import { TEST_API_SECRET } from "../support/test-env";

const INSTALLED = `diff-${randomUUID().slice(0, 8)}.myshopify.com`;
const NOT_INSTALLED = `diff-none-${randomUUID().slice(0, 8)}.myshopify.com`;
// An offline token 4 minutes from expiry, with a refresh token: inside the library's own refresh window.
const EXPIRING = `diff-exp-${randomUUID().slice(0, 8)}.myshopify.com`;

beforeAll(async () => {
  await installShopRecords(prisma, INSTALLED);
  await installShopRecords(prisma, EXPIRING);
  await prisma.session.update({
    where: { id: `offline_${EXPIRING}` },
    data: { expires: new Date(Date.now() + 4 * 60 * 1000), refreshToken: `shprt_${randomUUID()}` },
  });
});
afterAll(async () => {
  await closeSharedRedis();
  await prisma.$disconnect();
});

interface Delivery {
  name: string;
  method?: string;
  headers: Array<[string, string]>;
  body?: Uint8Array;
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
const sign = (bytes: Uint8Array, secret = TEST_API_SECRET) =>
  createHmac("sha256", secret).update(bytes).digest("base64");

/** Shopify's headers for a body, signed over `signedBytes` (the body itself unless given). */
function shopifyHeaders(
  body: Uint8Array,
  options: { topic?: string; shop?: string; secret?: string; signedBytes?: Uint8Array; triggeredAt?: string } = {},
): Array<[string, string]> {
  return [
    ["Content-Type", "application/json"],
    ["X-Shopify-Topic", options.topic ?? "products/create"],
    ["X-Shopify-Hmac-Sha256", sign(options.signedBytes ?? body, options.secret)],
    ["X-Shopify-Shop-Domain", options.shop ?? INSTALLED],
    ["X-Shopify-API-Version", "2026-10"],
    ["X-Shopify-Webhook-Id", randomUUID()],
    ["X-Shopify-Triggered-At", options.triggeredAt ?? new Date().toISOString()],
    ["X-Shopify-Event-Id", randomUUID()],
  ];
}

/** Shopify's newer, unprefixed header set, which the library reads as an "events" delivery. */
function eventHeaders(body: Uint8Array, options: { secret?: string } = {}): Array<[string, string]> {
  return [
    ["content-type", "application/json"],
    ["shopify-topic", "products/update"],
    ["shopify-hmac-sha256", sign(body, options.secret)],
    ["shopify-shop-domain", INSTALLED],
    ["shopify-api-version", "2026-10"],
    ["shopify-webhook-id", randomUUID()],
    ["shopify-handle", "storewise-products"],
    ["shopify-action", "update"],
    ["shopify-triggered-at", new Date().toISOString()],
  ];
}

const without = (headers: Array<[string, string]>, name: string) =>
  headers.filter(([key]) => key.toLowerCase() !== name.toLowerCase());
const replaced = (headers: Array<[string, string]>, name: string, value: string) =>
  headers.map(([key, old]): [string, string] => [key, key.toLowerCase() === name.toLowerCase() ? value : old]);
const valueOf = (headers: Array<[string, string]>, name: string) =>
  headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1] ?? "";

const product = utf8(JSON.stringify(samplePayload("products/create", INSTALLED)));

function corpus(): Delivery[] {
  const cases: Delivery[] = [];
  const add = (name: string, body: Uint8Array | undefined, headers: Array<[string, string]>, method = "POST") =>
    cases.push({ name, body, headers, method });

  // Valid deliveries, every topic the app subscribes to, to installed and unknown shops.
  for (const topic of WEBHOOK_TOPICS) {
    for (const shop of [INSTALLED, NOT_INSTALLED, EXPIRING]) {
      const body = utf8(JSON.stringify(samplePayload(topic, shop)));
      add(`valid ${topic} for ${shop.split("-")[1]}`, body, shopifyHeaders(body, { topic, shop }));
    }
  }
  add("valid, an events delivery (Shopify-* headers)", product, eventHeaders(product));
  add("valid, both header sets (the library reads it as an event)", product, [
    ...shopifyHeaders(product),
    ...eventHeaders(product),
  ]);
  add("valid, the shop as an admin.shopify.com/store URL", product, [
    ...without(shopifyHeaders(product), "X-Shopify-Shop-Domain"),
    ["X-Shopify-Shop-Domain", `admin.shopify.com/store/${INSTALLED.split(".")[0]}`],
  ]);
  add(
    "valid, a topic written with dots",
    product,
    replaced(shopifyHeaders(product), "X-Shopify-Topic", "products.create"),
  );
  add("valid, a topic in capitals", product, replaced(shopifyHeaders(product), "X-Shopify-Topic", "PRODUCTS/CREATE"));
  add("valid, with X-Shopify-Name", product, [...shopifyHeaders(product), ["X-Shopify-Name", "storewise"]]);
  add(
    "valid, no optional headers",
    product,
    without(without(shopifyHeaders(product), "X-Shopify-Triggered-At"), "X-Shopify-Event-Id"),
  );

  // Forged and wrong secrets.
  add("forged HMAC (another secret)", product, shopifyHeaders(product, { secret: "forged-secret" }));
  add(
    "signed with the API key instead of the secret",
    product,
    shopifyHeaders(product, { secret: "storewise-test-api-key" }),
  );
  add("HMAC of another body", product, shopifyHeaders(product, { signedBytes: utf8("{}") }));
  add("forged events delivery", product, eventHeaders(product, { secret: "forged-secret" }));
  const hmac = valueOf(shopifyHeaders(product), "X-Shopify-Hmac-Sha256");
  for (const [label, value] of [
    ["hex instead of base64", createHmac("sha256", TEST_API_SECRET).update(product).digest("hex")],
    ["base64 without padding", hmac.replace(/=+$/, "")],
    ["base64url", hmac.replace(/\+/g, "-").replace(/\//g, "_")],
    ["lower-cased", hmac.toLowerCase()],
    ["padded with spaces (Headers trims them)", `  ${hmac}  `],
    ["followed by a comma", `${hmac},`],
    ["with a Latin-1 letter", `${hmac.slice(0, -2)}é=`],
    ["empty", ""],
    ["very long", hmac.repeat(200)],
  ] as const) {
    add(`HMAC ${label}`, product, replaced(shopifyHeaders(product), "X-Shopify-Hmac-Sha256", value));
  }

  // Bodies: truncated, empty, large, unicode, not UTF-8, not JSON.
  add("truncated body, signed in full", product.subarray(0, 40), shopifyHeaders(product));
  const truncated = product.subarray(0, 40);
  add("truncated body, signed as sent (not JSON)", truncated, shopifyHeaders(truncated));
  add("empty body, signed", new Uint8Array(0), shopifyHeaders(new Uint8Array(0)));
  add("no body at all", undefined, shopifyHeaders(new Uint8Array(0)));
  add("whitespace body, signed", utf8("  \n"), shopifyHeaders(utf8("  \n")));
  add("JSON null, signed", utf8("null"), shopifyHeaders(utf8("null")));
  const big = utf8(
    JSON.stringify({
      id: 1,
      body_html: "é€😀".repeat(Math.floor((1024 * 1024) / 9)),
      updated_at: "2026-01-01T00:00:00Z",
    }),
  );
  add("1 MB unicode body", big, shopifyHeaders(big));
  const flipped = Uint8Array.from(big);
  flipped[flipped.length - 10] = (flipped[flipped.length - 10] ?? 0) ^ 0x01;
  add("1 MB body with one bit flipped", flipped, shopifyHeaders(big));
  add("1 MB body, last byte cut", big.subarray(0, big.length - 1), shopifyHeaders(big));
  for (const [label, text] of [
    ["CJK and emoji", '{"id":1,"title":"麻のシャツ 👕","body_html":"<p>柔らかい</p>"}'],
    ["combining marks and RTL", '{"id":2,"title":"Cafe\u0301 \u202eشقة\u202c"}'],
    ["escaped unicode", '{"id":3,"title":"\\u00e9\\ud83d\\ude00"}'],
    ["a U+FEFF inside", '{"id":4,"title":"a\ufeffb"}'],
    ["a line separator", '{"id":5,"title":"a\u2028b"}'],
  ] as const) {
    add(`unicode body: ${label}`, utf8(text), shopifyHeaders(utf8(text)));
  }
  const bom = utf8('\ufeff{"id":6}');
  add("BOM-prefixed body, signed over every byte", bom, shopifyHeaders(bom));
  add("BOM-prefixed body, signed without the BOM", bom, shopifyHeaders(bom, { signedBytes: bom.subarray(3) }));
  const twoBoms = utf8('\ufeff\ufeff{"id":7}');
  add("two BOMs, signed without the first", twoBoms, shopifyHeaders(twoBoms, { signedBytes: twoBoms.subarray(3) }));
  for (const [label, bytes] of [
    ["a lone 0xFF", Uint8Array.from([...utf8('{"id":8,"t":"'), 0xff, ...utf8('"}')])],
    ["an overlong slash", Uint8Array.from([...utf8('{"id":9,"t":"'), 0xc0, 0xaf, ...utf8('"}')])],
    ["an encoded surrogate", Uint8Array.from([...utf8('{"id":10,"t":"'), 0xed, 0xa0, 0x80, ...utf8('"}')])],
    ["a cut multi-byte character", Uint8Array.from([...utf8('{"id":11,"t":"'), 0xe2, 0x82, ...utf8('"}')])],
    ["Latin-1 text", Uint8Array.from([...utf8('{"id":12,"t":"caf'), 0xe9, ...utf8('"}')])],
  ] as const) {
    add(`not UTF-8 (${label}), signed over the bytes`, bytes, shopifyHeaders(bytes));
    const asText = utf8(new TextDecoder().decode(bytes));
    add(`not UTF-8 (${label}), signed over the decoded text`, bytes, shopifyHeaders(bytes, { signedBytes: asText }));
  }

  // Missing, empty, duplicated and differently-cased headers.
  const required = [
    "X-Shopify-Hmac-Sha256",
    "X-Shopify-Topic",
    "X-Shopify-Shop-Domain",
    "X-Shopify-API-Version",
    "X-Shopify-Webhook-Id",
  ];
  for (const name of required) {
    add(`missing ${name}`, product, without(shopifyHeaders(product), name));
    add(`empty ${name}`, product, replaced(shopifyHeaders(product), name, ""));
    add(`missing ${name}, forged HMAC`, product, without(shopifyHeaders(product, { secret: "forged" }), name));
    const headers = shopifyHeaders(product);
    add(`duplicated ${name}`, product, [...headers, [name, valueOf(headers, name)]]);
    add(`duplicated ${name}, other value second`, product, [...headers, [name.toLowerCase(), "other"]]);
  }
  add("no headers at all", product, []);
  for (const name of ["Shopify-Topic", "Shopify-Shop-Domain", "Shopify-API-Version", "Shopify-Webhook-Id"]) {
    add(`events delivery missing ${name}`, product, without(eventHeaders(product), name));
  }
  add("events HMAC with only X-Shopify-* headers", product, [
    ...without(shopifyHeaders(product), "X-Shopify-Hmac-Sha256"),
    ["Shopify-Hmac-Sha256", sign(product)],
  ]);
  add("empty events HMAC beside a valid X-Shopify one", product, [
    ...shopifyHeaders(product),
    ["Shopify-Hmac-Sha256", ""],
  ]);
  add(
    "header names lower-cased",
    product,
    shopifyHeaders(product).map(([key, value]) => [key.toLowerCase(), value]),
  );
  add(
    "header names upper-cased",
    product,
    shopifyHeaders(product).map(([key, value]) => [key.toUpperCase(), value]),
  );
  add(
    "header names in odd case",
    product,
    shopifyHeaders(product).map(([key, value]) => [key.replace(/[aeiou]/g, (c) => c.toUpperCase()), value]),
  );
  add(
    "header names with underscores",
    product,
    shopifyHeaders(product).map(([key, value]) => [key.replace(/-/g, "_"), value]),
  );
  add("duplicated optional headers", product, [
    ...shopifyHeaders(product),
    ["X-Shopify-Triggered-At", "2020-01-01T00:00:00Z"],
    ["X-Shopify-Event-Id", "e2"],
  ]);

  add("topic with a trailing tab", product, replaced(shopifyHeaders(product), "X-Shopify-Topic", "products/create\t"));
  add(
    "shop with leading spaces",
    product,
    replaced(shopifyHeaders(product), "X-Shopify-Shop-Domain", `  ${INSTALLED}`),
  );
  add("webhook id of spaces only", product, replaced(shopifyHeaders(product), "X-Shopify-Webhook-Id", "   "));
  add(
    "a Latin-1 letter in the shop",
    product,
    replaced(shopifyHeaders(product), "X-Shopify-Shop-Domain", "é.myshopify.com"),
  );

  // Shops and timestamps.
  for (const shop of [
    "evil.example.com",
    "a.myshopify.com.evil.com",
    "-bad.myshopify.com",
    "UPPER.MYSHOPIFY.COM",
    "shop.myshopify.com/",
    "shop.myshopify.io",
    "x",
  ]) {
    add(`shop domain ${shop}`, product, shopifyHeaders(product, { shop }));
  }
  for (const [label, at] of [
    ["two days old", new Date(Date.now() - 2 * 86_400_000).toISOString()],
    ["a year old", new Date(Date.now() - 365 * 86_400_000).toISOString()],
    ["in the future", new Date(Date.now() + 86_400_000).toISOString()],
    ["epoch seconds", String(Math.floor(Date.now() / 1000) - 100_000)],
    ["not a date", "yesterday"],
  ] as const) {
    add(`triggered-at ${label}`, product, shopifyHeaders(product, { triggeredAt: at }));
  }

  // Methods.
  for (const method of ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]) {
    add(`${method} request`, ["GET", "HEAD"].includes(method) ? undefined : product, shopifyHeaders(product), method);
  }
  return cases.concat(fuzzed(400));
}

/** Random mixes of the above, from a fixed seed so a failure reproduces. */
function fuzzed(count: number): Delivery[] {
  let seed = 0x5eed;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const bodies = [
    product,
    utf8("{}"),
    utf8('{"id":"ü"}'),
    utf8("[1,2"),
    new Uint8Array(0),
    utf8('\ufeff{"a":1}'),
    Uint8Array.from([0x7b, 0xff, 0x7d]),
  ];
  const cases: Delivery[] = [];
  for (let index = 0; index < count; index += 1) {
    const body = pick(bodies);
    const signedBytes = pick([body, body, body.subarray(1), utf8(new TextDecoder().decode(body))]);
    let headers = pick([shopifyHeaders, eventHeaders])(body, {
      secret: pick([TEST_API_SECRET, TEST_API_SECRET, "wrong"]),
    });
    if (random() < 0.5)
      headers = shopifyHeaders(body, { signedBytes, shop: pick([INSTALLED, NOT_INSTALLED, EXPIRING, "bad domain"]) });
    headers = headers.flatMap(([key, value]): Array<[string, string]> => {
      const roll = random();
      if (roll < 0.06) return [];
      if (roll < 0.1) return [[key, ""]];
      if (roll < 0.14)
        return [
          [key, value],
          [key, value],
        ];
      if (roll < 0.3) return [[random() < 0.5 ? key.toUpperCase() : key.toLowerCase(), value]];
      return [[key, value]];
    });
    cases.push({ name: `fuzzed #${index}`, headers, body, method: random() < 0.03 ? "PUT" : "POST" });
  }
  return cases;
}

function request(delivery: Delivery): Request {
  return new Request("http://127.0.0.1/webhooks/products/create", {
    method: delivery.method ?? "POST",
    headers: new Headers(delivery.headers),
    body: delivery.body && Buffer.from(delivery.body),
  });
}

type Outcome =
  | { kind: "response"; status: number; statusText: string; body: string }
  | { kind: "error"; error: string; message: string }
  | { kind: "delivery"; delivery: Record<string, unknown> };

async function outcome(verify: () => Promise<object>): Promise<Outcome> {
  try {
    const { admin: _admin, session, ...fields } = (await verify()) as Record<string, unknown>;
    // The session is compared by what it is; `admin` is the library's client, which intake never uses.
    const found = session as { id: string; accessToken?: string; expires?: Date } | undefined;
    return {
      kind: "delivery",
      delivery: {
        ...fields,
        session: found && { id: found.id, accessToken: found.accessToken, expires: found.expires },
      },
    };
  } catch (thrown) {
    if (thrown instanceof Response) {
      return { kind: "response", status: thrown.status, statusText: thrown.statusText, body: await thrown.text() };
    }
    const error = thrown as Error;
    return { kind: "error", error: error.constructor.name, message: error.message };
  }
}

const label = (result: Outcome) =>
  result.kind === "response" ? String(result.status) : result.kind === "error" ? result.error : "delivery";

describe("the app's webhook verifier and the library's authenticate.webhook", () => {
  it("agree on every delivery of the corpus", async () => {
    const deliveries = corpus();
    const disagreements: string[] = [];
    const seen = new Map<string, number>();
    for (const delivery of deliveries) {
      const theirs = await outcome(() => authenticate.webhook(request(delivery)));
      const ours = await outcome(() => verifyWebhook(request(delivery)));
      try {
        expect(ours).toEqual(theirs);
      } catch {
        disagreements.push(
          `${delivery.name}: library ${JSON.stringify(theirs).slice(0, 300)}, app ${JSON.stringify(ours).slice(0, 300)}`,
        );
      }
      seen.set(label(theirs), (seen.get(label(theirs)) ?? 0) + 1);
    }
    expect(disagreements).toEqual([]);
    // The corpus reaches every answer the library gives, so agreement is not agreement on one kind.
    expect([...seen.keys()].sort()).toEqual(["400", "401", "405", "InvalidShopError", "SyntaxError", "delivery"]);
    expect(deliveries.length).toBeGreaterThan(500);
  });

  it("agree on the session: present for an installed shop, absent for an unknown or expiring one", async () => {
    const body = utf8(JSON.stringify(samplePayload("products/update", INSTALLED)));
    for (const [shop, expected] of [
      [INSTALLED, `offline_${INSTALLED}`],
      [NOT_INSTALLED, undefined],
      [EXPIRING, undefined],
    ] as const) {
      const delivery = { name: shop, headers: shopifyHeaders(body, { topic: "products/update", shop }), body };
      const ours = await outcome(() => verifyWebhook(request(delivery)));
      expect(ours).toEqual(await outcome(() => authenticate.webhook(request(delivery))));
      expect(ours.kind === "delivery" && (ours.delivery.session as { id: string } | undefined)?.id).toBe(
        expected ?? undefined,
      );
    }
  });

  it("return what intake needs from a valid delivery", async () => {
    const headers = shopifyHeaders(product);
    const delivery = await verifyWebhook(request({ name: "valid", headers, body: product }));
    expect(delivery).toMatchObject({
      topic: "PRODUCTS_CREATE",
      shop: INSTALLED,
      webhookId: valueOf(headers, "X-Shopify-Webhook-Id"),
      apiVersion: "2026-10",
      payload: JSON.parse(Buffer.from(product).toString("utf8")),
      session: { id: `offline_${INSTALLED}` },
    });
  });
});

const HEADER_NAMES = [
  "x-shopify-hmac-sha256",
  "X-Shopify-Topic",
  "X-SHOPIFY-SHOP-DOMAIN",
  "x-shopify-api-version",
  "X-Shopify-Webhook-Id",
  "X-Shopify-Triggered-At",
  "Shopify-Hmac-Sha256",
  "shopify-topic",
  "Content-Type",
  "X_Shopify_Topic",
];

/**
 * The web server's fast path hands the route the raw delivery (server/webhook-fast-path.ts:
 * `webhookInput`) instead of the Fetch Request other actions get (`webhookRequest`). Sent over a
 * socket byte for byte (so repeated, re-cased and padded headers reach Node's parser as written),
 * every POST of the corpus gets the same answer from the library on the Request as from the app's
 * verifier on the raw delivery.
 */
describe("over HTTP, the library on the fast path's Request and the verifier on its raw delivery", () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        if (!body) throw new Error("body over the limit");
        const url = `http://127.0.0.1${req.url ?? "/"}`;
        const theirs = await outcome(() => authenticate.webhook(webhookRequest(req, body, url)));
        const ours = await outcome(() => verifyWebhook(webhookInput(req, body)));
        // Header by header, in any case, as the verifier reads them.
        const request = webhookRequest(req, body, url);
        const input = webhookInput(req, body);
        const headers = HEADER_NAMES.map((name) => [input.header(name), request.headers.get(name)]);
        const json = Buffer.from(JSON.stringify({ theirs, ours, headers }));
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": json.length }).end(json);
      })().catch((error: unknown) => res.writeHead(500).end(String(error)));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** One delivery written to the socket as raw HTTP/1.1 (header values as Latin-1 bytes, as Node reads them). */
  function post(delivery: Delivery): Promise<{ status: number; text: string }> {
    const body = Buffer.from(delivery.body ?? new Uint8Array(0));
    const head = [
      "POST /webhooks/products/create HTTP/1.1",
      "Host: 127.0.0.1",
      ...delivery.headers.map(([name, value]) => `${name}: ${value}`),
      `Content-Length: ${body.length}`,
      "Connection: close",
      "",
      "",
    ].join("\r\n");
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => socket.write(Buffer.concat([Buffer.from(head, "latin1"), body])));
      const chunks: Buffer[] = [];
      socket.on("data", (chunk: Buffer) => chunks.push(chunk));
      socket.on("error", (error) => reject(new Error(`${delivery.name}: ${String(error)}`)));
      socket.on("close", () => {
        const answer = Buffer.concat(chunks).toString("utf8");
        const status = Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1] ?? 0);
        resolve({ status, text: answer.slice(answer.indexOf("\r\n\r\n") + 4) });
      });
    });
  }

  it("agree on every POST of the corpus", async () => {
    const deliveries = corpus().filter((delivery) => (delivery.method ?? "POST") === "POST");
    const disagreements: string[] = [];
    const seen = new Set<string>();
    for (const delivery of deliveries) {
      const answer = await post(delivery);
      expect(answer.status, `${delivery.name}: ${answer.text}`).toBe(200);
      const { theirs, ours, headers } = JSON.parse(answer.text) as {
        theirs: Outcome;
        ours: Outcome;
        headers: Array<[string | null, string | null]>;
      };
      for (const [index, [raw, fetched]] of headers.entries()) {
        if (raw !== fetched)
          disagreements.push(`${delivery.name}: ${HEADER_NAMES[index]} ${JSON.stringify([raw, fetched])}`);
      }
      if (JSON.stringify(ours) !== JSON.stringify(theirs) && !isEqual(ours, theirs)) {
        disagreements.push(
          `${delivery.name}: library ${JSON.stringify(theirs).slice(0, 300)}, app ${JSON.stringify(ours).slice(0, 300)}`,
        );
      }
      seen.add(label(theirs));
    }
    expect(disagreements).toEqual([]);
    expect([...seen].sort()).toEqual(["400", "401", "InvalidShopError", "SyntaxError", "delivery"]);
  });
});

function isEqual(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}
