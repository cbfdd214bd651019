import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { Bench, BenchRow } from './bench.types.js';
import { createPersonalToken } from '../apps/server/src/modules/auth/auth.test-utils.js';
import { createFolder } from '../apps/server/src/modules/folders/folders.usecases.js';
import { userActor } from '../apps/server/src/modules/access/access.models.js';
import { toFilesDeps } from '../apps/server/src/modules/nodes/nodes.usecases.js';
import { fillLargeFolder } from '../apps/server/src/test-support/files-bench-support.js';
import { startBareUploadServer } from './files-small-uploads.bench.js';
import { startUploadFloorServer } from '../apps/server/src/test-support/upload-floor-bench-support.js';
import { onEachBenchDatabase, type BenchApp } from './files.bench-utils.js';
import { multipartParts } from './http-client.js';
import { generateLoad, type LoadOptions, type LoadResult } from './load-generator.js';

/** The ceiling: Fastify answering `{"hello":"world"}`, in this process like the API. */
const startHello = async () => {
  const app = Fastify();
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('The hello server has no port.');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => app.close() };
};

/** A 1 KiB multipart upload whose file name autocannon makes unique per request. */
const writeUploadBody = async (dir: string) => {
  const { contentType, head, tail } = multipartParts('small-[<id>].bin');
  const file = join(dir, 'upload-body');
  // Text, not random bytes: the load generator sends the body as a string.
  const content = Buffer.from(randomBytes(768).toString('base64'));
  await writeFile(file, Buffer.concat([head, content, tail]));
  return { file, contentType };
};

/**
 * `BENCH_CASES=me,listing` runs only the cases whose names hold one of these words (`me`,
 * `listing`, `uploads`). Fastify hello world always runs, so ratios stay against the same run;
 * the bare upload server runs with the uploads only.
 */
const chosenCases = (process.env.BENCH_CASES ?? '')
  .split(',')
  .map((word) => word.trim().toLowerCase())
  .filter(Boolean);
const runsCase = (kind: 'me' | 'listing' | 'uploads') =>
  chosenCases.length === 0 || chosenCases.includes(kind);

export const bench: Bench = {
  name: 'requests per second: auth/me, a 50-row listing and 1 KiB uploads (the API logging a line per request) vs Fastify hello world, a bare server and the upload floor (autocannon)',
  run: async () => {
    const seconds = Number(process.env.BENCH_SECONDS ?? 5);
    const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
    const rows: BenchRow[] = [];
    const dir = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'request-rate-'));
    const load = (options: Omit<LoadOptions, 'connections'> & { connections?: number }) =>
      generateLoad({ seconds, ...options, connections: options.connections ?? connections });
    const row = (name: string, result: LoadResult, baseline?: LoadResult) =>
      rows.push({
        case: name,
        'req/s': Math.round(result.requestsPerSecond),
        'p50 ms': result.p50Ms,
        'p99 ms': result.p99Ms,
        ratio: baseline ? result.requestsPerSecond / baseline.requestsPerSecond : 1,
        'server CPU µs/req': Math.round(result.cpuMsPerRequest * 1000),
        'load 1m': result.load,
      });
    try {
      const hello = await startHello();
      let helloResult: LoadResult;
      try {
        helloResult = await load({ url: hello.url });
      } finally {
        await hello.close();
      }
      row(`Fastify hello world, ${connections} connections`, helloResult);

      const upload = await writeUploadBody(dir);
      const uploadLoad = (url: string, headers: Record<string, string> = {}) =>
        load({
          url,
          method: 'POST',
          bodyFile: upload.file,
          headers: { ...headers, 'content-type': upload.contentType },
          connections: 8,
        });
      // The bare server is the uploads' baseline only: skipped with them.
      let bareResult: LoadResult | undefined;
      if (runsCase('uploads')) {
        const bareDir = await mkdtemp(join(dir, 'bare-'));
        const bare = await startBareUploadServer(bareDir);
        try {
          bareResult = await uploadLoad(bare.url);
        } finally {
          await bare.close();
          await rm(bareDir, { recursive: true, force: true, maxRetries: 10 });
        }
        row('bare Node uploads (fsync + rename), 1 KiB, 8 clients', bareResult);
      }

      const measure = async (database: string, api: BenchApp) => {
        // A token per case: a token's budget is per minute (at most 1,000,000), and two cases of
        // /me at ~45,000 req/s, warm-up included, spend most of one.
        const bearer = async () => ({
          authorization: `Bearer ${await createPersonalToken(api.app, api.user, ['read', 'write'])}`,
        });
        const { id: folderId } = await createFolder({
          ...toFilesDeps(api.context),
          actor: userActor(api.user.userId),
          parentId: 'root',
          name: 'fifty',
        });
        await fillLargeFolder(api.context.database.db, {
          ownerId: api.user.userId,
          folderId,
          total: 200,
          folders: 20,
        });
        const listing = `${api.baseUrl}/api/folders/${folderId}/children?limit=50`;
        if (runsCase('me')) {
          const me = async () =>
            load({ url: `${api.baseUrl}/api/auth/me`, headers: await bearer() });
          row(`GET /api/auth/me, Bearer, ${database}`, await me(), helloResult);
          // What the request log costs, beside the same case without it.
          api.app.log.level = 'silent';
          try {
            row(`GET /api/auth/me, Bearer, ${database}, no request log`, await me(), helloResult);
          } finally {
            api.app.log.level = 'info';
          }
        }
        if (runsCase('listing')) {
          row(
            `GET children?limit=50, Bearer, ${database}`,
            await load({ url: listing, headers: await bearer() }),
            helloResult,
          );
          if (database === 'PostgreSQL') {
            row(
              `GET children?limit=50, Bearer, ${database}, 32 connections`,
              await load({ url: listing, headers: await bearer(), connections: 32 }),
              helloResult,
            );
          }
        }
        if (bareResult) {
          row(
            `POST 1 KiB uploads, 8 clients, ${database} + disk, vs bare`,
            await uploadLoad(`${api.baseUrl}/api/folders/root/files`, await bearer()),
            bareResult,
          );
          // What the stack itself reaches, on the API's own store and database.
          const floor = await startUploadFloorServer({
            blobStorage: api.context.blobStorage,
            db: api.context.database.db,
          });
          try {
            row(
              `floor: Fastify + multipart + store + 1 INSERT, ${database}, vs bare`,
              await uploadLoad(floor.url),
              bareResult,
            );
          } finally {
            await floor.close();
          }
        }
      };
      // The API logs as it does by default, a line per request (to a file), unlike hello world
      // and the bare server: their ratios are what a deployment gets, logging included.
      const reachedPostgres = await onEachBenchDatabase(measure, {
        env: { TOKEN_RATE_LIMIT_PER_MINUTE: '1000000' },
        logLevel: 'info',
      });
      if (!reachedPostgres)
        rows.push({ case: 'PostgreSQL: skipped, no server at BENCH_DATABASE_URL' });
      return rows;
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 10 });
    }
  },
};
