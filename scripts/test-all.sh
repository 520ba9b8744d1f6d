#!/usr/bin/env bash
# `npm run test:all`: the same as the README's test command (scripts/test.sh): installs the real
# servers the adapter tests need, builds, runs every test. Extra arguments go to vitest.
set -euo pipefail
exec bash "$(dirname "$0")/test.sh" "$@"
