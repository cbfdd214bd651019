# syntax=docker/dockerfile:1
# One image for both processes: `serve` (API + web app) and `worker` (background jobs).
# Build from the repo root: docker build -t myfile .

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS builder
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund \
  && npm run build --workspaces --if-present \
  && mkdir -p apps/web/dist /tmp/manifests \
  && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /tmp/manifests/ \;

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/rds-global-bundle.pem
WORKDIR /app
# Amazon RDS certificate authorities, so `sslmode=require` connections verify the server.
ADD --chmod=644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
# Every workspace manifest, so `npm ci` sees the same workspace tree as the lockfile.
COPY --from=builder /tmp/manifests/ ./
COPY --from=builder /app/package-lock.json /app/.npmrc ./
RUN npm ci --omit=dev --workspace apps/server --no-audit --no-fund \
  && npm cache clean --force \
  && mkdir -p /app/data \
  && chown node:node /app/data
COPY --from=builder /app/apps/server/dist ./apps/server/dist
COPY --from=builder /app/apps/web/dist ./apps/web/dist

USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "apps/server/dist/cli.js", "serve"]
