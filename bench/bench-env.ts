// Imported first by benchmarks that load the app's own modules (prisma, Redis): they must open the
// benchmark's database and Redis, never a developer's sandbox or the test suite's, and the app's
// env parser needs the test app's credentials (the emulators sign with the same pair).
Object.assign(process.env, {
  NODE_ENV: "test",
  DATABASE_URL: process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/storewise_bench",
  REDIS_URL: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/2",
  SHOPIFY_API_KEY: "storewise-test-api-key",
  SHOPIFY_API_SECRET: "storewise-test-api-secret",
  SHOPIFY_APP_URL: "http://127.0.0.1",
  OPENAI_API_KEY: "bench-openai-key",
  STOREWISE_ALLOW_EMULATORS: "1",
});
