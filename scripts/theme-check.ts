// Runs Shopify's theme check (@shopify/theme-check-node, theme-app-extension config) on
// extensions/support-chat and fails on any offense. Works offline: the package ships its docs.
//   npx tsx scripts/theme-check.ts
import path from "node:path";

import { check } from "@shopify/theme-check-node";

const root = path.resolve(import.meta.dirname, "../extensions/support-chat");
const offenses = await check(root, path.join(root, ".theme-check.yml"));
for (const offense of offenses) {
  const file = offense.uri.replace(/^file:\/\//, "");
  console.error(
    `${path.relative(process.cwd(), file)}:${offense.start.line + 1}: [${offense.check}] ${offense.message}`,
  );
}
console.warn(`theme check: ${offenses.length} offense(s) in extensions/support-chat`);
process.exit(offenses.length ? 1 : 0);
