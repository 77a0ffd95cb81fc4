// The storefront chat's fault scenario (issue 10, Done-when "The fault suite gains a chat
// scenario"): the LLM goes away for `outageSeconds` (first half: every call answers 503, the
// emulator's `down`; second half: connections refused at the network) while shoppers keep
// chatting through the real app proxy route. FAQ and order answers must keep coming, every other
// question must get the handoff offer (the LLM client's breaker and the chat's degrade ladder,
// decision 019), and once the LLM is back the model answers again, without a restart.
// Its own stack: Shopify and LLM emulators, the LLM behind a fault proxy, the web app from the build.
import { hkdfSync, randomUUID } from "node:crypto";
import path from "node:path";

import pg from "pg";

import { hashOrderEmail } from "~/services/orders/email-hash";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { startLlmEmulator } from "../emulators/llm/server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { startShopifyEmulator } from "../emulators/shopify/server";
import { proxyPost } from "../support/app-proxy";
import { startFaultProxy, throughProxy } from "../support/fault-proxy";
import { freePort } from "../support/ports";
import { startAppServer } from "../support/processes";
import { appEnv, TEST_API_KEY, TEST_API_SECRET } from "../support/test-env";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type ChatKind = "faq" | "order" | "guestOrder" | "other";

export interface ChatTurnRecord {
  phase: "before" | "outage" | "after";
  kind: ChatKind;
  atSeconds: number;
  status: number;
  source: string | null;
  action: string | null;
  ms: number;
  /** The answer carried what this kind of question must carry (the FAQ text, the tracking number). */
  correct: boolean;
}

export interface ChatOutageReport {
  scenario: "chat-llm-outage";
  outageSeconds: number;
  turnsPerSecond: number;
  during: Record<ChatKind, { asked: number; expected: number; p50Ms: number; p95Ms: number }>;
  before: { otherAnsweredByModel: boolean };
  /** Seconds from the LLM's return until the model answered a question again (null: never). */
  recoveredAfterSeconds: number | null;
  unexpected: ChatTurnRecord[];
  bars: Record<string, boolean>;
  passed: boolean;
}

