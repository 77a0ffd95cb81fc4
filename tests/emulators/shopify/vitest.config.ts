// Runs the Shopify emulator's own tests without the app stack (no Postgres, Redis or app build),
// which the root config's global setup needs:
//   npx vitest run --config tests/emulators/shopify/vitest.config.ts
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: fileURLToPath(new URL("../../..", import.meta.url)),
  test: {
    include: ["tests/emulators/shopify/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
