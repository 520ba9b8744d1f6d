#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh machine (Debian's redis-server
# and OpenSSH server for the real-server tests, the npm packages from the lock file), builds, and
# runs every test. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
npx vitest run "$@"
