import { ApiVersion } from "@shopify/shopify-api";

/**
 * The one Admin API version the app speaks. shopify.app.toml, the library config and the
 * Admin client all use it; tests/config.test.ts fails if the toml drifts from it.
 */
export const ADMIN_API_VERSION = ApiVersion.October26;
