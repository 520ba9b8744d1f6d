#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh machine (Debian's redis-server
# and OpenSSH server for the real-server tests, the npm packages exactly as the lock file pins them),
# builds, lints, checks the layers' import graph, and runs every test. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
# `npm ci`: the lock file as committed, or a clear failure when package.json and the lock disagree.
# The lock holds every platform's optional packages (biome, msgpackr-extract); regenerate it with
# `bash scripts/relock.sh` after changing dependencies, not with a plain `npm install`.
npm ci --no-audit --no-fund
npm run build
npx biome lint src test workers bench scripts
npx depcruise src workers --config .dependency-cruiser.mjs   # the layers' import graph (test/architecture too)
npx tsc -p test/tsconfig.json   # the tests are type-checked too (vitest strips types without checking)
npx vitest run "$@"
