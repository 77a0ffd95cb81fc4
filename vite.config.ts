import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// Every Remix v3 future flag is on, so the move to React Router 7 stays mechanical.
export default defineConfig({
  server: {
    port: Number(process.env.PORT || 3000),
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: true,
      },
    }),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  // Browser dependencies are bundled when the dev server starts: one found on the first page load
  // makes Vite re-bundle and reload mid-render (a blank frame and a second React on first visit).
  // Vite's start-up scan follows only its entries, which Remix leaves at the client entry, so
  // every route is an entry: whatever a page imports (Polaris, the insights charts, the review
  // page's sanitize-html) is found before the first visit, not during it.
  optimizeDeps: {
    entries: ["app/root.tsx", "app/routes/**/*.tsx"],
    include: ["@shopify/app-bridge-react", "@shopify/polaris", "sanitize-html", "diff"],
  },
}) satisfies UserConfig;
