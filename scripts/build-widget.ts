// Builds the storefront chat widget (extensions/support-chat-src, TypeScript and CSS) into the
// theme app extension's assets/, which is committed because Shopify deploys the folder as it is.
// The sources live outside the extension: `shopify app deploy` refuses a theme app extension with
// files outside assets/, blocks/, locales/ and snippets/ (the CLI's theme extension validation,
// github.com/Shopify/cli packages/app/src/cli/models/extensions/specifications/theme.ts), which
// --check also enforces here.
//   npx tsx scripts/build-widget.ts          write assets/
//   npx tsx scripts/build-widget.ts --check  fail when the committed assets differ from a fresh
//                                            build or break the size budgets (npm test runs it)
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { build } from "esbuild";

const EXTENSION = path.resolve(import.meta.dirname, "../extensions/support-chat");
const SOURCES = path.resolve(import.meta.dirname, "../extensions/support-chat-src");

/** SPEC "Widget": the launcher (first load) <= 2 KB gzipped JS+CSS; everything <= 6 KB. */
export const FIRST_LOAD_BUDGET = 2048;
export const TOTAL_BUDGET = 6144;
/** Loaded by the block after the page's load event on every page; extensions/support-chat-src/launcher.css is built into it. */
export const FIRST_LOAD_ASSETS = ["support-chat.js"];
/** Injected by the launcher on the shopper's first click. */
export const LAZY_ASSETS = ["support-chat-ui.js", "support-chat-ui.css"];

const ENTRIES: Array<{ source: string; asset: string }> = [
  { source: "launcher.ts", asset: "support-chat.js" },
  { source: "ui.ts", asset: "support-chat-ui.js" },
  { source: "ui.css", asset: "support-chat-ui.css" },
];

async function bundle(source: string, define: Record<string, string> = {}): Promise<string> {
  const result = await build({
    entryPoints: [path.join(SOURCES, source)],
    bundle: true,
    minify: true,
    write: false,
    format: source.endsWith(".ts") ? "iife" : undefined,
    target: ["es2020", "chrome90", "safari14", "firefox90"],
    legalComments: "none",
    logLevel: "silent",
    define,
  });
  return (result.outputFiles[0] as { text: string }).text;
}

export async function buildWidget(): Promise<Map<string, string>> {
  // The launcher's CSS, minified, becomes a string constant in the launcher script.
  const launcherCss = (await bundle("launcher.css")).trim();
  const out = new Map<string, string>();
  for (const entry of ENTRIES)
    out.set(entry.asset, await bundle(entry.source, { LAUNCHER_CSS: JSON.stringify(launcherCss) }));
  return out;
}

export const gzipBytes = (text: string) => gzipSync(Buffer.from(text), { level: 9 }).length;

export function assetPath(asset: string) {
  return path.join(EXTENSION, "assets", asset);
}

/** What Shopify's CLI would refuse to deploy: files outside the four folders, or of the wrong type. */
export function deployProblems(): string[] {
  const allowed: Record<string, RegExp> = {
    assets: /\.(jpe?g|js|css|png|svg|json)$/,
    blocks: /\.liquid$/,
    snippets: /\.liquid$/,
    locales: /\.json$/,
  };
  const problems: string[] = [];
  for (const entry of readdirSync(EXTENSION, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const rule = allowed[entry.name];
    for (const file of readdirSync(path.join(EXTENSION, entry.name))) {
      if (!rule) problems.push(`${entry.name}/${file} is outside assets/, blocks/, locales/ and snippets/`);
      else if (!rule.test(file)) problems.push(`${entry.name}/${file} is not a file type Shopify accepts there`);
    }
  }
  return problems;
}

export function measureCommittedAssets() {
  const size = (assets: string[]) => assets.reduce((sum, a) => sum + gzipBytes(readFileSync(assetPath(a), "utf8")), 0);
  const firstLoad = size(FIRST_LOAD_ASSETS);
  return { firstLoadGzipBytes: firstLoad, totalGzipBytes: firstLoad + size(LAZY_ASSETS) };
}

async function main() {
  const check = process.argv.includes("--check");
  const built = await buildWidget();
  const problems: string[] = [];
  for (const [asset, text] of built) {
    if (!check) writeFileSync(assetPath(asset), text);
    else {
      let committed = "";
      try {
        committed = readFileSync(assetPath(asset), "utf8");
      } catch {
        /* missing */
      }
      if (committed !== text) problems.push(`${asset} differs from a fresh build: run npm run build:widget`);
    }
  }
  if (check) problems.push(...deployProblems().map((p) => `extension: ${p} (shopify app deploy would refuse it)`));
  const sizes = measureCommittedAssets();
  if (sizes.firstLoadGzipBytes > FIRST_LOAD_BUDGET)
    problems.push(`first load is ${sizes.firstLoadGzipBytes} B gzipped, over the ${FIRST_LOAD_BUDGET} B budget`);
  if (sizes.totalGzipBytes > TOTAL_BUDGET)
    problems.push(`all assets are ${sizes.totalGzipBytes} B gzipped, over the ${TOTAL_BUDGET} B budget`);
  console.warn(`widget: first load ${sizes.firstLoadGzipBytes} B gzipped, total ${sizes.totalGzipBytes} B gzipped`);
  if (problems.length) {
    for (const problem of problems) console.error(`widget: ${problem}`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await main();
