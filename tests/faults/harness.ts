// The fault suite's harness: a scenario names a fault and when to inject it; the shared runner
// brings up a whole stack (both emulators over HTTP, the web app from the build, the REAL worker
// process started the way production starts it), pushes a workload through it, injects the fault,
// waits by polling records until every item is done or visibly failed, and reports what was lost
// and what was written twice. Used by tests/faults/*.test.ts (small, proxy outages only) and by
// bench/faults.ts (`npm run bench:faults`).
//
// Later capabilities (translations, chat, insights) add their own scenarios with
// defineScenario({ workload }) and a Workload of their own; productCopyWorkload is the first.
import { randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import path from "node:path";

import { Queue, type Job } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";

import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { startLlmEmulator } from "../emulators/llm/server";
import { emulatorControl, type EmulatorControl } from "../emulators/shopify/control-client";
import { startShopifyEmulator } from "../emulators/shopify/server";
import { startFaultProxy, throughProxy, type FaultProxy } from "../support/fault-proxy";
import { freePort } from "../support/ports";
import { startAppServer, startWorker, type RunningProcess } from "../support/processes";
import { appEnv, TEST_API_KEY, TEST_API_SECRET } from "../support/test-env";

const ROOT = path.resolve(import.meta.dirname, "../..");
const QUEUES = ["shop", "content", "orders", "translation"] as const;
const QUEUE_PREFIX = "storewise";

/**
 * How outages are made. `proxy`: Redis and Postgres sit behind fault proxies that only this stack
 * uses (safe beside other tests). `real`: the machine's real servers are stopped and started
 * (benchmark only; it breaks every other user of them).
 */
export type FaultsMode = "proxy" | "real";

/** Shopify's webhook retries (8 retries over 4 h), compressed: 9 attempts, 250 ms doubling, about 64 s in all. */
export const COMPRESSED_WEBHOOK_RETRY = { attempts: 9, baseDelayMs: 250 };

export interface Outage {
  /** Takes the service away: refused connections (`refuse`) or a blackhole (`pause`). */
  begin(kind?: "refuse" | "pause"): Promise<void>;
  end(): Promise<void>;
}

export interface FaultContext {
  mode: FaultsMode;
  shop: string;
  products: number;
  shopify: EmulatorControl;
  llm: LlmEmulatorControl;
  redis: Outage;
  postgres: Outage;
  /** The LLM's network path (a proxy in front of the LLM emulator): refused connections or a blackhole. */
  llmNetwork: Outage;
  /** Creates more items now (their webhooks go out at once), e.g. while Redis is down. */
  createProducts(count: number): Promise<void>;
  /** SIGKILLs the worker (no drain, no cleanup) and starts a new one. */
  killWorker(): Promise<void>;
  /** Items finished so far (done or visibly failed). */
  progress(): Promise<number>;
  /** Resolves once `count` items have finished, or the scenario's deadline passes. */
  waitForProgress(count: number): Promise<void>;
  sleep(ms: number): Promise<void>;
  log(message: string): void;
}

/** What a capability puts through the stack and how its items' outcomes are read. */
export interface Workload {
  name: string;
  /** Shop set-up beyond the installation (e.g. content mode). */
  prepareShop(db: pg.Pool, shopId: string): Promise<void>;
  /** Creates the items through the emulator (which sends the webhooks); returns their ids. */
  create(shopify: EmulatorControl, shop: string, count: number): Promise<string[]>;
  /** Item ids now in a final good state ("done"), and those the pipeline chose to skip. */
  settled(db: pg.Pool, shop: string): Promise<{ done: Set<string>; skipped: Set<string> }>;
  /** Which item a job works on (from its id or payload), for matching failures to items. */
  itemOfJob(job: { jobId: string; data?: unknown }, webhookItems: Map<string, string>): string | null;
  /** Writes per item the emulator recorded for the operation that must happen exactly once. */
  writes(shopify: EmulatorControl, shop: string): Promise<Map<string, number>>;
  /** Items counted done whose result the store does not hold after all (lost), when the workload can tell. */
  missingInStore?(shopify: EmulatorControl, shop: string, done: string[]): Promise<string[]>;
}

export interface ScenarioDefinition {
  name: string;
  /** Items in the run (products for the product-copy workload). */
  products: number;
  /** Share (0..1) of the items created before inject() starts; inject creates the rest (default 1). */
  upfront?: number;
  workload?: Workload;
  /** Extra env for the web app and the worker (retry and backoff knobs). */
  env?: Record<string, string>;
  /** Emulator plan of the shop (the Admin API bucket). */
  plan?: "standard" | "plus";
  /** Runs while the workload flows; resolves when the fault is over (that instant starts the drain clock). */
  inject(ctx: FaultContext): Promise<void>;
  /** Hard limit for the whole scenario, from the first product to the last check. */
  timeoutMs: number;
  /** How long nothing may move before the remaining items count as lost (default 15 s). */
  quietMs?: number;
  /** Bars of this scenario beyond the shared ones, by name (true = met). */
  bars?: (report: ScenarioReport) => Record<string, boolean>;
  /** Error-level log messages the fault causes on purpose (tests/support/error-logs.ts). */
  expectedErrorLogs?: RegExp[];
}

export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition;
}

