# One image for every service; the SERVICE variable picks which one a container runs.
#   docker build -t gatehouse .
#   docker run -e SERVICE=user -e PORT=8081 -e DATABASE_URL=... -e REDIS_URL=... -e AMQP_URL=... -e SERVICE_SECRET=... gatehouse
# Nothing here names a service or package: a new workspace under packages/, services/ or apps/
# is picked up by the globs below, its data files (migrations, templates, ...) by `COPY . .`,
# its src/ compiled to dist/ by scripts/build.mjs.

# The manifests only: the root package.json and lock file and every workspace's package.json
# (the same globs as "workspaces" in package.json), at their paths. This stage reruns on any
# change, but its output only changes with a manifest, so the `npm ci` layer below stays cached.
FROM node:20-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && cp --parents package.json package-lock.json packages/*/package.json services/*/package.json apps/*/package.json /manifests/

# Production dependencies, with npm's workspace links (node_modules/@app/* -> ../../services/*, ...).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# Compile (npm run build: each workspace's src/*.ts to dist/*.js) with every dependency
# (TypeScript is a dev dependency), then lay out what runs: the workspaces without src/
# (dist/ replaces it) and without the node_modules of this stage (deps has the production ones).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs \
 && mkdir /runtime \
 && cp -a package.json packages services apps /runtime/ \
 && rm -rf /runtime/packages/*/src /runtime/services/*/src /runtime/apps/*/src \
           /runtime/packages/*/node_modules /runtime/services/*/node_modules /runtime/apps/*/node_modules \
           /runtime/apps/platform/dist/build.json

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 REQUIRE_EXTERNAL_BACKENDS=true
WORKDIR /app
# node_modules (and any a workspace got of its own), then the compiled workspaces with their data
# files (migrations, templates, the password list). Files stay owned by root: the service cannot
# change its own code, and runs as the unprivileged `node` user (uid 1000).
COPY --from=deps /app ./
COPY --from=build /runtime ./
USER node
# Set PORT: a service started alone listens on PORT, and PORT defaults to 0 (a free port).
# The deploy files use gateway 8080, user 8081, auth 8082, password 8083, otp 8084,
# email-verification 8085, notification 8086, audit 8087, order 8088 (docs/config.md).
# Plain node on the compiled output: --conditions=gatehouse-dist resolves the workspace packages
# (@app/kit, ...) to their dist/. The other commands run the same way, e.g.
#   docker run ... gatehouse node --conditions=gatehouse-dist apps/platform/dist/main.js migrate
#   docker run ... gatehouse node --conditions=gatehouse-dist apps/platform/dist/admin.js create --email ...
CMD ["node", "--conditions=gatehouse-dist", "apps/platform/dist/main.js"]
