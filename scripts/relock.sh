#!/usr/bin/env bash
# Regenerates package-lock.json from package.json for every platform. npm 11 run in a tree that has
# node_modules writes only this machine's optional packages (biome's and msgpackr-extract's native
# builds), and `npm ci` on any other platform — or on this one, which checks all of them — then
# refuses the lock as out of sync. Resolving without node_modules keeps all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json package-lock.json "$work/"
(cd "$work" && npm install --package-lock-only --no-audit --no-fund --ignore-scripts)
cp "$work/package-lock.json" package-lock.json