export interface ScenarioReport {
  scenario: string;
  mode: FaultsMode;
  workload: string;
  expected: number;
  done: number;
  skipped: number;
  /** Final failures the merchant sees on the home page, and how many of them can be retried. */
  failedVisible: number;
  failedWithRetry: number;
  /** Jobs BullMQ gave up on that the admin does not show (no FAILED JobRun row). */
  failedInvisible: number;
  /** FAILED JobRun rows of the shop by `<job name>: <error code>` (why things failed). */
  failureCodes: Record<string, number>;
  lost: number;
  lostItems: string[];
  /** BullMQ state of the jobs of lost items' webhooks (e.g. "product.created: active"), or "missing". */
  lostJobStates: Record<string, number>;
  writes: { exactlyOne: number; none: number; moreThanOne: number; max: number };
  webhooks: {
    deliveries: number;
    attempts: number;
    retried: number;
    /** Deliveries the emulator gave up on after every retry (Shopify would drop them). */
    failed: number;
    byStatus: Record<string, number>;
    /** Slowest answer to an attempt that failed (bar: 503 within 2 s). */
    slowestFailedMs: number;
  };
  llm: { requests: number; byStatus: Record<string, number> };
  /** Admin API requests the shop made, and how many were THROTTLED or answered 429. */
  admin: { requests: number; throttled: number };
  workerRestarts: number;
  faultSeconds: number;
  drainSeconds: number | null;
  wallSeconds: number;
  ended: "settled" | "quiet" | "timeout";
}

// ---------------------------------------------------------------- product copy (auto-publish)

export const productCopyWorkload: Workload = {
  name: "product-copy",
  async prepareShop(db, shopId) {
    await db.query(
      `INSERT INTO "ShopSettings" ("shopId", "contentMode", "updatedAt") VALUES ($1, 'AUTO_PUBLISH', now())
       ON CONFLICT ("shopId") DO UPDATE SET "contentMode" = 'AUTO_PUBLISH'`,
      [shopId],
    );
  },
  async create(shopify, shop, count) {
    // One control call creates them all; each fires its own signed products/create webhook.
    // Empty descriptions: auto-publish never overwrites an existing one.
    const { ids } = await shopify.createProducts(shop, {
      count,
      silent: false,
      template: { title: "Fault suite product {i}", descriptionHtml: "", productType: "Widget", tags: ["faults"] },
    });
    return ids;
  },
  async settled(db, shop) {
    const { rows } = await db.query<{ productId: string; status: string }>(
      `SELECT "productId", status FROM "ProductContent" WHERE "shopDomain" = $1 AND status IN ('LIVE', 'SKIPPED')`,
      [shop],
    );
    const done = new Set<string>();
    const skipped = new Set<string>();
    for (const row of rows) (row.status === "LIVE" ? done : skipped).add(row.productId);
    return { done, skipped };
  },
  itemOfJob(job, webhookItems) {
    const data = job.data as { productId?: unknown } | undefined;
    if (typeof data?.productId === "string") return data.productId;
    return webhookItems.get(job.jobId) ?? null;
  },
  async writes(shopify, shop) {
    const rows = await getJson<Array<{ id: string; counts: Record<string, number> }>>(
      `${shopify.baseUrl}/_emulator/shops/${encodeURIComponent(shop)}/product-writes`,
    );
    return new Map(rows.map((row) => [row.id, row.counts.productUpdate ?? 0]));
  },
};

