#!/usr/bin/env bash
# The full test suite from a fresh machine: installs, prepares a separate test database and Redis
# db, checks the lock file, typechecks, lints (the layering's import bans are lint rules), checks
# formatting, builds, then runs the integration tests and the browser tests.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export NODE_ENV=test
export DATABASE_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/storewise_test}"
export REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/1}"

ensure_node
ensure_dependencies
log "lock file (npm ci accepts it)"
check_lock_file
ensure_services
ensure_database "$DATABASE_URL"
ensure_chromium

log "generated GraphQL types"
npx tsx scripts/graphql-codegen.ts --check
log "storefront widget: committed assets = a fresh build, gzip budgets, Shopify theme check"
npx tsx scripts/build-widget.ts --check
npx tsx scripts/theme-check.ts
log "typecheck"
npx tsc --noEmit
log "lint"
npx eslint .
log "format"
npx prettier --check . --log-level warn || die "the files listed above are not formatted: run npm run format"
log "build"
npx remix vite:build >/dev/null
log "integration tests"
npx vitest run "$@"
log "browser tests"
npx vitest run --config vitest.e2e.config.ts
