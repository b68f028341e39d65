# syntax=docker/dockerfile:1
# One image for every Cairn process. The default command runs services/lrs; override it to run the
# others:
#   node services/reports/dist/main.js
#   node workers/aggregator/dist/main.js
# Configuration comes from environment variables only (docs/configuration.md).

ARG NODE_IMAGE=node:20-bookworm-slim

# Manifests only, so that the dependency layers are rebuilt when package-lock.json or a
# workspace's package.json changes, not on every source edit.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
RUN node -e "const [a, b] = process.versions.node.split('.').map(Number); \
  if (a < 20 || (a === 20 && b < 19)) { console.error('Cairn needs Node 20.19 or newer, this image has ' + process.versions.node); process.exit(1); }"
COPY package.json package-lock.json ./
COPY packages/config/package.json packages/config/
COPY packages/xapi/package.json packages/xapi/
COPY packages/jobs/package.json packages/jobs/
COPY packages/analytics/package.json packages/analytics/
COPY packages/store/package.json packages/store/
COPY packages/auth/package.json packages/auth/
COPY packages/http/package.json packages/http/
COPY packages/dashboard/package.json packages/dashboard/
COPY packages/simulate/package.json packages/simulate/
COPY services/lrs/package.json services/lrs/
COPY services/reports/package.json services/reports/
COPY workers/aggregator/package.json workers/aggregator/

# Every dependency, the sources, and the TypeScript build. The three apps' project references
# reach every other package; the simulator is built too, so that the image can load-test a
# deployment (`node packages/simulate/dist/main.js --post ...`).
FROM manifests AS build
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY packages/ packages/
COPY services/ services/
COPY workers/ workers/
RUN npx tsc -b services/lrs services/reports workers/aggregator packages/simulate
# The dashboard's front-end, bundled into packages/dashboard/dist (served by services/reports).
RUN node packages/dashboard/build.mjs

# Production dependencies and the compiled output; no sources, no compiler, no dev tools.
# Files stay owned by root, so the process (user node) cannot change its own code.
FROM manifests AS runtime
ENV NODE_ENV=production
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/packages/config/dist packages/config/dist
COPY --from=build /app/packages/xapi/dist packages/xapi/dist
COPY --from=build /app/packages/jobs/dist packages/jobs/dist
COPY --from=build /app/packages/analytics/dist packages/analytics/dist
COPY --from=build /app/packages/store/dist packages/store/dist
COPY --from=build /app/packages/auth/dist packages/auth/dist
COPY --from=build /app/packages/http/dist packages/http/dist
COPY --from=build /app/packages/dashboard/dist packages/dashboard/dist
COPY --from=build /app/packages/simulate/dist packages/simulate/dist
COPY --from=build /app/services/lrs/dist services/lrs/dist
COPY --from=build /app/services/reports/dist services/reports/dist
COPY --from=build /app/workers/aggregator/dist workers/aggregator/dist
LABEL org.opencontainers.image.title="cairn" \
      org.opencontainers.image.description="Cairn: an xAPI Learning Record Store with a skill-growth analytics pipeline" \
      org.opencontainers.image.licenses="Apache-2.0"
USER node
# services/lrs listens on 8080, services/reports on 8081 (CAIRN_LRS_PORT, CAIRN_REPORTS_PORT).
EXPOSE 8080 8081
CMD ["node", "services/lrs/dist/main.js"]
