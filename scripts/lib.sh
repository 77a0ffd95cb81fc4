#!/usr/bin/env bash
# Shared set-up steps for the sandbox, the tests and CI. Each step is idempotent and quick when
# there is nothing to do, so every entry point can run all of them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\033[1;34m[storewise]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[storewise]\033[0m %s\n' "$*" >&2; exit 1; }

ensure_node() {
  # shellcheck source=ensure-node.sh
  source "$ROOT/scripts/ensure-node.sh"
  log "node $(node -v)"
}

ensure_dependencies() {
  local stamp="node_modules/.storewise-installed"
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    log "installing npm dependencies"
    # Not `npm ci`: npm 11 leaves other platforms' optional packages out of the lock file and
    # then calls it out of sync. `npm install` honours the lock just the same.
    npm install --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
}

# PostgreSQL and Redis must answer; when they are installed here but stopped, start them.
ensure_services() {
  local db_url="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/storewise}"
  local redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
  node scripts/wait-for-services.mjs "$db_url" "$redis_url" 1 2>/dev/null && return 0
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    log "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start 2>/dev/null || true
  fi
  if command -v redis-server >/dev/null 2>&1 && ! (redis-cli -u "$redis_url" ping >/dev/null 2>&1); then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null 2>&1 || true
  fi
  node scripts/wait-for-services.mjs "$db_url" "$redis_url" 20 ||
    die "PostgreSQL ($db_url) or Redis ($redis_url) is not reachable; start them and try again"
}

# Creates the database when missing, then applies migrations (offline Prisma, see docs/decisions).
ensure_database() {
  local url="$1"
  DATABASE_URL="$url" node scripts/create-database.mjs
  DATABASE_URL="$url" npx prisma migrate deploy >/dev/null
  log "database ready: ${url##*/}"
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian's chromium for browser tests"
    (apt-get install -y -qq chromium >/dev/null 2>&1) || (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1) ||
      die "could not install chromium; install it (apt-get install chromium) and try again"
  else
    die "browser tests need Chromium at /usr/bin/chromium (apt-get install chromium)"
  fi
}
