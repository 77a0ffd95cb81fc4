#!/usr/bin/env bash
# `npm run sandbox`: the whole app on this machine against the local Shopify and LLM emulators.
# Creates .env from .env.example when missing, prepares the database, then runs scripts/sandbox.ts.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A real key exported in the shell wins over the sandbox one in .env: the sandbox then uses OpenAI.
shell_openai_key="${OPENAI_API_KEY:-}"
shell_openai_base="${OPENAI_BASE_URL:-}"

if [ ! -f .env ]; then
  cp .env.example .env
  log "created .env from .env.example (sandbox values)"
fi
set -a
# shellcheck disable=SC1091
source .env
set +a
# The sandbox runs against the local emulators by definition: opt in to their overrides here (and
# for every process sandbox.ts starts), never in .env, so a copied .env cannot send real tokens to them.
export STOREWISE_ALLOW_EMULATORS=1
if [ -n "$shell_openai_key" ] && [ "$shell_openai_key" != "sandbox-openai-key" ]; then
  export OPENAI_API_KEY="$shell_openai_key" SANDBOX_REAL_LLM=1
  if [ -n "$shell_openai_base" ]; then export OPENAI_BASE_URL="$shell_openai_base"; else unset OPENAI_BASE_URL; fi
fi

ensure_node
ensure_dependencies
ensure_services
ensure_database "$DATABASE_URL"
exec node --import tsx scripts/sandbox.ts
