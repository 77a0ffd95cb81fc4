import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["build/**", "node_modules/**", ".tools/**", "extensions/*/assets/**", "bench/results/**", "**/*.tmp.ts"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        setTimeout: "readonly",
        Buffer: "readonly",
      },
    },
  },
  {
    // Routes stay thin: they never talk to the Admin API or the database driver directly.
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "graphql-request", message: "Use the Admin client via a Store in ~/integrations/shopify." },
            { name: "openai", message: "Use the LLM client in ~/integrations/llm." },
            { name: "bullmq", message: "Enqueue through ~/jobs/enqueue.server." },
          ],
        },
      ],
    },
  },
  {
    // Implementations depend on the ports they implement and on nothing above them (decision 001):
    // no use-case, job, route or composition code, so no business rule hides in a client.
    files: ["app/integrations/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["~/services/*", "!~/services/ports", "!~/services/ports/*"],
              message: "Integrations never import services; implement a port from ~/services/ports instead.",
            },
            {
              group: ["~/services/ports/*"],
              allowTypeImports: true,
              message: "Ports are interfaces: import them with `import type`.",
            },
            {
              group: ["~/jobs/*", "~/routes/*", "~/composition.server", "~/webhook-jobs.server", "~/webhooks.server"],
              message: "Integrations sit below jobs, routes and the composition module.",
            },
          ],
        },
      ],
    },
  },
  {
    // Use-cases see the outside world through ports only; the composition module picks the implementations.
    files: ["app/services/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "graphql-request", message: "Talk to the store through a port in ~/services/ports." },
            { name: "openai", message: "Talk to the LLM through the Llm port in ~/services/ports/llm." },
            { name: "~/shopify.server", message: "Services take their dependencies as options." },
            { name: "~/composition.server", message: "Services take their dependencies as options." },
          ],
          patterns: [
            {
              group: ["~/integrations/*"],
              message: "Services depend on ports (~/services/ports), not implementations.",
            },
            { group: ["~/routes/*"], message: "Services never import routes." },
          ],
        },
      ],
    },
  },
);
