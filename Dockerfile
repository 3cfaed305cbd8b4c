# One image for every service; the SERVICE variable picks which one a container runs.
#   docker build -t gatehouse .
#   docker run -e SERVICE=user -e DATABASE_URL=... -e REDIS_URL=... -e AMQP_URL=... -e INTERNAL_AUTH_KEYS=... gatehouse
# Nothing here names a service or package: a new workspace under packages/, services/ or apps/
# is picked up by the globs below, its data files (migrations, templates, ...) by `COPY . .`,
# its src/ compiled to dist/ by scripts/build.mjs.

# The base: Node.js 24, the current LTS line, on Debian slim. package.json "engines" states the
# supported range (the test suite runs on Node 20 as well).
# Pin it by digest so that every build starts from the same bytes. The digest of the tag today:
#   docker buildx imagetools inspect node:24-trixie-slim --format '{{ .Manifest.Digest }}'
# (or `docker pull node:24-trixie-slim && docker inspect --format '{{ index .RepoDigests 0 }}' node:24-trixie-slim`).
# Put that sha256:<64 hex digits> in NODE_DIGEST below, or pass --build-arg NODE_DIGEST=sha256:...
# in the release build, and let Renovate or Dependabot (docker ecosystem) move it with each Node
# patch release. Left empty, the build takes whatever the tag points to at the time.
ARG NODE_IMAGE=node:24-trixie-slim
ARG NODE_DIGEST=

FROM ${NODE_IMAGE}${NODE_DIGEST:+@${NODE_DIGEST}} AS base

# The manifests only: the root package.json and lock file and every workspace's package.json
# (the same globs as "workspaces" in package.json), at their paths. This stage reruns on any
# change, but its output only changes with a manifest, so the `npm ci` layer below stays cached.
FROM base AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && cp --parents package.json package-lock.json packages/*/package.json services/*/package.json apps/*/package.json /manifests/

# Production dependencies only (no TypeScript, linters or test tools), with npm's workspace
# links (node_modules/@app/* -> ../../services/*, ...).
FROM base AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# Compile (npm run build: each workspace's src/*.ts to dist/*.js) with every dependency
# (TypeScript is a dev dependency), then lay out what runs: the workspaces without src/
# (dist/ replaces it) and without the node_modules of this stage (deps has the production ones).
FROM base AS build
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# The console (apps/console, React + Vite) is built into apps/console/dist by the same script; the
# gateway serves it at /, /auth/*, /account, /admin and /dev/inbox. The image must not ship without it.
RUN node scripts/build.mjs \
 && test -f apps/console/dist/index.html \
 && mkdir /runtime \
 && cp -a package.json packages services apps /runtime/ \
 && rm -rf /runtime/packages/*/src /runtime/services/*/src /runtime/apps/*/src \
           /runtime/packages/*/node_modules /runtime/services/*/node_modules /runtime/apps/*/node_modules \
           /runtime/apps/platform/dist/build.json

FROM base
# PORT: where the service of the container listens (a service started alone otherwise takes a
# free port); the deploy files set each one's own (gateway 8080, user 8081, auth 8082, password
# 8083, otp 8084, email-verification 8085, notification 8086, audit 8087, order 8088; docs/config.md).
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 REQUIRE_EXTERNAL_BACKENDS=true
WORKDIR /app
# node_modules (and any a workspace got of its own), then the compiled workspaces with their data
# files (migrations, templates, the password list). Files stay owned by root: the service cannot
# change its own code, and runs as the unprivileged `node` user (uid 1000), which also suits a
# read-only root filesystem (nothing is written under /app).
COPY --from=deps /app ./
COPY --from=build /runtime ./
USER node
EXPOSE 8080
# Slim images have no curl: a few lines of node ask GET /healthz of PORT (HTTPS when the gateway
# has GATEWAY_TLS_CERT). Kubernetes ignores HEALTHCHECK and uses the chart's probes instead;
# start-period covers the migrations a service applies before it listens.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "apps/platform/dist/healthcheck.js"]
# Plain node on the compiled output: --conditions=gatehouse-dist resolves the workspace packages
# (@app/kit, ...) to their dist/. The other commands run the same way, e.g.
#   docker run ... gatehouse node --conditions=gatehouse-dist apps/platform/dist/main.js migrate
#   docker run ... gatehouse node --conditions=gatehouse-dist apps/platform/dist/admin.js create --email ...
CMD ["node", "--conditions=gatehouse-dist", "apps/platform/dist/main.js"]
