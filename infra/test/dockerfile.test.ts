import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../lib/paths.js';

// hadolint is not installable here (not in Debian; no Docker engine): these are the
// properties of the image that matter, checked on the Dockerfile itself.
const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const stages = instructions.filter((line) => line.startsWith('FROM '));
const runtime = instructions.slice(instructions.lastIndexOf(stages.at(-1) ?? ''));

const nodeMajor = readFileSync(join(repoRoot, '.nvmrc'), 'utf8').trim();

describe('Dockerfile', () => {
  it('is multi-stage from the LTS Node image of .nvmrc, pinned by digest', () => {
    expect(stages).toHaveLength(2);
    const base = instructions.find((line) => line.startsWith('ARG NODE_IMAGE='));
    expect(base).toMatch(
      new RegExp(
        `^ARG NODE_IMAGE=node:${nodeMajor}(\\.\\d+\\.\\d+)?-bookworm-slim@sha256:[0-9a-f]{64}$`,
      ),
    );
    expect(stages.every((line) => line.startsWith('FROM ${NODE_IMAGE}'))).toBe(true);
  });

  it('refuses to build on a base image that is not an LTS release of that major', () => {
    const builder = instructions.slice(0, instructions.indexOf(stages[1] ?? ''));
    const check = builder.find((line) => line.includes('process.release.lts'));
    expect(check).toContain(`major !== '${nodeMajor}'`);
    expect(builder.indexOf(check ?? '')).toBeLessThan(
      builder.findIndex((line) => line.includes('npm ci')),
    );
  });

  it('verifies the Amazon RDS CA bundle by checksum', () => {
    const add = runtime.find((line) => line.startsWith('ADD '));
    expect(add).toMatch(/^ADD --checksum=sha256:[0-9a-f]{64} /);
    expect(add).toMatch(
      /https:\/\/truststore\.pki\.rds\.amazonaws\.com\/global\/global-bundle\.pem /,
    );
    expect(runtime.join('\n')).toContain(
      'NODE_EXTRA_CA_CERTS=/etc/ssl/certs/rds-global-bundle.pem',
    );
  });

  it('builds in the builder stage and installs only production dependencies at runtime', () => {
    const builder = instructions.slice(0, instructions.indexOf(stages[1] ?? ''));
    expect(builder.join('\n')).toMatch(/npm ci\b/);
    expect(builder.join('\n')).toMatch(/npm run build/);
    expect(runtime.join('\n')).toMatch(/npm ci --omit=dev/);
    expect(runtime).toContain('COPY --from=builder /app/apps/server/dist ./apps/server/dist');
    expect(runtime).toContain('COPY --from=builder /app/apps/web/dist ./apps/web/dist');
  });

  it('runs as a non-root user', () => {
    const users = runtime.filter((line) => line.startsWith('USER '));
    expect(users.at(-1)).toBe('USER node');
    expect(runtime.indexOf(users.at(-1) ?? '')).toBeLessThan(
      runtime.findIndex((line) => line.startsWith('CMD ')),
    );
  });

  it('serves by default on 8080 with a health check', () => {
    expect(runtime).toContain('CMD ["node", "--liftoff-only", "apps/server/dist/cli.js", "serve"]');
    expect(runtime).toContain('EXPOSE 8080');
    expect(runtime.find((line) => line.startsWith('HEALTHCHECK'))).toMatch(/\/healthz/);
  });

  it("caps V8's young generation, which an idle server otherwise keeps at its start's size", () => {
    expect(runtime.join('\n')).toContain('NODE_OPTIONS=--max-semi-space-size=4');
  });

  it('keeps local state, dependencies and secrets out of the build context', () => {
    for (const entry of ['.git', '**/node_modules', '**/dist', '.env', 'data']) {
      expect(dockerignore.split('\n')).toContain(entry);
    }
  });
});
