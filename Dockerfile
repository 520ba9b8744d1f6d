# s321 image: one image for every role (serve, worker ingest|aggregate|emit, api, replay, report).
# Build: docker build -t s321 .    Run: docker compose -f docs/deploy/compose.yaml up (docs/operations.md)
# Checked by scripts/docker-check.sh (builds it where Docker runs; otherwise checks what it can).

# --- build: compile TypeScript with the dev dependencies, then keep only the runtime ones ---------
FROM node:20-bookworm-slim AS build
# better-sqlite3 and cpu-features compile from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY types ./types
COPY schemas ./schemas
COPY src ./src
COPY workers ./workers
COPY bench ./bench
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

# --- runtime: the compiled build, its runtime dependencies, a user without privileges ------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /opt/s321
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY schemas ./schemas
COPY config/currency-rates.json ./config/currency-rates.json
# The service's data (inbox, archive, acks, outbound, state) lives in a volume owned by this user.
RUN groupadd --system s321 \
 && useradd --system --gid s321 --home-dir /var/lib/s321 --shell /usr/sbin/nologin s321 \
 && mkdir -p /var/lib/s321 /etc/s321 \
 && chown s321:s321 /var/lib/s321
USER s321
VOLUME ["/var/lib/s321"]
# serve's HTTP listener (API, /metrics, /healthz, /readyz, /admin/queues).
EXPOSE 8321
ENTRYPOINT ["node", "/opt/s321/dist/src/cli/main.js"]
CMD ["--help"]
