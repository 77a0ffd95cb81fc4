// Imported first by benchmarks that load the app's own modules (prisma, Redis): they must open the
// benchmark's database and Redis, never a developer's sandbox or the test suite's, and the app's
// env parser needs the test app's credentials (the emulators sign with the same pair).
import { TEST_API_KEY, TEST_API_SECRET } from "../tests/support/test-env";
import { DATABASE_URL, REDIS_URL } from "./support";

Object.assign(process.env, {
  NODE_ENV: "test",
  DATABASE_URL,
  REDIS_URL,
  SHOPIFY_API_KEY: TEST_API_KEY,
  SHOPIFY_API_SECRET: TEST_API_SECRET,
  SHOPIFY_APP_URL: "http://127.0.0.1",
  OPENAI_API_KEY: "bench-openai-key",
  STOREWISE_ALLOW_EMULATORS: "1",
});
