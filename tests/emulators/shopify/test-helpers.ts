// Shared fixtures for the emulator's own tests: a started emulator with one shop, and a tiny
// webhook receiver that records raw bodies and headers and can be told to fail.
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, beforeEach } from "vitest";

import { emulatorControl, type GraphQLResponse } from "./control-client";
import { startShopifyEmulator, type ShopifyEmulator, type ShopifyEmulatorOptions } from "./server";
import type { ShopInput } from "./state";

export const API_KEY = "test-api-key";
export const API_SECRET = "test-api-secret";
export const SHOP = "emulator-test.myshopify.com";
export const TOKEN = "shpat_test_token";

/** Tests navigate GraphQL answers structurally; `any` keeps those assertions readable. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJson = any;

export interface GqlAnswer {
  status: number;
  body: { data?: AnyJson; errors?: AnyJson; extensions?: GraphQLResponse["extensions"] };
}

export interface TestEmulator {
  emu: ShopifyEmulator;
  control: ReturnType<typeof emulatorControl>;
  /** Admin GraphQL call with the shop's token. */
  gql(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlAnswer>;
  close(): Promise<void>;
}

export async function startTestEmulator(overrides: Partial<ShopifyEmulatorOptions> = {}): Promise<TestEmulator> {
  const emu = await startShopifyEmulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    webhookRetry: { attempts: 4, baseDelayMs: 20 },
    bulk: { startDelayMs: 5, runMs: 20 },
    strict: true,
    ...overrides,
  });
  const control = emulatorControl(emu.url);
  await control.createShop({
    shop: SHOP,
    accessToken: TOKEN,
    locales: [
      { locale: "en", primary: true },
      { locale: "fr", published: true },
      { locale: "de", published: false },
    ],
  });
  return {
    emu,
    control,
    gql: (query, variables, token = TOKEN) => control.graphql(token, query, variables),
    close: () => emu.close(),
  };
}

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Statuses to answer with, consumed in order; 200 afterwards. */
  failWith(...statuses: number[]): void;
  waitFor(predicate: (w: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const queue: number[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = queue.shift() ?? 200;
      received.push({
        path: req.url ?? "",
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString("utf8"),
        status,
      });
      res.writeHead(status).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    failWith: (...statuses) => queue.push(...statuses),
    waitFor: (predicate, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const deadline = setTimeout(
          () =>
            reject(
              new Error(
                `webhook not received within ${timeoutMs} ms; got ${received.map((r) => r.headers["x-shopify-topic"]).join(", ")}`,
              ),
            ),
          timeoutMs,
        );
        const check = () => {
          const hit = received.find(predicate);
          if (hit) {
            clearTimeout(deadline);
            resolve(hit);
          } else waiters.push(check);
        };
        check();
      }),
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/**
 * The usual file set-up: a webhook receiver and an emulator delivering to it (started once), and
 * before each test a reset emulator with the test shop and an empty receiver. Read `env.t` and
 * `env.receiver` inside tests and hooks.
 */
export function emulatorWithReceiver({
  emulator = () => ({}),
  shop = {},
}: {
  /** Emulator options; gets the receiver's URL (the app URL webhooks go to by default). */
  emulator?: (receiverUrl: string) => Partial<ShopifyEmulatorOptions>;
  /** Extra fields of the test shop created before each test. */
  shop?: Partial<ShopInput>;
} = {}): { readonly t: TestEmulator; readonly receiver: WebhookReceiver } {
  let t: TestEmulator | undefined;
  let receiver: WebhookReceiver | undefined;
  const started = <T>(value: T | undefined, name: string): T => {
    if (!value) throw new Error(`${name} is used before beforeAll started it`);
    return value;
  };
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestEmulator({ appUrl: receiver.url, ...emulator(receiver.url) });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });
  beforeEach(async () => {
    await started(t, "the emulator").control.reset();
    await started(t, "the emulator").control.createShop({ shop: SHOP, accessToken: TOKEN, ...shop });
    started(receiver, "the receiver").received.length = 0;
  });
  return {
    get t() {
      return started(t, "the emulator");
    },
    get receiver() {
      return started(receiver, "the receiver");
    },
  };
}

/** What a Shopify app does to authenticate a webhook. */
export function hmacOf(rawBody: string, secret = API_SECRET): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("base64");
}
