// The storefront widget's weight (SPEC "Widget": <= 2 KB gzipped JS+CSS on first load, <= 6 KB
// in all), measured on the committed assets of extensions/support-chat, gzip level 9.
//   npm run bench:widget   -> bench/results/widget-size.json
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import {
  assetPath,
  FIRST_LOAD_ASSETS,
  FIRST_LOAD_BUDGET,
  gzipBytes,
  LAZY_ASSETS,
  measureCommittedAssets,
  TOTAL_BUDGET,
} from "../scripts/build-widget";

const files = Object.fromEntries(
  [...FIRST_LOAD_ASSETS, ...LAZY_ASSETS].map((asset) => {
    const text = readFileSync(assetPath(asset), "utf8");
    return [asset, { bytes: Buffer.byteLength(text), gzipBytes: gzipBytes(text) }];
  }),
);
const sizes = measureCommittedAssets();
const result = {
  measuredAt: new Date().toISOString(),
  firstLoadGzipBytes: sizes.firstLoadGzipBytes,
  totalGzipBytes: sizes.totalGzipBytes,
  budgets: { firstLoadGzipBytes: FIRST_LOAD_BUDGET, totalGzipBytes: TOTAL_BUDGET },
  withinBudgets: sizes.firstLoadGzipBytes <= FIRST_LOAD_BUDGET && sizes.totalGzipBytes <= TOTAL_BUDGET,
  firstLoadAssets: FIRST_LOAD_ASSETS,
  lazyAssets: LAZY_ASSETS,
  files,
};
const out = path.resolve(import.meta.dirname, "results/widget-size.json");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.warn(JSON.stringify(result, null, 2));
process.exit(result.withinBudgets ? 0 : 1);
