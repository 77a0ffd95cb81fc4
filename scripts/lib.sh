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
  if [ ! -d node_modules ]; then
    # A fresh clone installs exactly the committed lock file, as Docker builds and CI do.
    log "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error ||
      die "npm ci refused package-lock.json; see 'Updating dependencies' in README.md"
    touch "$stamp"
  elif [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
    # An existing install is brought up to date in place (quicker than ci's fresh node_modules).
    log "updating npm dependencies"
    npm install --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
}

# Fails when `npm ci` would refuse the lock file (out of sync with package.json, or missing another
# platform's optional package such as @msgpackr-extract/*). Takes about a second; installs nothing.
check_lock_file() {
  local report
  report="$(npm ci --dry-run --ignore-scripts --no-audit --no-fund --loglevel=error 2>&1 >/dev/null)" || {
    # npm's reason, without the usage text it prints after it.
    printf '%s\n' "$report" | sed '/Clean install a project/,$d' >&2
    die "npm ci would refuse package-lock.json; see 'Updating dependencies' in README.md"
  }
}

# The one command that starts both services when this machine cannot install them itself.
COMPOSE_HINT="docker compose up -d --wait postgres redis"

# Whether each URL answers ("-" skips one).
services_answer() { node scripts/wait-for-services.mjs "$1" "$2" "${3:-1}" 2>/dev/null; }

is_local_url() {
  local host
  host="$(node -e 'console.log(new URL(process.argv[1]).hostname)' "$1")"
  [ "$host" = "127.0.0.1" ] || [ "$host" = "localhost" ] || [ "$host" = "[::1]" ]
}

can_apt_install() { [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  (apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1) ||
    (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1)
}

# Debian's PostgreSQL clusters live under /etc/postgresql/<version>/main (PG_ETC: for the tests).
PG_ETC="${PG_ETC:-/etc/postgresql}"
postgres_cluster() { ls "$PG_ETC" 2>/dev/null | sort -V | tail -n1; }

# Debian's package creates a cluster that wants a password on 127.0.0.1. The app connects as
# postgres without one (as on the project's machines, and in docker-compose.yml), so the cluster
# this script installed trusts local TCP connections for that user.
trust_local_postgres() {
  local hba="$PG_ETC/$1/main/pg_hba.conf"
  [ -f "$hba" ] || return 0
  grep -q '^host all postgres 127.0.0.1/32 trust' "$hba" && return 0
  printf 'host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n' | cat - "$hba" >"$hba.storewise" &&
    cat "$hba.storewise" >"$hba" && rm -f "$hba.storewise"
  log "PostgreSQL $1: user postgres may connect from 127.0.0.1 without a password (development machine)"
}

start_postgres() {
  local version
  version="$(postgres_cluster)"
  [ -n "$version" ] || return 1
  log "starting PostgreSQL $version"
  # Already running (Debian's package may start it): reload, so a pg_hba.conf change applies.
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 ||
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload >/dev/null 2>&1 || true
}

start_redis() {
  log "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null 2>&1 || true
}

services_missing() {
  die "$1
  Start both with Docker:   $COMPOSE_HINT
  or install them (Debian): apt-get install postgresql redis-server   (then run this command again)"
}

# PostgreSQL and Redis must answer. When they are installed here but stopped, start them; when
# they are missing and this is a Debian-like machine where we are root, install Debian's packages
# (as ensure_chromium does); otherwise say how to start both with docker compose.
ensure_services() {
  local db_url="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/storewise}"
  local redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
  services_answer "$db_url" "$redis_url" && return 0

  if ! services_answer "$db_url" -; then
    is_local_url "$db_url" || die "PostgreSQL at $db_url is not reachable"
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(postgres_cluster)" ]; then
      can_apt_install || services_missing "PostgreSQL is not installed on this machine."
      log "installing Debian's postgresql"
      apt_install postgresql || services_missing "could not install PostgreSQL with apt-get."
      trust_local_postgres "$(postgres_cluster)"
    fi
    start_postgres || services_missing "PostgreSQL is installed but has no cluster in $PG_ETC."
  fi

  if ! services_answer - "$redis_url"; then
    is_local_url "$redis_url" || die "Redis at $redis_url is not reachable"
    if ! command -v redis-server >/dev/null 2>&1; then
      can_apt_install || services_missing "Redis is not installed on this machine."
      log "installing Debian's redis-server"
      apt_install redis-server || services_missing "could not install Redis with apt-get."
    fi
    # Debian's package may have started it already.
    services_answer - "$redis_url" 3 || start_redis
  fi

  node scripts/wait-for-services.mjs "$db_url" "$redis_url" "${SERVICES_WAIT_SECONDS:-20}" ||
    services_missing "PostgreSQL ($db_url) or Redis ($redis_url) did not come up."
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