// ---------------------------------------------------------------- translations (auto-publish, then translate)

/** Target locales of the translation workload: each product ends registered in both. */
export const TRANSLATION_LOCALES = ["fr", "de"] as const;

/**
 * Products created in auto-publish mode in a shop that publishes fr and de: each copy publish
 * queues the product's translation (one LLM call per locale, one translationsRegister request for
 * the product and its nested resources, docs/decisions/023). An item is done when the ledger holds
 * every translated key of the product in both locales as TRANSLATED and the store holds that
 * translation, not outdated (read from the emulator at the end: nothing lost). Its write is the
 * number of requests that registered translations of the product or its nested resources (the
 * emulator's request log): one per change.
 */
export const translationWorkload: Workload = {
  name: "translations",
  prepareShop: productCopyWorkload.prepareShop,
  async create(shopify, shop, count) {
    // The locales, published before the first product (silent: no locales/* webhook races the run).
    await shopify.createShop({
      shop,
      locales: [
        { locale: "en", primary: true, published: true },
        ...TRANSLATION_LOCALES.map((locale) => ({ locale, published: true })),
      ],
    });
    return productCopyWorkload.create(shopify, shop, count);
  },
  async settled(db, shop) {
    const { rows } = await db.query<{ resourceId: string }>(
      `SELECT "resourceId" FROM "TranslationEntry"
       WHERE "shopDomain" = $1 AND kind = 'product' AND key = 'title' AND status = 'TRANSLATED' AND locale = ANY($2)
       GROUP BY "resourceId" HAVING count(DISTINCT locale) = $3`,
      [shop, [...TRANSLATION_LOCALES], TRANSLATION_LOCALES.length],
    );
    return { done: new Set(rows.map((row) => row.resourceId)), skipped: new Set<string>() };
  },
  itemOfJob(job, webhookItems) {
    const data = job.data as { productId?: unknown; resourceId?: unknown } | undefined;
    if (typeof data?.resourceId === "string") return data.resourceId;
    return productCopyWorkload.itemOfJob(job, webhookItems);
  },
  async writes(shopify, shop) {
    const requests = await shopify.requestLog(shop, { rootField: "translationsRegister" });
    const perProduct = new Map<string, number>();
    const perResource = new Map<string, number>();
    for (const request of requests) {
      const products = new Set<string>();
      for (const alias of request.translationsRegister) {
        if (alias.productId) products.add(alias.productId);
        perResource.set(alias.resourceId, (perResource.get(alias.resourceId) ?? 0) + 1);
      }
      for (const product of products) perProduct.set(product, (perProduct.get(product) ?? 0) + 1);
    }
    // A resource registered twice counts against its product (the bar is one register per resource per change).
    for (const request of requests) {
      for (const alias of request.translationsRegister) {
        if (alias.productId && (perResource.get(alias.resourceId) ?? 0) > 1) {
          perProduct.set(
            alias.productId,
            Math.max(perProduct.get(alias.productId) ?? 0, perResource.get(alias.resourceId)!),
          );
        }
      }
    }
    return perProduct;
  },
  // The ledger says registered; the store must hold it, not outdated, in every locale.
  async missingInStore(shopify, shop, done) {
    const missing: string[] = [];
    for (const id of done) {
      const product = await shopify.getProduct(shop, id);
      const held = TRANSLATION_LOCALES.every((locale) =>
        product.translations.some((t) => t.locale === locale && t.key === "title" && !t.outdated),
      );
      if (!held) missing.push(id);
    }
    return missing;
  },
};

