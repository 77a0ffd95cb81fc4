#!/usr/bin/env bash
# `npm run bench [intake|pipeline|memory|insights|orders|vitals|chat|widget|storefront-lighthouse|faults|
# translations|create-to-live]`: prepares its own database and build, then runs the benchmarks (JSON in bench/results).
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
export BENCH_DATABASE_URL="${BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/storewise_bench}"
ensure_node
ensure_dependencies
ensure_services
ensure_database "$BENCH_DATABASE_URL"
# Always rebuild: the benchmarks start the web app from build/, and a build left by an older
# checkout would measure old code.
npx remix vite:build >/dev/null
case "${1:-all}" in
  intake) node --import tsx bench/webhook-intake.ts ;;
  pipeline) node --import tsx bench/pipeline.ts ;;
  memory) node --import tsx bench/worker-memory.ts ;;
  # Rollups seeded straight into the database; no emulators or build needed.
  insights) node --import tsx bench/insights-report.ts ;;
  # Order webhooks end to end (emulator → intake → queue → worker → rollups) and the 60-day backfill.
  orders) node --import tsx bench/orders.ts ;;
  # Every admin page in Chromium against the sandbox's demo shop (LCP, CLS, INP).
  vitals) ensure_chromium && node --import tsx bench/admin-vitals.ts ;;
  # Storefront chat through the real app proxy route (FAQ / order at 200 req/s, max FAQ rate, LLM overhead).
  chat) node --import tsx bench/support-chat.ts ;;
  widget) node --import tsx bench/widget-size.ts ;;
  storefront-lighthouse) ensure_chromium && node --import tsx bench/storefront-lighthouse.ts ;;
  # Copy + translation into fr/de/es with a rate-limited, 1-3 s LLM (BENCH_TR_PRODUCTS=2000 for the full size).
  translations) node --import tsx bench/translations.ts ;;
  # Creation to live in 3 locales while another shop runs a 2,000-product bulk run.
  create-to-live) node --import tsx bench/create-to-live.ts ;;
  # Not part of "all": its default FAULTS_MODE=real restarts the machine's Redis and Postgres.
  faults) node --import tsx bench/faults.ts ;;
  *) node --import tsx bench/webhook-intake.ts && node --import tsx bench/pipeline.ts && node --import tsx bench/worker-memory.ts ;;
esac
