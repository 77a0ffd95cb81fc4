// Lighthouse performance of the emulator's sample storefront page with and without the support
// chat app embed (SPEC "Widget": the embed may cost at most 1 point; Shopify's bar for apps is 10).
// Debian's Chromium (CHROME_PATH, default /usr/bin/chromium), Lighthouse's default mobile
// profile with simulated throttling, RUNS alternating runs per variant (default 2), median score.
// Needs no app: the launcher makes no request to it.
//   npx tsx bench/storefront-lighthouse.ts   -> bench/results/storefront-lighthouse.json
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

import { emulatorControl } from "../tests/emulators/shopify/control-client";
import { startShopifyEmulator } from "../tests/emulators/shopify/server";
import { storefrontUrl } from "../tests/emulators/shopify/storefront";

const SHOP = "lighthouse-bench.myshopify.com";
const RUNS = Number(process.env.RUNS ?? 2);

const emulator = await startShopifyEmulator({ apiKey: "bench", apiSecret: "bench-secret", strict: true });
const control = emulatorControl(emulator.url);
await control.createShop({ shop: SHOP, name: "Lighthouse Bench" });
const url = `${storefrontUrl(emulator.url, SHOP)}/`;

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
});

interface Run {
  score: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  transferBytes: number;
  requests: number;
}

async function measure(): Promise<Run> {
  const result = await lighthouse(url, {
    port: chrome.port,
    onlyCategories: ["performance"],
    output: "json",
    logLevel: "error",
  });
  if (!result) throw new Error("lighthouse returned nothing");
  const { lhr } = result;
  const audit = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
  const network = (lhr.audits["network-requests"]?.details as { items?: Array<{ transferSize?: number }> }) ?? {};
  return {
    score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    fcpMs: Math.round(audit("first-contentful-paint")),
    lcpMs: Math.round(audit("largest-contentful-paint")),
    tbtMs: Math.round(audit("total-blocking-time")),
    cls: audit("cumulative-layout-shift"),
    transferBytes: audit("total-byte-weight"),
    requests: network.items?.length ?? 0,
  };
}

const runs: Record<"withEmbed" | "withoutEmbed", Run[]> = { withEmbed: [], withoutEmbed: [] };
try {
  for (let i = 0; i < RUNS; i++) {
    for (const variant of ["withoutEmbed", "withEmbed"] as const) {
      await control.setStorefrontEmbed(SHOP, { enabled: variant === "withEmbed" });
      runs[variant].push(await measure());
    }
  }
} finally {
  chrome.kill();
  await emulator.close();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const summary = (list: Run[]) => ({
  score: median(list.map((r) => r.score)),
  lcpMs: median(list.map((r) => r.lcpMs)),
  tbtMs: median(list.map((r) => r.tbtMs)),
  transferBytes: median(list.map((r) => r.transferBytes)),
});
const withEmbed = summary(runs.withEmbed);
const withoutEmbed = summary(runs.withoutEmbed);
const result = {
  measuredAt: new Date().toISOString(),
  lighthouse: "13.5.0, default mobile profile, simulated throttling",
  runsPerVariant: RUNS,
  withoutEmbed,
  withEmbed,
  scoreChange: withEmbed.score - withoutEmbed.score,
  withinBudget: withoutEmbed.score - withEmbed.score <= 1,
  runs,
};
const out = path.resolve(import.meta.dirname, "results/storefront-lighthouse.json");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.warn(JSON.stringify({ withoutEmbed, withEmbed, scoreChange: result.scoreChange }, null, 2));