// ---------------------------------------------------------------- the runner

export interface RunOptions {
  mode: FaultsMode;
  /** Overrides the scenario's item count (bench: at least 500). */
  products?: number;
  databaseUrl: string;
  redisUrl: string;
  log?: (message: string) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

function hostPort(url: string, defaultPort: number) {
  const parsed = new URL(url);
  return { targetHost: parsed.hostname || "127.0.0.1", targetPort: Number(parsed.port || defaultPort) };
}

/**
 * Stops and starts the machine's real Redis / Postgres (commands: /work/shared/MACHINE_NOTES.md).
 * Benchmark only: it breaks every other user of them. Redis is shut down with SAVE and started
 * again from the same directory, so it comes back with its data as a production Redis with
 * persistence does (this machine's runs with `--save ""`, which would otherwise lose every queue).
 */
function realOutage(service: "redis" | "postgres"): Outage {
  const run = (command: string, args: string[]) => execFileSync(command, args, { encoding: "utf8" });
  let redisDir = "/tmp";
  return {
    async begin() {
      if (service === "redis") {
        redisDir = run("redis-cli", ["-p", "6379", "config", "get", "dir"]).split("\n")[1]?.trim() || "/tmp";
        run("redis-cli", ["-p", "6379", "shutdown", "save"]);
      } else run("bash", ["-c", "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main stop -m fast"]);
    },
    async end() {
      if (service === "redis")
        run("redis-server", [
          "--daemonize",
          "yes",
          "--bind",
          "127.0.0.1",
          "-::1",
          "--port",
          "6379",
          "--save",
          "",
          "--appendonly",
          "no",
          "--dir",
          redisDir,
        ]);
      else run("bash", ["-c", "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"]);
    },
  };
}

/** An outage that is ended on teardown if the scenario stopped (timeout, error) while it was on. */
function endedOnTeardown(outage: Outage, cleanups: Array<() => Promise<unknown>>): Outage {
  let on = false;
  cleanups.push(async () => {
    if (on) await outage.end();
  });
  return {
    async begin(kind) {
      on = true;
      await outage.begin(kind);
    },
    async end() {
      on = false;
      await outage.end();
    },
  };
}

function proxyOutage(proxy: FaultProxy): Outage {
  return {
    async begin(kind = "refuse") {
      if (kind === "pause") proxy.pause();
      else proxy.refuse();
    },
    async end() {
      proxy.resume();
    },
  };
}

/** Runs one scenario end to end and always tears its stack down, within the scenario's timeout. */
export async function runScenario(scenario: ScenarioDefinition, options: RunOptions): Promise<ScenarioReport> {
  const workload = scenario.workload ?? productCopyWorkload;
  const products = options.products ?? scenario.products;
  const started = Date.now();
  const log = (message: string) => options.log?.(`+${((Date.now() - started) / 1000).toFixed(1)} s ${message}`);
  const deadline = started + scenario.timeoutMs;
  const cleanups: Array<() => Promise<unknown>> = [];
  const db = new pg.Pool({ connectionString: options.databaseUrl, max: 3 });
  db.on("error", () => undefined);
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on("error", () => undefined);
  const queues = QUEUES.map((name) => new Queue(name, { connection: redis, prefix: QUEUE_PREFIX }));
  for (const queue of queues) queue.on("error", () => undefined);
  const shop = `faults-${scenario.name.replace(/[^a-z0-9]+/g, "-")}-${randomUUID().slice(0, 6)}.myshopify.com`;

  // Runs last (cleanups run in reverse), once the worker is gone.
  cleanups.push(() => purgeShopJobs(queues, shop));
  try {
    // ---- the stack: proxies, emulators, web app, worker
    let databaseUrl = options.databaseUrl;
    let redisUrl = options.redisUrl;
    let redisOutage: Outage;
    let postgresOutage: Outage;
    if (options.mode === "proxy") {
      const redisProxy = await startFaultProxy(hostPort(options.redisUrl, 6379));
      const pgProxy = await startFaultProxy(hostPort(options.databaseUrl, 5432));
      cleanups.push(
        () => redisProxy.close(),
        () => pgProxy.close(),
      );
      redisUrl = throughProxy(options.redisUrl, redisProxy);
      databaseUrl = throughProxy(options.databaseUrl, pgProxy);
      redisOutage = proxyOutage(redisProxy);
      postgresOutage = proxyOutage(pgProxy);
    } else {
      // Pushed before any process of the stack, so a server still down is started again last.
      redisOutage = endedOnTeardown(realOutage("redis"), cleanups);
      postgresOutage = endedOnTeardown(realOutage("postgres"), cleanups);
    }

    const appPort = await freePort();
    const appUrl = `http://127.0.0.1:${appPort}`;
    const shopifyEmulator = await startShopifyEmulator({
      port: 0,
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      appUrl,
      tomlPath: path.join(ROOT, "shopify.app.toml"),
      webhookRetry: COMPRESSED_WEBHOOK_RETRY,
      // Shopify gives up on a delivery after 5 s.
      webhookTimeoutMs: 5_000,
      strict: true,
    });
    cleanups.push(() => shopifyEmulator.close());
    const llmEmulator = await startLlmEmulator({ port: 0 });
    cleanups.push(() => llmEmulator.close());
    const llmProxy = await startFaultProxy(hostPort(llmEmulator.url, 80));
    cleanups.push(() => llmProxy.close());
    const env: Record<string, string> = {
      ...appEnv({ appUrl, shopifyUrl: shopifyEmulator.url, llmUrl: throughProxy(llmEmulator.url, llmProxy) }),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      LOG_LEVEL: "warn",
      WORKER_CONCURRENCY: "16",
      LLM_REQUESTS_PER_MINUTE: "100000",
      LLM_MAX_CONCURRENCY: "16",
      ...scenario.env,
    };
    const app = await startAppServer(env, appPort);
    cleanups.push(() => app.stop());
    let worker: RunningProcess = await startWorker(env);
    let workerRestarts = 0;
    cleanups.push(() => worker.stop());
    const shopify = emulatorControl(shopifyEmulator.url);
    const llm = new LlmEmulatorControl(llmEmulator.url);

    // ---- the shop, installed, in auto-publish mode
    const accessToken = `shpat_${randomUUID()}`;
    await shopify.createShop({ shop, accessToken, plan: scenario.plan ?? "plus" });
    await db.query(
      `INSERT INTO "Session" (id, shop, state, "isOnline", scope, "accessToken") VALUES ($1, $2, '', false, $3, $4)`,
      [`offline_${shop}`, shop, "read_products,write_products", accessToken],
    );
    const shopId = randomUUID();
    await db.query(`INSERT INTO "Shop" (id, domain, "updatedAt") VALUES ($1, $2, now())`, [shopId, shop]);
    await workload.prepareShop(db, shopId);

    // ---- what the records say, read straight from Postgres and Redis (never through the proxies)
    const webhookItems = new Map<string, string>();
    const refreshWebhookItems = async () => {
      const log = await shopify.webhookLog({ shop });
      for (const delivery of log.deliveries) {
        const id = (delivery.payload as { admin_graphql_api_id?: string }).admin_graphql_api_id;
        if (id) webhookItems.set(delivery.webhookId, id);
      }
    };
    const failures = async () => {
      const { rows } = await db.query<{ jobId: string; queue: string; name: string; errorCode: string | null }>(
        `SELECT "jobId", queue, name, "errorCode" FROM "JobRun" WHERE "shopDomain" = $1 AND status = 'FAILED'`,
        [shop],
      );
      return rows;
    };
    let ids: string[] = [];
    const finished = async () => {
      try {
        const { done, skipped } = await workload.settled(db, shop);
        const failed = new Set<string>();
        for (const row of await failures()) {
          const item = workload.itemOfJob({ jobId: row.jobId }, webhookItems);
          if (item) failed.add(item);
        }
        return ids.filter((id) => done.has(id) || skipped.has(id) || failed.has(id)).length;
      } catch {
        return -1; // the database is down (real mode); try again on the next poll
      }
    };

    const ctx: FaultContext = {
      mode: options.mode,
      shop,
      products,
      shopify,
      llm,
      redis: redisOutage,
      postgres: postgresOutage,
      llmNetwork: proxyOutage(llmProxy),
      async killWorker() {
        await worker.stop("SIGKILL");
        workerRestarts++;
        const restarting = Date.now();
        worker = await startWorker(env);
        log(`worker killed at ${await finished()} finished; restarted in ${Date.now() - restarting} ms`);
      },
      async createProducts(count) {
        ids.push(...(await workload.create(shopify, shop, count)));
      },
      progress: finished,
      async waitForProgress(count) {
        while (Date.now() < deadline) {
          if ((await finished()) >= count) return;
          await sleep(200);
        }
      },
      sleep,
      log,
    };

    // ---- run: create the items, inject the fault while they flow, then drain
    log(`${scenario.name}: ${products} products in ${shop}`);
    ids = await workload.create(shopify, shop, Math.round(products * (scenario.upfront ?? 1)));
    let faultEndedAt = Date.now();
    let faultStartedAt = Date.now();
    const injection = (async () => {
      faultStartedAt = Date.now();
      await scenario.inject(ctx);
      faultEndedAt = Date.now();
      log(`${scenario.name}: fault over after ${((faultEndedAt - faultStartedAt) / 1000).toFixed(1)} s`);
    })();
    let injected = false;
    let injectionError: unknown;
    injection.then(
      () => (injected = true),
      (error: unknown) => {
        injected = true;
        injectionError = error;
      },
    );

    let ended: ScenarioReport["ended"] = "timeout";
    let drainedAt: number | null = null;
    let quietSince = Date.now();
    let lastProgress = -1;
    while (Date.now() < deadline) {
      await refreshWebhookItems().catch(() => undefined);
      const count = await finished();
      if (count !== lastProgress) {
        lastProgress = count;
        quietSince = Date.now();
      }
      if (injected && count === ids.length && ids.length >= products) {
        ended = "settled";
        drainedAt = Date.now();
        break;
      }
      // Nothing queued, nothing in flight, no webhook waiting for a retry, and no progress for a
      // while: what is left will never finish by itself.
      if (injected && Date.now() - quietSince > (scenario.quietMs ?? 15_000)) {
        const pending = await pendingWork(queues, shop, shopify).catch(() => 1);
        if (pending === 0) {
          ended = "quiet";
          break;
        }
      }
      await sleep(500);
    }
    if (injectionError) throw injectionError;
    log(`${scenario.name}: ${ended} after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // ---- the report
    await refreshWebhookItems();
    const { done, skipped } = await workload.settled(db, shop);
    const failedRows = await failures();
    const visible = new Set<string>();
    const retryable = new Set<string>();
    const failedJobIds = new Set(failedRows.map((row) => `${row.queue}:${row.jobId}`));
    for (const row of failedRows) {
      const item = workload.itemOfJob({ jobId: row.jobId }, webhookItems);
      const queue = queues.find((q) => q.name === row.queue);
      const job = queue ? await queue.getJob(row.jobId) : undefined;
      if (item) visible.add(item);
      // The admin's Retry button (retry-job-run.server.ts) works only on a job still in BullMQ's failed set.
      if (item && job && (await job.isFailed())) retryable.add(item);
    }
    let failedInvisible = 0;
    for (const queue of queues) {
      for (const job of await queue.getFailed(0, -1)) {
        if ((job.data as { shop?: string })?.shop !== shop) continue;
        if (!failedJobIds.has(`${queue.name}:${job.id}`)) failedInvisible++;
      }
    }
    // Each item counts once: done wins over an earlier failure (a retry that succeeded).
    for (const id of [...done, ...skipped]) {
      visible.delete(id);
      retryable.delete(id);
    }
    // Done in the app's records but not in the store: lost too.
    const missing = new Set((await workload.missingInStore?.(shopify, shop, [...done])) ?? []);
    for (const id of missing) done.delete(id);
    const lostItems = ids.filter((id) => !done.has(id) && !skipped.has(id) && !retryable.has(id));
    // Where the lost items' jobs are: still queued or running when time ran out, failed without
    // an admin row, or gone (never queued, or removed).
    const lostJobStates: Record<string, number> = {};
    const lost = new Set(lostItems);
    for (const [jobId, item] of webhookItems) {
      if (!lost.has(item)) continue;
      let state = "missing";
      for (const queue of queues) {
        const job = await queue.getJob(jobId);
        if (job) {
          state = `${job.name}: ${await job.getState()}`;
          break;
        }
      }
      lostJobStates[state] = (lostJobStates[state] ?? 0) + 1;
    }
    const writes = await workload.writes(shopify, shop);
    const counts = ids.map((id) => writes.get(id) ?? 0);
    const summary = await getJson<{
      deliveries: number;
      attempts: number;
      retried: number;
      byState: Record<string, number>;
      byStatus: Record<string, number>;
      slowestFailedMs: number;
    }>(`${shopifyEmulator.url}/_emulator/webhooks/summary?shop=${encodeURIComponent(shop)}`);
    const llmStats = await llm.stats();
    const adminStats = await shopify.stats(shop);
    return {
      scenario: scenario.name,
      mode: options.mode,
      workload: workload.name,
      expected: ids.length,
      done: done.size,
      skipped: skipped.size,
      failedVisible: visible.size,
      failedWithRetry: retryable.size,
      failedInvisible,
      failureCodes: failedRows.reduce<Record<string, number>>((acc, row) => {
        const key = `${row.name}: ${row.errorCode ?? "?"}`;
        acc[key] = (acc[key] ?? 0) + 1;
        return acc;
      }, {}),
      lost: lostItems.length,
      lostItems: lostItems.slice(0, 20),
      lostJobStates,
      writes: {
        exactlyOne: counts.filter((n) => n === 1).length,
        none: counts.filter((n) => n === 0).length,
        moreThanOne: counts.filter((n) => n > 1).length,
        max: Math.max(0, ...counts),
      },
      webhooks: {
        deliveries: summary.deliveries,
        attempts: summary.attempts,
        retried: summary.retried,
        failed: summary.byState.failed ?? 0,
        byStatus: summary.byStatus,
        slowestFailedMs: summary.slowestFailedMs,
      },
      llm: { requests: llmStats.requests, byStatus: llmStats.byStatus },
      admin: { requests: adminStats.requests, throttled: adminStats.throttled },
      workerRestarts,
      faultSeconds: round((faultEndedAt - faultStartedAt) / 1000),
      drainSeconds: drainedAt === null ? null : round(Math.max(0, drainedAt - faultEndedAt) / 1000),
      wallSeconds: round((Date.now() - started) / 1000),
      ended,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await Promise.all(queues.map((queue) => queue.close().catch(() => undefined)));
    await redis.quit().catch(() => undefined);
    await db.end().catch(() => undefined);
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

/** This shop's jobs still queued, running or waiting to retry, plus webhooks the emulator still has to deliver. */
async function pendingWork(queues: Queue[], shop: string, shopify: EmulatorControl): Promise<number> {
  let pending = (await shopify.webhookLog({ shop, limit: 1 })).pending;
  for (const queue of queues) {
    const jobs = await queue.getJobs(["waiting", "active", "delayed", "prioritized", "waiting-children"]);
    pending += jobs.filter((job: Job | undefined) => (job?.data as { shop?: string })?.shop === shop).length;
  }
  return pending;
}

/** Leaves no job of the scenario's shop behind for the next test file's worker. */
async function purgeShopJobs(queues: Queue[], shop: string): Promise<void> {
  for (const queue of queues) {
    const jobs = await queue.getJobs(["waiting", "delayed", "prioritized", "failed", "completed"]);
    for (const job of jobs) {
      if ((job?.data as { shop?: string })?.shop === shop) await job.remove().catch(() => undefined);
    }
  }
}
