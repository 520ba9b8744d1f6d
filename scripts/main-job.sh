#!/usr/bin/env bash
# The README's main-job command: the embedded default (one process, SQLite, no Redis) replaying the
# shipped certification fixtures, then the per-person-day report. Outputs go to ./out (fresh each run).
set -euo pipefail
cd "$(dirname "$0")/.."
# `npm ci` from the lock file (it holds every platform's optional packages: scripts/relock.sh), and
# only when node_modules is missing or older than the lock; a plain `npm install` would rewrite the lock.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build >/dev/null
rm -rf out && mkdir -p out
status=0
node dist/src/cli/main.js replay fixtures/replay --db out/s321.db --out out --now 2025-06-10T18:00 --rates config/currency-rates.json --dialect QUICKAIR=s321-companion || status=$?
echo
echo "== exceeded person-days (s321 report --db out/s321.db --exceeded)"
node dist/src/cli/main.js report --db out/s321.db --exceeded
echo
echo "== decisions (out/decisions.jsonl)"
if [ -f out/decisions.jsonl ]; then
  node -e 'for (const l of require("fs").readFileSync("out/decisions.jsonl","utf8").trim().split("\n")) { const d = JSON.parse(l); console.log([d.day, d.bill, d.channel, d.code, d.role, d.recipient].join("  ")); }'
fi
echo
echo "== outbound files (out/outbound/)"
ls out/outbound
# Exit 2 means some input was rejected on purpose (the fixtures include malformed interchanges; see out/quarantine).
exit $([ "$status" = 2 ] && echo 0 || echo "$status")
