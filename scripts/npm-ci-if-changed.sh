#!/usr/bin/env bash
# `npm ci` only when package-lock.json or Node changed since the last one (it takes a minute or two and
# rebuilds the native modules); the stamp lives in node_modules, so a fresh clone always installs.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.boxlab-npm-ci
want="$(sha256sum package-lock.json | cut -d' ' -f1) node-$(node --version)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "installing npm packages (npm ci: a minute or two, native modules compile)..."
  npm ci --no-audit --no-fund
  echo "$want" >"$stamp"
fi
