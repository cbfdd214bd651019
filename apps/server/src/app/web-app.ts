import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Where `vite build` put the web app. The server runs from src/ (tests) or dist/ (bundle),
 * at different depths below apps/server, so look upwards for apps/web/dist.
 */
export const findWebDir = (): string | undefined => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const candidate = path.join(dir, 'web', 'dist');
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
};

/**
 * CSP sources for the inline scripts of the built index.html (it starts the first API requests
 * before the bundle arrives): each allowed by its hash, so no other inline script can run.
 */
export const inlineScriptHashes = async (webDir: string): Promise<string[]> => {
  const html = await readFile(path.join(webDir, 'index.html'), 'utf8');
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    ([, body = '']) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`,
  );
};

/** Deep links such as /folders/:id are the SPA's routes: answer them with index.html. */
export const isSpaRoute = (request: FastifyRequest) =>
  (request.method === 'GET' || request.method === 'HEAD') &&
  !request.url.startsWith('/api/') &&
  request.url !== '/api' &&
  !/\.[a-z0-9]+$/i.test(request.url.split('?')[0] ?? '') &&
  (request.headers.accept ?? '').includes('text/html');

export const registerWebApp = async (app: FastifyInstance, webDir: string) => {
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: false,
    index: false,
    // The build writes .br and .gz beside each asset: sent as they are, never re-compressed.
    preCompressed: true,
    setHeaders: (response, filePath) => {
      // Vite fingerprints everything under assets/, so it never changes under the same name.
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
      response.header(
        'cache-control',
        immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));
};

export const sendIndex = (reply: FastifyReply) =>
  reply.header('cache-control', 'no-cache').sendFile('index.html');
