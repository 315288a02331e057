#!/usr/bin/env bash
# Makes a fresh Debian machine ready to work on this repository: pnpm (the version pinned in package.json)
# and the workspace's dependencies. Idempotent and quick when everything is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pnpm=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$need_pnpm" ]; then
  echo "bootstrap: installing pnpm $need_pnpm" >&2
  npm install --global --no-fund --no-audit "pnpm@$need_pnpm" >/dev/null
fi

# --frozen-lockfile: CI and newcomers get exactly the versions that were tested.
pnpm install --frozen-lockfile --reporter=silent
