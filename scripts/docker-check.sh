#!/usr/bin/env bash
# Checks the deployment files (Dockerfile, docs/deploy/compose.yaml, docs/deploy/*.service):
#  - always, without Docker: scripts/docker-check.ts (COPY paths exist, non-root user, compose parses,
#    every s321 command and option in compose and the units is one the CLI has, …);
#  - where a Docker daemon answers: builds the image, and validates the compose file with
#    `docker compose config` when the compose plugin is there.
# Usage: bash scripts/docker-check.sh [ROOT]   (S321_DOCKER_CHECK_STATIC_ONLY=1 skips the build)
set -euo pipefail
cd "$(dirname "$0")/.."
root="${1:-.}"
[ -f dist/scripts/docker-check.js ] || npm run build >/dev/null
status=0
node dist/scripts/docker-check.js "$root" || status=1
if [ "${S321_DOCKER_CHECK_STATIC_ONLY:-}" = 1 ]; then
  echo "docker-check: static checks only (S321_DOCKER_CHECK_STATIC_ONLY=1)"
elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  docker build -t s321:check "$root" || status=1
  if docker compose version >/dev/null 2>&1; then
    S321_REDIS_PASSWORD=check-only docker compose -f "$root/docs/deploy/compose.yaml" config -q || status=1
  else
    echo "docker-check: no compose plugin: compose file checked statically only"
  fi
else
  echo "docker-check: no Docker daemon answers here: image not built (static checks only)"
fi
exit "$status"
