#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh machine (Debian's redis-server
# and OpenSSH server for the real-server tests, the npm packages from the lock file), builds, and
# runs every test. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
# `npm install` from the lock file, not `npm ci`: npm 11 here writes lock files without the other
# platforms' optional packages (biome, msgpackr-extract), which `npm ci` then refuses as out of sync.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
npm run build
npx tsc -p test/tsconfig.json   # the tests are type-checked too (vitest strips types without checking)
npx vitest run "$@"