const FAQ_QUESTION = "What is your return policy?";
const FAQ_ANSWER = "You can return unworn items within 30 days for a full refund.";
const OTHER_QUESTION = "Which colours does the linen blanket come in?";
const CUSTOMER_ID = "6101";
const EMAIL = "ada@example.com";
const hostPort = (url: string) => {
  const parsed = new URL(url);
  return { targetHost: parsed.hostname, targetPort: Number(parsed.port || 80) };
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!) : 0;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runChatOutage(options: {
  outageSeconds: number;
  databaseUrl: string;
  redisUrl: string;
  /** Rounds of questions per second during the outage (each round: FAQ, order, guest order, other). */
  turnsPerSecond?: number;
  log?: (message: string) => void;
}): Promise<ChatOutageReport> {
  const started = Date.now();
  const log = (message: string) => options.log?.(`+${((Date.now() - started) / 1000).toFixed(1)} s ${message}`);
  const perSecond = options.turnsPerSecond ?? 2;
  const cleanups: Array<() => Promise<unknown>> = [];
  const db = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  const shop = `faults-chat-${randomUUID().slice(0, 8)}.myshopify.com`;
  const tracking = `1ZCHAT${randomUUID().slice(0, 8).toUpperCase()}`;
  const turns: ChatTurnRecord[] = [];
  try {
    const appPort = await freePort();
    const appUrl = `http://127.0.0.1:${appPort}`;
    const shopifyEmulator = await startShopifyEmulator({
      port: 0,
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      appUrl,
      tomlPath: path.join(ROOT, "shopify.app.toml"),
      strict: true,
    });
    cleanups.push(() => shopifyEmulator.close());
    const llmEmulator = await startLlmEmulator({ port: 0 });
    cleanups.push(() => llmEmulator.close());
    const llmProxy = await startFaultProxy(hostPort(llmEmulator.url));
    cleanups.push(() => llmProxy.close());
    const env = {
      ...appEnv({ appUrl, shopifyUrl: shopifyEmulator.url, llmUrl: throughProxy(llmEmulator.url, llmProxy) }),
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      LOG_LEVEL: "error",
      SUPPORT_VISITOR_MESSAGES_PER_MINUTE: "100000",
    };
    const app = await startAppServer(env, appPort);
    cleanups.push(() => app.stop());
    const llm = new LlmEmulatorControl(llmEmulator.url);

    // ---- the shop: installed, a FAQ, an order, and no per-minute limit in the way
    const accessToken = `shpat_${randomUUID()}`;
    await emulatorControl(shopifyEmulator.url).createShop({ shop, accessToken });
    await db.query(
      `INSERT INTO "Session" (id, shop, state, "isOnline", scope, "accessToken") VALUES ($1, $2, '', false, '', $3)`,
      [`offline_${shop}`, shop, accessToken],
    );
    await db.query(`INSERT INTO "Shop" (id, domain, "updatedAt") VALUES ($1, $2, now())`, [randomUUID(), shop]);
    await db.query(
      `INSERT INTO "SupportSettings" ("shopDomain", "messagesPerMinute", "updatedAt") VALUES ($1, 100000, now())`,
      [shop],
    );
    await db.query(
      `INSERT INTO "SupportFaq" (id, "shopDomain", question, answer, locale, "updatedAt") VALUES ($1, $2, $3, $4, 'en', now())`,
      [randomUUID(), shop, FAQ_QUESTION, FAQ_ANSWER],
    );
    // The key the app derives when ORDER_EMAIL_HASH_KEY is unset (app/config/env.server.ts).
    const hashKey = Buffer.from(hkdfSync("sha256", TEST_API_SECRET, "storewise", "order-email-hash-v1", 32));
    await db.query(
      `INSERT INTO "Order" ("shopDomain", "orderId", name, "financialStatus", "fulfillmentStatus", tracking,
         "customerId", "emailHash", currency, "presentmentCurrency", subtotal, discounts, shipping, tax, total,
         lines, refunds, test, "processedAt", "storeCreatedAt", "storeUpdatedAt", contribution, "recordedAt")
       VALUES ($1, 'gid://shopify/Order/1', '#1001', 'PAID', 'FULFILLED', $2, $3, $4, 'EUR', 'EUR', 40, 0, 5, 0, 45,
         '[]', '[]', false, now(), now(), now(), '{}', now())`,
      [
        shop,
        JSON.stringify([{ number: tracking, url: `https://ups.example/${tracking}`, company: "UPS" }]),
        CUSTOMER_ID,
        hashOrderEmail(hashKey, EMAIL),
      ],
    );

    let phase: ChatTurnRecord["phase"] = "before";
    const ask = async (kind: ChatKind): Promise<ChatTurnRecord> => {
      const at = Date.now();
      const [call, message] =
        kind === "faq"
          ? [{ shop }, FAQ_QUESTION]
          : kind === "order"
            ? [{ shop, customerId: CUSTOMER_ID }, "Where is my order?"]
            : kind === "guestOrder"
              ? [{ shop }, `Where is my order #1001? My email is ${EMAIL}`]
              : [{ shop }, OTHER_QUESTION];
      const response = await proxyPost(appUrl, "chat", call, { message, locale: "en" });
      const answer = String(response.body.answer ?? "");
      const source = (response.body.source as string | undefined) ?? null;
      const action = (response.body.action as string | undefined) ?? null;
      const correct =
        response.status === 200 &&
        (kind === "faq"
          ? source === "faq" && answer === FAQ_ANSWER
          : kind === "other"
            ? phase === "outage"
              ? source === "handoff" && action === "handoff"
              : source === "llm"
            : source === "order" && answer.includes(tracking));
      const turn = {
        phase,
        kind,
        atSeconds: Math.round((at - started) / 100) / 10,
        status: response.status,
        source,
        action,
        ms: Date.now() - at,
        correct,
      };
      turns.push(turn);
      return turn;
    };
    const round = () => Promise.all((["faq", "order", "guestOrder", "other"] as const).map(ask));

    // ---- before: the model answers the question no FAQ entry does
    const before = await round();
    log(`before the outage: ${before.map((turn) => `${turn.kind}=${turn.source}`).join(", ")}`);

    // ---- the outage: 503s, then refused connections, shoppers asking all along
    phase = "outage";
    const outageMs = options.outageSeconds * 1000;
    const outageStart = Date.now();
    log(`LLM down for ${options.outageSeconds} s: 503, then connection refused`);
    await llm.setFaults({ down: true });
    let refused = false;
    const pending: Array<Promise<unknown>> = [];
    for (let i = 0; Date.now() - outageStart < outageMs; i++) {
      if (!refused && Date.now() - outageStart >= outageMs / 2) {
        llmProxy.refuse();
        await llm.setFaults({ down: false });
        refused = true;
      }
      pending.push(round());
      const next = outageStart + ((i + 1) * 1000) / perSecond;
      await sleep(Math.max(0, Math.min(next, outageStart + outageMs) - Date.now()));
    }
    await Promise.all(pending);
    llmProxy.resume();
    await llm.setFaults({ down: false });
    const back = Date.now();
    phase = "after";
    log("LLM back");

    // ---- after: the model answers again once the breaker lets a call through
    let recoveredAfterSeconds: number | null = null;
    while (Date.now() - back < 90_000) {
      const turn = await ask("other");
      if (turn.source === "llm") {
        recoveredAfterSeconds = Math.round((Date.now() - back) / 100) / 10;
        break;
      }
      await sleep(1_000);
    }
    log(`model answering again after ${recoveredAfterSeconds} s`);

    const during = Object.fromEntries(
      (["faq", "order", "guestOrder", "other"] as const).map((kind) => {
        const mine = turns.filter((turn) => turn.phase === "outage" && turn.kind === kind);
        return [
          kind,
          {
            asked: mine.length,
            expected: mine.filter((turn) => turn.correct).length,
            p50Ms: percentile(
              mine.map((turn) => turn.ms),
              0.5,
            ),
            p95Ms: percentile(
              mine.map((turn) => turn.ms),
              0.95,
            ),
          },
        ];
      }),
    ) as ChatOutageReport["during"];
    const unexpected = turns.filter((turn) => turn.phase !== "after" && !turn.correct);
    const bars = {
      "the model answered before the outage": before.every((turn) => turn.correct),
      "every FAQ question answered from the FAQ during the outage":
        during.faq.asked > 0 && during.faq.expected === during.faq.asked,
      "every order question answered with its tracking during the outage":
        during.order.expected === during.order.asked && during.guestOrder.expected === during.guestOrder.asked,
      "every other question offered the handoff during the outage":
        during.other.asked > 0 && during.other.expected === during.other.asked,
      "the model answers again within 60 s of the LLM's return":
        recoveredAfterSeconds !== null && recoveredAfterSeconds <= 60,
    };
    return {
      scenario: "chat-llm-outage",
      outageSeconds: options.outageSeconds,
      turnsPerSecond: perSecond,
      during,
      before: { otherAnsweredByModel: before.find((turn) => turn.kind === "other")?.source === "llm" },
      recoveredAfterSeconds,
      unexpected,
      bars,
      passed: Object.values(bars).every(Boolean),
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await db.end();
  }
}
