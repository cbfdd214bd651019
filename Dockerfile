# syntax=docker/dockerfile:1.7
# One image for both processes: `serve` (API + web app) and `worker` (background jobs).
# Build from the repo root: docker build -t myfile .

# Node.js 26 "Lithium", the active LTS (20 reached end of life on 2026-04-30). The tag says
# what the digest is; the digest is what is pulled, so a re-pushed tag changes nothing.
# How the digest was chosen and how to move it: docs/deploy.md#the-image.
ARG NODE_IMAGE=node:26-bookworm-slim@sha256:367679cf9792759492a486e4aa4b421764d71a9546a6dae8aab81a99eb797b3e

FROM ${NODE_IMAGE} AS builder
WORKDIR /app
# A digest that is not an LTS release of Node 26 stops the build here, not in production.
RUN node -e "const major = process.versions.node.split('.')[0]; if (major !== '26' || !process.release.lts) { console.error('base image runs Node ' + process.version + ' (lts: ' + process.release.lts + '); expected an LTS release of Node 26'); process.exit(1); }"
COPY . .
RUN npm ci --no-audit --no-fund \
  && npm run build --workspaces --if-present \
  && mkdir -p apps/web/dist /tmp/manifests \
  && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /tmp/manifests/ \;

FROM ${NODE_IMAGE} AS runtime
# V8's young generation grows to 2 x 16 MiB during start and is never given back while idle;
# capped at 2 x 4 MiB, an idle server on PostgreSQL holds about 20 MiB less (docs/reliability.md).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=4 \
    PORT=8080 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/rds-global-bundle.pem
WORKDIR /app
# Amazon RDS certificate authorities, so `sslmode=require` connections verify the server.
# The checksum pins the bundle AWS published in September 2026 (108 certificates): a bundle
# that changed in transit or at the source fails the build instead of changing whom we trust.
ADD --checksum=sha256:e5bb2084ccf45087bda1c9bffdea0eb15ee67f0b91646106e466714f9de3c7e3 --chmod=644 \
  https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
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
# --liftoff-only keeps the embedded database's WebAssembly off TurboFan, whose compiles leave
# 30-110 MiB in malloc arenas; Node 26 reads it only from the command line (docs/reliability.md).
CMD ["node", "--liftoff-only", "apps/server/dist/cli.js", "serve"]
