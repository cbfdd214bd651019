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

describe('Dockerfile', () => {
  it('is multi-stage from a pinned Node 20 image', () => {
    expect(stages).toHaveLength(2);
    const base = instructions.find((line) => line.startsWith('ARG NODE_IMAGE='));
    expect(base).toMatch(/^ARG NODE_IMAGE=node:20\.\d+\.\d+-[a-z]+-slim$/);
    expect(stages.every((line) => line.startsWith('FROM ${NODE_IMAGE}'))).toBe(true);
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
    expect(runtime).toContain('CMD ["node", "apps/server/dist/cli.js", "serve"]');
    expect(runtime).toContain('EXPOSE 8080');
    expect(runtime.find((line) => line.startsWith('HEALTHCHECK'))).toMatch(/\/healthz/);
  });

  it('keeps local state, dependencies and secrets out of the build context', () => {
    for (const entry of ['.git', '**/node_modules', '**/dist', '.env', 'data']) {
      expect(dockerignore.split('\n')).toContain(entry);
    }
  });
});
