# syntax=docker/dockerfile:1
# Frontline api and worker (one image, two commands; see docker-compose.yml).
#   tools:   all dependencies, sources and the build; runs migrations and the seed (tsx)
#   runtime: the same tree with dev dependencies pruned; runs dist/apps/{api,worker}
# Decision and trade-offs: docs/decisions/0002-local-services-provisioning.md.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS tools
WORKDIR /app
# Dependencies first, so editing sources does not reinstall them. The helper runs `npm ci`, with
# one narrow fallback for locks that lack other platforms' optional packages (see the script).
COPY package.json package-lock.json .npmrc ./
COPY scripts/lib/provision.mjs scripts/lib/provision.mjs
RUN node scripts/lib/provision.mjs npm-ci
COPY . .
RUN npm run build \
 && test -f dist/apps/api/apps/api/src/main.js \
 && test -f dist/apps/worker/apps/worker/src/main.js \
 && test -f apps/console/dist/index.html

FROM tools AS pruned
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    FRONTLINE_SKIP_DOTENV=1
WORKDIR /app
COPY --from=pruned /app /app
USER node
EXPOSE 3000 3001
CMD ["node", "--enable-source-maps", "dist/apps/api/apps/api/src/main.js"]
