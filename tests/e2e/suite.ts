import { randomUUID } from "node:crypto";

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";

import { prisma } from "~/db.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { eventually } from "../support/eventually";
import { startWorker, type RunningProcess } from "../support/processes";
import { seedShop, type SeedShopOptions } from "../support/seed";
import { launchBrowser } from "./browser";

interface Options {
  /** First part of the shop's handle, e.g. "content" for content-1a2b3c4d.myshopify.com. */
  prefix: string;
  /** The shop's name, shown in the emulator's admin. */
  name: string;
  plan?: SeedShopOptions["plan"];
  /** How long waitFor polls by default. */
  waitMs?: number;
  /** Runs after the shop is seeded and before the worker starts (settings, emulator overrides). */
  prepare?: (shop: string) => Promise<void>;
}

/**
 * A browser test file's set-up: a fresh shop seeded in the emulator and the database, a real
 * worker, and Chromium, stopped again after the file. `browser` and `worker` are read once the
 * file's tests run (after beforeAll).
 */
export function browserSuite(options: Options) {
  const shopifyUrl = inject("shopifyUrl");
  const handle = `${options.prefix}-${randomUUID().slice(0, 8)}`;
  let browser: Browser | undefined;
  let worker: RunningProcess | undefined;
  const suite = {
    appUrl: inject("appUrl"),
    shopifyUrl,
    control: emulatorControl(shopifyUrl),
    handle,
    shop: `${handle}.myshopify.com`,
    get browser(): Browser {
      if (!browser) throw new Error("the browser starts in beforeAll");
      return browser;
    },
    get worker(): RunningProcess {
      if (!worker) throw new Error("the worker starts in beforeAll");
      return worker;
    },
    /** Polls until `check` gives a value, with the worker's last output in the failure message. */
    waitFor<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = options.waitMs ?? 20_000) {
      return eventually(check, { timeoutMs, context: () => worker?.output().slice(-3000) ?? "" });
    },
  };

  beforeAll(async () => {
    await seedShop(suite.control, prisma, {
      shop: suite.shop,
      accessToken: `shpat_${randomUUID()}`,
      name: options.name,
      ...(options.plan ? { plan: options.plan } : {}),
    });
    await options.prepare?.(suite.shop);
    worker = await startWorker(inject("appEnv"));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await prisma.$disconnect();
  });

  return suite;
}
