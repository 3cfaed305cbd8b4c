# One image for every service; the SERVICE variable picks which one a container runs.
#   docker build -t gatehouse .
#   docker run -e SERVICE=user -e DATABASE_URL=... -e REDIS_URL=... -e AMQP_URL=... -e SERVICE_SECRET=... gatehouse
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/kit/package.json packages/kit/
COPY packages/contracts/package.json packages/contracts/
COPY apps/platform/package.json apps/platform/
COPY services/gateway/package.json services/gateway/
COPY services/user/package.json services/user/
COPY services/auth/package.json services/auth/
COPY services/notification/package.json services/notification/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 REQUIRE_EXTERNAL_BACKENDS=true
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
USER node
# PORT defaults per service (gateway 8080, user 8081, ...); set it to override.
CMD ["node", "--import", "tsx", "apps/platform/src/main.ts"]
